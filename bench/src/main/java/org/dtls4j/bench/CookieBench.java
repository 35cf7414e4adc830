package org.dtls4j.bench;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.DatagramSender;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.dtls4j.cookie.CookieResult;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.wire.Hex;
import org.dtls4j.wire.Writer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Stateless cookie verification of a typical DTLS 1.2 ClientHello (150 bytes without a cookie, 182 with
 * a 32-byte one): dtls4j's {@link CookieVerifier} against the limit, one raw HmacSHA256
 * {@code Mac.doFinal} over the same datagram, and Bouncy Castle's {@link DTLSVerifier} doing the same job.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CookieBench {
    static final byte[] ADDRESS = {(byte) 192, 0, 2, 10};
    static final int PORT = 51000;

    CookieVerifier verifier;
    Mac rawMac;
    byte[] macOut;
    byte[] hvrBuffer;
    byte[] noCookie;
    byte[] withCookie;

    DTLSVerifier bcVerifier;
    byte[] bcClientId;
    byte[] bcWithCookie;
    DatagramSender bcSink;

    @Setup
    public void setup() throws Exception {
        verifier = CookieVerifier.builder().rotationPeriod(Duration.ZERO).build();
        noCookie = clientHello(new byte[0]);
        CookieResult.SendHelloVerifyRequest hvr = (CookieResult.SendHelloVerifyRequest)
                verifier.verify(noCookie, 0, noCookie.length, ADDRESS, PORT, 0);
        byte[] cookie = Arrays.copyOfRange(hvr.toByteArray(), 28, hvr.length());
        withCookie = clientHello(cookie);
        if (!(verifier.verify(withCookie, 0, withCookie.length, ADDRESS, PORT, 0) instanceof CookieResult.Verified)) {
            throw new IllegalStateException("bench ClientHello does not verify");
        }
        hvrBuffer = new byte[1500];

        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        rawMac = Mac.getInstance("HmacSHA256");
        rawMac.init(new SecretKeySpec(key, "HmacSHA256"));
        macOut = new byte[rawMac.getMacLength()];

        bcVerifier = new DTLSVerifier(new BcTlsCrypto(new SecureRandom()));
        bcClientId = new byte[] {(byte) 192, 0, 2, 10, (byte) (PORT >>> 8), (byte) PORT};
        byte[][] captured = new byte[1][];
        DatagramSender capture = new DatagramSender() {
            @Override
            public int getSendLimit() {
                return 1500;
            }

            @Override
            public void send(byte[] buf, int off, int len) {
                captured[0] = Arrays.copyOfRange(buf, off, off + len);
            }
        };
        bcVerifier.verifyRequest(bcClientId, noCookie, 0, noCookie.length, capture);
        byte[] bcHvr = captured[0];
        bcWithCookie = clientHello(Arrays.copyOfRange(bcHvr, 28, bcHvr.length));
        if (bcVerifier.verifyRequest(bcClientId, bcWithCookie, 0, bcWithCookie.length, capture) == null) {
            throw new IllegalStateException("bench ClientHello does not verify with Bouncy Castle");
        }
        bcSink = new DatagramSender() {
            @Override
            public int getSendLimit() {
                return 1500;
            }

            @Override
            public void send(byte[] buf, int off, int len) {
                // A socket would send here; the bench measures the verifier only.
            }
        };
    }

    /** A DTLS 1.2 ClientHello record of 150 bytes plus the cookie. */
    static byte[] clientHello(byte[] cookie) {
        byte[] random = new byte[32];
        Arrays.fill(random, (byte) 0x5c);
        Writer body = new Writer();
        body.u16(0xfefd).bytes(random).opaque8(new byte[0]).opaque8(cookie);
        body.opaque16(Hex.decode("c02bc02fc02cc030cca9cca8c0aec0afc0ac00a8"));
        body.opaque8(new byte[] {0});
        body.opaque16(Hex.decode("000a0008000600170018001d" + "000b00020100"
                + "000d0012001004030503060308040805080604010501" + "00170000" + "ff01000100" + "00230000"
                + "00160000" + "001c00024000"));
        byte[] b = body.toByteArray();
        byte[] message = new Writer().u8(1).u24(b.length).u16(cookie.length == 0 ? 0 : 1).u24(0).u24(b.length)
                .bytes(b).toByteArray();
        return new Writer().u8(22).u16(0xfefd).u16(0).u48(cookie.length == 0 ? 0 : 1).opaque16(message).toByteArray();
    }

    @Benchmark
    public CookieResult dtls4jValidCookie() {
        return verifier.verify(withCookie, 0, withCookie.length, ADDRESS, PORT, 0);
    }

    @Benchmark
    public CookieResult dtls4jNoCookieHvrIntoBuffer() {
        return verifier.verify(noCookie, 0, noCookie.length, ADDRESS, PORT, 0, hvrBuffer, 0);
    }

    @Benchmark
    public CookieResult dtls4jNoCookieHvrFreshArray() {
        return verifier.verify(noCookie, 0, noCookie.length, ADDRESS, PORT, 0);
    }

    @Benchmark
    public byte[] rawMacValidCookieDatagram() throws Exception {
        rawMac.update(withCookie, 0, withCookie.length);
        rawMac.doFinal(macOut, 0);
        return macOut;
    }

    @Benchmark
    public byte[] rawMacNoCookieDatagram() throws Exception {
        rawMac.update(noCookie, 0, noCookie.length);
        rawMac.doFinal(macOut, 0);
        return macOut;
    }

    @Benchmark
    public DTLSRequest bouncyCastleValidCookie() {
        return bcVerifier.verifyRequest(bcClientId, bcWithCookie, 0, bcWithCookie.length, bcSink);
    }

    @Benchmark
    public DTLSRequest bouncyCastleNoCookie() {
        return bcVerifier.verifyRequest(bcClientId, noCookie, 0, noCookie.length, bcSink);
    }
}
