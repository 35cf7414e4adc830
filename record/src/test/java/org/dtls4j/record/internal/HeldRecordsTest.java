package org.dtls4j.record.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The held-record arena: allocated on the first record, grown within its bound, freed when cleared. */
class HeldRecordsTest {
    @Test
    void nothingIsAllocatedUntilARecordIsHeld() {
        HeldRecords held = new HeldRecords(16, 32 * 1024);
        assertNull(held.arena());
        assertEquals(-1, held.epoch());
    }

    @Test
    void theArenaGrowsAsRecordsArriveAndKeepsEachOneIntact() {
        HeldRecords held = new HeldRecords(8, 4000);
        byte[][] records = new byte[5][];
        for (int i = 0; i < records.length; i++) {
            records[i] = new byte[300 + 200 * i];
            Arrays.fill(records[i], (byte) (i + 1));
            assertTrue(held.hold(1, records[i], 0, records[i].length));
        }
        assertEquals(5, held.count());
        assertEquals(300 + 500 + 700 + 900 + 1100, held.bytes());
        assertTrue(held.arena().length <= 4000, "arena beyond its bound: " + held.arena().length);
        for (int i = 0; i < records.length; i++) {
            byte[] copy = Arrays.copyOfRange(held.arena(), held.offset(i), held.offset(i) + held.length(i));
            assertArrayEquals(records[i], copy);
        }
    }

    @Test
    void boundsRefuseRecordsAndClearingFreesTheArena() {
        HeldRecords held = new HeldRecords(2, 1000);
        assertTrue(held.hold(1, new byte[600], 0, 600));
        assertFalse(held.hold(1, new byte[401], 0, 401), "over maxBytes");
        assertFalse(held.hold(2, new byte[10], 0, 10), "another epoch");
        assertTrue(held.hold(1, new byte[400], 0, 400));
        assertEquals(1000, held.arena().length);
        assertFalse(held.hold(1, new byte[1], 0, 1), "over maxRecords");
        held.clear();
        assertNull(held.arena());
        assertEquals(0, held.count());
        assertEquals(-1, held.epoch());
        assertTrue(held.hold(2, new byte[50], 0, 50), "usable again after clear");
        assertEquals(2, held.epoch());
    }

    @Test
    void holdingDisabledHoldsNothing() {
        HeldRecords held = new HeldRecords(0, 0);
        assertFalse(held.hold(1, new byte[20], 0, 20));
        assertNull(held.arena());
    }
}
