package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendBuffersTest {
    @Test
    void aReturnedBufferIsLentAgainAndTwoBorrowersNeverShareOne() {
        byte[] first = SendBuffers.borrow(SendBuffers.SIZE);
        byte[] second = SendBuffers.borrow(100);
        assertNotSame(first, second, "a buffer is lent to one borrower at a time");
        assertEquals(SendBuffers.SIZE, first.length);
        assertEquals(SendBuffers.SIZE, second.length, "a smaller need gets a pool-sized buffer");
        SendBuffers.giveBack(second);
        SendBuffers.giveBack(first);
        byte[] again = SendBuffers.borrow(SendBuffers.SIZE);
        assertTrue(again == first || again == second, "the pool lends what it got back");
        SendBuffers.giveBack(again);
    }

    @Test
    void aLargerNeedGetsItsOwnArrayThatIsNotPooled() {
        byte[] big = SendBuffers.borrow(SendBuffers.SIZE + 1);
        assertEquals(SendBuffers.SIZE + 1, big.length);
        SendBuffers.giveBack(big);
        List<byte[]> lent = new ArrayList<>();
        for (int i = 0; i < SendBuffers.SLOTS + 2; i++) {
            byte[] b = SendBuffers.borrow(SendBuffers.SIZE);
            assertEquals(SendBuffers.SIZE, b.length, "an empty pool lends a fresh pool-sized array");
            for (byte[] other : lent) {
                assertNotSame(other, b);
            }
            lent.add(b);
        }
        lent.forEach(SendBuffers::giveBack);
        byte[] b = SendBuffers.borrow(SendBuffers.SIZE);
        assertTrue(lent.stream().anyMatch(x -> x == b));
        SendBuffers.giveBack(b);
    }
}
