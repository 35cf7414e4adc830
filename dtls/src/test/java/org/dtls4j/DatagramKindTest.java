package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 7983 §7's first-byte ranges, each at both edges and just outside. */
class DatagramKindTest {
    @Test
    void everyFirstByteFallsInItsRfc7983Range() {
        for (int b = 0; b < 256; b++) {
            DatagramKind expected = b <= 3 ? DatagramKind.STUN
                    : b >= 16 && b <= 19 ? DatagramKind.ZRTP
                    : b >= 20 && b <= 63 ? DatagramKind.DTLS
                    : b >= 64 && b <= 79 ? DatagramKind.TURN_CHANNEL
                    : b >= 128 && b <= 191 ? DatagramKind.RTP_RTCP
                    : DatagramKind.UNKNOWN;
            assertEquals(expected, DatagramKind.of(b), "first byte " + b);
            assertEquals(expected, DatagramKind.classify(new byte[] {9, (byte) b, 9}, 1, 2), "first byte " + b);
        }
    }

    @Test
    void edgesOfEachRange() {
        assertEquals(DatagramKind.STUN, DatagramKind.of(3));
        assertEquals(DatagramKind.UNKNOWN, DatagramKind.of(4));
        assertEquals(DatagramKind.UNKNOWN, DatagramKind.of(15));
        assertEquals(DatagramKind.ZRTP, DatagramKind.of(16));
        assertEquals(DatagramKind.DTLS, DatagramKind.of(20));
        assertEquals(DatagramKind.DTLS, DatagramKind.of(63));
        assertEquals(DatagramKind.TURN_CHANNEL, DatagramKind.of(64));
        assertEquals(DatagramKind.TURN_CHANNEL, DatagramKind.of(79));
        assertEquals(DatagramKind.UNKNOWN, DatagramKind.of(80));
        assertEquals(DatagramKind.UNKNOWN, DatagramKind.of(127));
        assertEquals(DatagramKind.RTP_RTCP, DatagramKind.of(128));
        assertEquals(DatagramKind.RTP_RTCP, DatagramKind.of(191));
        assertEquals(DatagramKind.UNKNOWN, DatagramKind.of(192));
        assertEquals(DatagramKind.UNKNOWN, DatagramKind.of(255));
        assertEquals(DatagramKind.UNKNOWN, DatagramKind.classify(new byte[4], 2, 0), "an empty datagram");
    }
}
