package org.dtls4j.cookie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.Arrays;

import org.dtls4j.cookie.CookieResult.Drop;
import org.dtls4j.cookie.CookieResult.SendHelloVerifyRequest;
import org.dtls4j.cookie.CookieResult.Verified;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

/**
 * The OpenSSL {@code test/dtlsv1listentest.c} table (vectors/dtls-vectors.md §5.4), with our HMAC cookie
 * in place of OpenSSL's fixed test cookie and its length, 20 bytes. Rows differ from OpenSSL's where we
 * chose to drop every fragment: our cookie covers cipher_suites and extensions, which come after the
 * cookie, so no first fragment can be checked, and reassembly would be per-peer state.
 */
class ListenTableTest {
    static final byte[] ADDRESS = {127, 0, 0, 1};
    static final int PORT = 4433;

    final CookieVerifier verifier = CookieVerifier.builder().cookieLength(20).rotationPeriod(Duration.ZERO).build();

    /** cipher suites 002f 00ff, null compression, an empty extensions block: message length 0x2E. */
    static TestHello cookieless() {
        byte[] random = new byte[32];
        Arrays.fill(random, (byte) 0x42);
        return new TestHello(0xfeff, 0, 0, 0, 0xfeff, random, new byte[0], new byte[0],
                new int[] {0x002f, 0x00ff}, new byte[] {0}, new byte[0]);
    }

    CookieResult verify(byte[] datagram) {
        return verifier.verify(datagram, 0, datagram.length, ADDRESS, PORT, 0);
    }

    byte[] goodCookie() {
        byte[] hvr = assertInstanceOf(SendHelloVerifyRequest.class, verify(cookieless().datagram())).toByteArray();
        return Arrays.copyOfRange(hvr, 28, hvr.length);
    }

    @Test
    void fullClientHelloWithoutCookieGetsTheExactHelloVerifyRequest() {
        assertEquals(0x2e, cookieless().body().length);
        byte[] hvr = assertInstanceOf(SendHelloVerifyRequest.class, verify(cookieless().datagram())).toByteArray();

        byte[] expected = Hex.decode("16feff0000000000000000" + "0023" + "03000017" + "0000" + "000000" + "000017"
                + "feff" + "14");
        assertArrayEquals(expected, Arrays.copyOf(hvr, expected.length));
        assertEquals(expected.length + 20, hvr.length);
    }

    @Test
    void fragmentsAreDroppedWhereOpenSslWouldVerify() {
        assertEquals(DropReason.FRAGMENTED, reason(verify(cookieless().fragmentDatagram(0, 0x24))));
    }

    @Test
    void firstFragmentEndingBeforeCookieLengthIsDropped() {
        assertEquals(DropReason.FRAGMENTED, reason(verify(cookieless().fragmentDatagram(0, 0x23))));
    }

    @Test
    void nonFirstFragmentIsDropped() {
        assertEquals(DropReason.FRAGMENTED, reason(verify(cookieless().fragmentDatagram(2, 0x20))));
    }

    @Test
    void fullClientHelloWithGoodCookieVerifies() {
        TestHello good = cookieless().withCookie(goodCookie());
        assertEquals(0x42, good.body().length);

        assertInstanceOf(Verified.class, verify(good.datagram()));
    }

    @Test
    void firstFragmentHoldingAWholeGoodCookieIsDroppedNotVerified() {
        assertEquals(DropReason.FRAGMENTED, reason(verify(cookieless().withCookie(goodCookie()).fragmentDatagram(0, 0x38))));
    }

    @Test
    void fullClientHelloWithBadCookieGetsAHelloVerifyRequest() {
        byte[] bad = goodCookie();
        bad[0] ^= 1;

        assertInstanceOf(SendHelloVerifyRequest.class, verify(cookieless().withCookie(bad).datagram()));
    }

    @Test
    void fragmentEndingMidCookieIsDropped() {
        assertEquals(DropReason.FRAGMENTED, reason(verify(cookieless().withCookie(goodCookie()).fragmentDatagram(0, 0x37))));
    }

    @Test
    void elevenByteRecordIsDropped() {
        assertEquals(DropReason.TRUNCATED, reason(verify(Arrays.copyOf(cookieless().datagram(), 11))));
    }

    static DropReason reason(CookieResult r) {
        return assertInstanceOf(Drop.class, r).reason();
    }
}
