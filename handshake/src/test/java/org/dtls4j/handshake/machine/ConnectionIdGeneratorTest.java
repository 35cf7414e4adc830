package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import org.dtls4j.handshake.config.ConnectionIdGenerator;
import org.junit.jupiter.api.Test;

/** The default and the owner-prefixed CID generators. */
class ConnectionIdGeneratorTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void randomMakesCidsOfItsLengthAndNoOwner() {
        for (int n : new int[] {0, 1, 8, 254, 255}) {
            ConnectionIdGenerator g = ConnectionIdGenerator.random(n, random);
            assertEquals(n, g.length());
            assertEquals(n, g.newConnectionId(3).length);
        }
        ConnectionIdGenerator g = ConnectionIdGenerator.random(8, random);
        assertFalse(Arrays.equals(g.newConnectionId(0), g.newConnectionId(0)));
        assertEquals(-1, g.ownerOf(new byte[8], 0));
        assertThrows(IllegalArgumentException.class, () -> ConnectionIdGenerator.random(256, random));
        assertThrows(IllegalArgumentException.class, () -> ConnectionIdGenerator.random(-1, random));
    }

    @Test
    void ownerPrefixedWritesAndReadsTheOwnerAtAnyOffset() {
        ConnectionIdGenerator g = ConnectionIdGenerator.ownerPrefixed(6, random);
        for (int owner : new int[] {0, 1, 254, 255}) {
            byte[] cid = g.newConnectionId(owner);
            byte[] datagram = new byte[11 + cid.length];
            System.arraycopy(cid, 0, datagram, 11, cid.length);
            assertEquals(owner, g.ownerOf(datagram, 11));
        }
        assertThrows(IllegalArgumentException.class, () -> g.newConnectionId(256));
        assertThrows(IllegalArgumentException.class, () -> g.newConnectionId(-1));
        assertThrows(IllegalArgumentException.class, () -> ConnectionIdGenerator.ownerPrefixed(1, random));
    }
}
