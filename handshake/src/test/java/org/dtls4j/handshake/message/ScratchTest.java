package org.dtls4j.handshake.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The per-thread scratch writer behind message and extension encoding. */
class ScratchTest {
    @Test
    void anEncodingInsideAnEncodingGetsItsOwnWriter() {
        byte[][] inner = new byte[1][];
        byte[] outer = Scratch.encode(w -> {
            w.u8(1).u8(2);
            inner[0] = Scratch.encode(v -> v.u8(9).u8(9).u8(9));
            w.bytes(inner[0]).u8(3);
        });
        assertArrayEquals(new byte[] {1, 2, 9, 9, 9, 3}, outer);
        assertArrayEquals(new byte[] {9, 9, 9}, inner[0]);
    }

    @Test
    void anEncoderThatFailsLeavesNothingBehindForTheNext() {
        assertThrows(IllegalArgumentException.class, () -> Scratch.encode(w -> {
            w.u8(5);
            w.beginLength(2);
            throw new IllegalArgumentException("too long");
        }));
        assertArrayEquals(new byte[] {7}, Scratch.encode(w -> w.u8(7)));
    }

    @Test
    void aLargeEncodingComesOutWhole() {
        byte[] big = new byte[40_000];
        big[0] = 1;
        big[big.length - 1] = 2;
        assertArrayEquals(big, Scratch.encode(w -> w.bytes(big)));
        assertArrayEquals(new byte[] {4}, Scratch.encode(w -> w.u8(4)));
    }
}
