package org.dtls4j.bench;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.bouncycastle.tls.DTLSTransport;
import org.dtls4j.DtlsAcceptor;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.bench.BenchPeers.BcCrypto;
import org.dtls4j.bench.BenchPeers.Kx;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.testkit.JdkDtlsPeer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Application records per second over an established AES-128-GCM connection, one direction, one thread.
 * One operation: the client protects one record of {@code size} bytes into a datagram, the server takes
 * that datagram, authenticates and decrypts it and hands the plaintext to the application.
 *
 * <ul>
 *   <li>dtls4j: {@code DtlsConnection.send} → sink → server {@code DtlsConnection.receive} → listener
 *       (TLS_PSK_WITH_AES_128_GCM_SHA256, or AES_128_CCM_8 with {@code -p suite=...}; the server connection is called directly, not through the
 *       acceptor's address map).</li>
 *   <li>Bouncy Castle: {@code DTLSTransport.send} → a one-slot in-memory transport → the peer's
 *       {@code DTLSTransport.receive}, which returns at once since the datagram is there (same suite, each
 *       crypto back end).</li>
 *   <li>JDK: {@code SSLEngine.wrap} → {@code unwrap} on the peer (TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:
 *       the JDK has no PSK suite; the record protection is the same AES-128-GCM).</li>
 *   <li>raw: javax.crypto AES/GCM/NoPadding seal then open of the same size with the DTLS nonce and 13-byte
 *       AAD: the limit.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppDataBench {
    /** The payload size; each state reads it. */
    @State(Scope.Thread)
    public static class Size {
        @Param({"100", "1024"})
        public int size;
        byte[] payload;

        @Setup(Level.Trial)
        public void setup() {
            payload = new byte[size];
            new SecureRandom().nextBytes(payload);
        }
    }

    /** A dtls4j client and server after a PSK handshake through the acceptor. */
    @State(Scope.Thread)
    public static class Dtls4j {
        /** The PSK suite: AES-128-GCM (the JDK's GCM) or AES-128-CCM_8 (our CCM over the JDK's AES). */
        @Param({"TLS_PSK_WITH_AES_128_GCM_SHA256", "TLS_PSK_WITH_AES_128_CCM_8"})
        public String suite;
        DtlsConnection client;
        DtlsConnection server;
        final byte[] wire = new byte[1 << 15];
        int wireLength;
        boolean direct;
        int received;
        long now;

        @Setup(Level.Trial)
        public void setup() {
            ArrayDeque<byte[]> toServer = new ArrayDeque<>();
            ArrayDeque<byte[]> toClient = new ArrayDeque<>();
            now = System.nanoTime();
            DtlsListener serverListener = new DtlsListener() {
                @Override
                public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
                    received = len + buf[off];
                }
            };
            CipherSuite chosen = CipherSuite.byName(suite).orElseThrow();
            PskStore store = id -> Arrays.equals(id, BenchPeers.PSK_IDENTITY) ? BenchPeers.PSK_KEY.clone() : null;
            DtlsAcceptor acceptor = new DtlsAcceptor(DtlsConfig.builder().pskStore(store).cipherSuites(chosen).build(),
                    CookieVerifier.create(),
                    (b, o, l, p) -> toClient.add(Arrays.copyOfRange(b, o, o + l)), serverListener, 4);
            DtlsConfig clientConfig = DtlsConfig.builder().pskIdentity(BenchPeers.PSK_IDENTITY, BenchPeers.PSK_KEY)
                    .cipherSuites(chosen).build();
            client = DtlsConnection.client(clientConfig, HandshakeBench.SERVER, (b, o, l) -> {
                if (direct) {
                    System.arraycopy(b, o, wire, 0, l);
                    wireLength = l;
                } else {
                    toServer.add(Arrays.copyOfRange(b, o, o + l));
                }
            }, HandshakeBench.QUIET);
            client.start(now);
            while (!toServer.isEmpty() || !toClient.isEmpty()) {
                byte[] d;
                while ((d = toServer.poll()) != null) {
                    acceptor.receive(d, 0, d.length, HandshakeBench.CLIENT, now);
                }
                while ((d = toClient.poll()) != null) {
                    client.receive(d, 0, d.length, now);
                }
            }
            server = acceptor.connection(HandshakeBench.CLIENT);
            if (!client.isEstablished() || server == null || !server.isEstablished()) {
                throw new IllegalStateException("dtls4j handshake did not complete");
            }
            direct = true;
        }
    }

    /** Bouncy Castle client and server transports after a PSK handshake, then driven from one thread. */
    @State(Scope.Thread)
    public static class Bc {
        @Param({"BC", "JCA"})
        public BcCrypto crypto;
        HandshakeBench.Bc handshaker;
        DTLSTransport client;
        DTLSTransport server;
        byte[] buf;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            handshaker = new HandshakeBench.Bc();
            handshaker.kx = Kx.PSK;
            handshaker.crypto = crypto;
            handshaker.setup();
            HandshakeBench.Bc.Pair p = handshaker.handshake(null);
            p.pipe()[0].direct();
            client = p.client();
            server = p.server();
            buf = new byte[server.getReceiveLimit()];
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            handshaker.tearDown();
        }
    }

    /** Two JDK SSLEngines after an ECDHE_ECDSA P-256 handshake, with reused buffers. */
    @State(Scope.Thread)
    public static class Jdk {
        SSLEngine client;
        SSLEngine server;
        ByteBuffer net;
        ByteBuffer app;
        ByteBuffer src;

        @Setup(Level.Trial)
        public void setup(Size size) throws Exception {
            HandshakeBench.Jdk h = new HandshakeBench.Jdk();
            h.kx = Kx.ECDHE_P256;
            h.setup();
            JdkDtlsPeer[] peers = h.handshake(null);
            client = peers[0].engine();
            server = peers[1].engine();
            net = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
            app = ByteBuffer.allocate(Math.max(server.getSession().getApplicationBufferSize(), 1 << 14));
            src = ByteBuffer.wrap(size.payload);
        }
    }

    /** Raw javax.crypto AES-128-GCM with the DTLS 1.2 nonce and AAD layout. */
    @State(Scope.Thread)
    public static class Raw {
        Cipher sealer;
        Cipher opener;
        SecretKeySpec key;
        final byte[] fixedIv = new byte[4];
        final byte[] nonce = new byte[12];
        final byte[] aad = new byte[13];
        byte[] sealed;
        byte[] plain;
        long seq;

        @Setup(Level.Trial)
        public void setup(Size size) throws GeneralSecurityException {
            byte[] k = new byte[16];
            SecureRandom r = new SecureRandom();
            r.nextBytes(k);
            r.nextBytes(fixedIv);
            key = new SecretKeySpec(k, "AES");
            sealer = Cipher.getInstance("AES/GCM/NoPadding");
            opener = Cipher.getInstance("AES/GCM/NoPadding");
            sealed = new byte[size.size + 64];
            plain = new byte[size.size + 64];
        }
    }

    @Benchmark
    public int dtls4j(Size size, Dtls4j s) {
        s.client.send(size.payload, 0, size.size, s.now);
        s.server.receive(s.wire, 0, s.wireLength, s.now);
        return s.received;
    }

    @Benchmark
    public int bouncyCastle(Size size, Bc s) throws Exception {
        s.client.send(size.payload, 0, size.size);
        return s.server.receive(s.buf, 0, s.buf.length, 1_000);
    }

    @Benchmark
    public int jdkSslEngine(Jdk s) throws Exception {
        s.src.clear();
        s.net.clear();
        s.client.wrap(s.src, s.net);
        s.net.flip();
        s.app.clear();
        SSLEngineResult r = s.server.unwrap(s.net, s.app);
        return r.bytesProduced();
    }

    @Benchmark
    public int rawJavaxCrypto(Size size, Raw s) throws GeneralSecurityException {
        int n = size.size;
        long seq64 = 1L << 48 | s.seq++;
        for (int i = 0; i < 8; i++) {
            s.aad[i] = (byte) (seq64 >>> (56 - 8 * i));
        }
        s.aad[8] = 23;
        s.aad[9] = (byte) 0xfe;
        s.aad[10] = (byte) 0xfd;
        s.aad[11] = (byte) (n >>> 8);
        s.aad[12] = (byte) n;
        System.arraycopy(s.fixedIv, 0, s.nonce, 0, 4);
        System.arraycopy(s.aad, 0, s.nonce, 4, 8);
        s.sealer.init(Cipher.ENCRYPT_MODE, s.key, new GCMParameterSpec(128, s.nonce));
        s.sealer.updateAAD(s.aad);
        int c = s.sealer.doFinal(size.payload, 0, n, s.sealed, 8);
        s.opener.init(Cipher.DECRYPT_MODE, s.key, new GCMParameterSpec(128, s.nonce));
        s.opener.updateAAD(s.aad);
        return s.opener.doFinal(s.sealed, 8, c, s.plain, 0) + s.plain[0];
    }
}
