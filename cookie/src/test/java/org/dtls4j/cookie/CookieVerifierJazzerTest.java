package org.dtls4j.cookie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.dtls4j.testkit.FuzzInput;
import org.dtls4j.testkit.FuzzSeeds;
import org.dtls4j.wire.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Jazzer target for {@link CookieVerifier#verify} on arbitrary datagrams and addresses (docs/fuzzing.md).
 *
 * <p>Input: {@code [v6 flag u8][address: 4 or 16 bytes][port u16]}, then the datagram. The verifier has
 * fixed secrets (current and previous), so seeds can carry valid cookies.
 *
 * <p>Properties: {@code verify} never throws; the answer depends on the input alone (asking twice gives
 * the same answer: no per-peer state); a drop is counted under its reason; a HelloVerifyRequest is no
 * larger than the ClientHello record that caused it, mirrors its record sequence number and message_seq,
 * and carries a cookie that verifies when the same ClientHello echoes it from the same address; a
 * {@code Verified} carries exactly the ClientHello's bytes and header fields, and its cookie does not
 * verify from another port.
 */
class CookieVerifierJazzerTest {
    static final byte[] SECRET = "fuzzing cookie secret, current!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] PREVIOUS = "fuzzing cookie secret, previous!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] V4 = {127, 0, 0, 1};
    static final int PORT = 40001;

    static CookieVerifier verifier() {
        return CookieVerifier.builder().secrets(SECRET, PREVIOUS).build();
    }

    @FuzzTest(maxDuration = "5m")
    void verifyDatagrams(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int addressLength = (in.u8() & 1) == 0 ? 4 : 16;
        byte[] address = Arrays.copyOf(in.bytes(addressLength), addressLength);
        int port = in.u16();
        byte[] datagram = in.rest();
        CookieVerifier v = verifier();
        CookieResult first = v.verify(datagram, 0, datagram.length, address, port, 0);
        CookieResult again = v.verify(datagram, 0, datagram.length, address, port, 0);
        assertSameAnswer(first, again);
        if (first instanceof CookieResult.Drop drop) {
            assertEquals(2, v.dropCount(drop.reason()));
        } else if (first instanceof CookieResult.SendHelloVerifyRequest hvr) {
            checkHelloVerifyRequest(v, datagram, hvr.toByteArray(), address, port);
        } else {
            checkVerified(v, datagram, (CookieResult.Verified) first, address, port);
        }
    }

    private static void assertSameAnswer(CookieResult a, CookieResult b) {
        assertEquals(a.getClass(), b.getClass());
        if (a instanceof CookieResult.SendHelloVerifyRequest x) {
            assertArrayEquals(x.toByteArray(), ((CookieResult.SendHelloVerifyRequest) b).toByteArray());
        } else if (a instanceof CookieResult.Verified x) {
            assertArrayEquals(x.message(), ((CookieResult.Verified) b).message());
        } else {
            assertEquals(a, b);
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    private static void checkHelloVerifyRequest(CookieVerifier v, byte[] datagram, byte[] hvr, byte[] address, int port) {
        int recordLength = 13 + u16(datagram, 11);
        assertEquals(v.helloVerifyRequestLength(), hvr.length);
        assertTrue(hvr.length <= recordLength, "HelloVerifyRequest larger than the ClientHello record");
        assertArrayEquals(Arrays.copyOfRange(datagram, 5, 11), Arrays.copyOfRange(hvr, 5, 11), "record sequence");
        assertArrayEquals(Arrays.copyOfRange(datagram, 17, 19), Arrays.copyOfRange(hvr, 17, 19), "message_seq");
        assertArrayEquals(new byte[] {22, (byte) 0xfe, (byte) 0xff, 0, 0}, Arrays.copyOf(hvr, 5));
        assertEquals(3, hvr[13]);
        assertEquals(v.cookieLength(), hvr[27] & 0xff);
        byte[] cookie = Arrays.copyOfRange(hvr, 28, hvr.length);
        byte[] echoed = withCookie(datagram, cookie);
        if (echoed.length - 13 <= 1 << 14) {
            CookieResult r = v.verify(echoed, 0, echoed.length, address, port, 0);
            assertInstanceOf(CookieResult.Verified.class, r, "the ClientHello echoing our cookie");
        }
    }

    private static void checkVerified(CookieVerifier v, byte[] datagram, CookieResult.Verified ok, byte[] address,
                                      int port) {
        int recordLength = u16(datagram, 11);
        assertArrayEquals(Arrays.copyOfRange(datagram, 13, 13 + recordLength), ok.message());
        long seq = 0;
        for (int i = 5; i < 11; i++) {
            seq = seq << 8 | datagram[i] & 0xff;
        }
        assertEquals(seq, ok.recordSequenceNumber());
        assertTrue(seq < (1L << 48) - 1, "Verified promises a sequence number the server can continue from");
        assertEquals(u16(datagram, 17), ok.messageSeq());
        assertEquals(u16(datagram, 1), ok.recordVersion().wire());
        assertArrayEquals(Arrays.copyOfRange(datagram, 27, 59), ok.random());
        int cookieAt = 13 + 12 + 34 + 1 + (datagram[59] & 0xff);
        assertEquals(v.cookieLength(), datagram[cookieAt] & 0xff);
        assertArrayEquals(Arrays.copyOfRange(datagram, cookieAt + 1, cookieAt + 1 + v.cookieLength()), ok.cookie());
        CookieResult elsewhere = v.verify(datagram, 0, datagram.length, address, port ^ 1, 0);
        assertFalse(elsewhere instanceof CookieResult.Verified, "a cookie verified from another port");
    }

    /** The first record of {@code datagram} (a whole ClientHello) with its cookie replaced, lengths fixed. */
    static byte[] withCookie(byte[] datagram, byte[] cookie) {
        int recordEnd = 13 + u16(datagram, 11);
        int cookieAt = 13 + 12 + 34 + 1 + (datagram[59] & 0xff);
        int afterCookie = cookieAt + 1 + (datagram[cookieAt] & 0xff);
        int grow = cookie.length - (afterCookie - cookieAt - 1);
        int bodyLength = recordEnd - 25 + grow;
        byte[] out = new Writer().bytes(datagram, 0, 11).u16(recordEnd - 13 + grow).bytes(datagram, 13, 1)
                .u24(bodyLength).bytes(datagram, 17, 5).u24(bodyLength).bytes(datagram, 25, cookieAt - 25)
                .opaque8(cookie).bytes(datagram, afterCookie, recordEnd - afterCookie).toByteArray();
        return out;
    }

    /** The seeds reach each answer: a hello without a cookie gets a HelloVerifyRequest whose echo verifies. */
    @Test
    void echoedCookieVerifiesAndIsBoundToThePort() {
        CookieVerifier v = verifier();
        byte[] hello = TestHello.typical().datagram();
        CookieResult r = v.verify(hello, 0, hello.length, V4, PORT, 0);
        byte[] hvr = assertInstanceOf(CookieResult.SendHelloVerifyRequest.class, r).toByteArray();
        byte[] echoed = withCookie(hello, Arrays.copyOfRange(hvr, 28, hvr.length));
        assertInstanceOf(CookieResult.Verified.class, v.verify(echoed, 0, echoed.length, V4, PORT, 0));
        assertInstanceOf(CookieResult.SendHelloVerifyRequest.class, v.verify(echoed, 0, echoed.length, V4, PORT + 1, 0));
    }

    static byte[] input(byte[] address, int port, byte[] datagram) {
        return new Writer().u8(address.length == 16 ? 1 : 0).bytes(address).u16(port).bytes(datagram).toByteArray();
    }

    @Test
    @EnabledIfSystemProperty(named = FuzzSeeds.PROPERTY, matches = ".+")
    void writeSeeds() {
        String m = "verifyDatagrams";
        CookieVerifier v = verifier();
        TestHello hello = TestHello.typical();
        byte[] plain = hello.datagram();
        byte[] hvr = ((CookieResult.SendHelloVerifyRequest) v.verify(plain, 0, plain.length, V4, PORT, 0)).toByteArray();
        byte[] cookie = Arrays.copyOfRange(hvr, 28, hvr.length);
        FuzzSeeds.write(getClass(), m, "no-cookie", input(V4, PORT, plain));
        FuzzSeeds.write(getClass(), m, "valid-cookie", input(V4, PORT, hello.withCookie(cookie).datagram()));
        FuzzSeeds.write(getClass(), m, "valid-cookie-seq-65535", input(V4, PORT,
                hello.withCookie(cookie).withSequence(0xffffffffffffL, 0xffff).datagram()));
        byte[] v6 = new byte[16];
        v6[15] = 1;
        byte[] v6hvr = ((CookieResult.SendHelloVerifyRequest) v.verify(plain, 0, plain.length, v6, 5684, 0)).toByteArray();
        TestHello dtls10 = hello.withRecord(0xfeff, 0).withCookie(Arrays.copyOfRange(v6hvr, 28, v6hvr.length));
        FuzzSeeds.write(getClass(), m, "valid-cookie-ipv6-dtls10", input(v6, 5684, dtls10.datagram()));
        FuzzSeeds.write(getClass(), m, "wrong-cookie", input(V4, PORT, hello.withCookie(new byte[32]).datagram()));
        FuzzSeeds.write(getClass(), m, "no-extensions", input(V4, PORT, hello.withExtensions(null).datagram()));
        FuzzSeeds.write(getClass(), m, "fragment", input(V4, PORT, hello.fragmentDatagram(0, 40)));
        byte[] two = new Writer().bytes(plain).bytes(plain).toByteArray();
        FuzzSeeds.write(getClass(), m, "two-records", input(V4, PORT, two));
    }
}
