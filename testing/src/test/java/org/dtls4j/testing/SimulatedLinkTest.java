package org.dtls4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedLinkTest {

    private static List<Integer> run(SimulatedLink link, int n) {
        for (int i = 0; i < n; i++) {
            link.send(new byte[] {(byte) i});
        }
        List<Integer> out = new ArrayList<>();
        for (byte[] d; (d = link.poll()) != null; ) {
            out.add((int) d[0]);
        }
        return out;
    }

    @Test
    void aPerfectLinkDeliversEverythingOnceInOrder() {
        assertEquals(List.of(0, 1, 2, 3, 4), run(SimulatedLink.perfect(), 5));
    }

    @Test
    void theSameSeedGivesTheSameDropsDuplicatesAndReorderings() {
        List<Integer> a = run(new SimulatedLink(42, 0.3, 0.2, 0.2), 100);
        List<Integer> b = run(new SimulatedLink(42, 0.3, 0.2, 0.2), 100);
        assertEquals(a, b);
        assertTrue(a.size() < 100 + 40 && !a.equals(run(SimulatedLink.perfect(), 100)), a.toString());
    }

    @Test
    void countsWhatItDidAndKeepsWhatWasOffered() {
        SimulatedLink link = new SimulatedLink(7, 0.5, 0.5, 0.5);
        List<Integer> got = run(link, 200);
        assertEquals(200, link.sent().size());
        assertEquals(200 - link.dropped() + link.duplicated(), got.size());
        assertTrue(link.dropped() > 50 && link.duplicated() > 20 && link.reordered() > 10, link.toString());
    }

    @Test
    void aTamperHookReplacesOrDropsAndHealingStopsLosses() {
        SimulatedLink link = new SimulatedLink(1, 1.0, 0, 0);
        assertEquals(List.of(), run(link, 3));
        link.heal();
        link.tamper(d -> d[0] == 1 ? null : new byte[] {(byte) (d[0] + 10)});
        assertEquals(List.of(10, 12), run(link, 3));
        assertArrayEquals(new byte[] {1}, link.sent().get(4));
        assertNull(link.poll());
        assertThrows(IllegalArgumentException.class, () -> new SimulatedLink(1, 1.5, 0, 0));
    }
}
