package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DeadlineHeapTest {
    private static final class E extends DeadlineHeap.Entry {
        E(long order) {
            super(order);
        }
    }

    private static final Comparator<E> BY_DEADLINE = Comparator.<E>comparingLong(e -> e.deadline).thenComparingLong(e -> e.order);

    @Test
    void emptyHeapHasNoFirstAndPollsNull() {
        DeadlineHeap h = new DeadlineHeap();
        assertTrue(h.isEmpty());
        assertNull(h.first());
        assertNull(h.pollFirst());
        h.remove(new E(0)); // not held: nothing happens
        assertEquals(0, h.size());
    }

    @Test
    void equalDeadlinesComeOutInCreationOrderWhateverTheInsertionOrder() {
        DeadlineHeap h = new DeadlineHeap();
        E[] es = new E[5];
        for (int i = 0; i < es.length; i++) {
            es[i] = new E(i);
        }
        for (int i : new int[] {3, 0, 4, 1, 2}) {
            h.schedule(es[i], 100);
        }
        for (E e : es) {
            assertSame(e, h.pollFirst());
            assertFalse(e.scheduled());
            assertEquals(Long.MAX_VALUE, e.deadline);
        }
        assertTrue(h.isEmpty());
    }

    @Test
    void schedulingAHeldEntryMovesItBothWays() {
        DeadlineHeap h = new DeadlineHeap();
        E a = new E(0);
        E b = new E(1);
        E c = new E(2);
        h.schedule(a, 10);
        h.schedule(b, 20);
        h.schedule(c, 30);
        h.schedule(c, 5); // earlier: to the front
        assertSame(c, h.first());
        h.schedule(c, 40); // later: to the back
        assertSame(a, h.first());
        h.schedule(a, Long.MAX_VALUE); // never due, still held
        assertSame(b, h.first());
        assertEquals(3, h.size());
        assertTrue(a.scheduled());
        h.schedule(b, 20); // the same deadline: stays
        assertSame(b, h.pollFirst());
        assertSame(c, h.pollFirst());
        assertSame(a, h.pollFirst());
    }

    @Test
    void removingFromTheMiddleKeepsTheOrder() {
        DeadlineHeap h = new DeadlineHeap();
        List<E> es = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            E e = new E(i);
            es.add(e);
            h.schedule(e, (i * 37L) % 101);
        }
        for (int i = 0; i < 100; i += 3) {
            h.remove(es.get(i));
            assertFalse(es.get(i).scheduled());
        }
        long last = Long.MIN_VALUE;
        int n = 0;
        for (E e; (e = (E) h.pollFirst()) != null; n++) {
            long d = (e.order * 37L) % 101;
            assertTrue(d >= last, "out of order");
            last = d;
        }
        assertEquals(100 - 34, n);
    }

    /** Random operations, checked after each against a TreeSet holding the same entries. */
    @Test
    void agreesWithAnOrderedSetUnderRandomOperations() {
        SplittableRandom random = new SplittableRandom(20261203);
        for (int round = 0; round < 20; round++) {
            DeadlineHeap h = new DeadlineHeap();
            TreeSet<E> model = new TreeSet<>(BY_DEADLINE);
            List<E> all = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                all.add(new E(i));
            }
            for (int step = 0; step < 5_000; step++) {
                E e = all.get(random.nextInt(all.size()));
                // Few distinct deadlines, so ties are common; the extremes appear too.
                long deadline = switch (random.nextInt(10)) {
                    case 0 -> Long.MAX_VALUE;
                    case 1 -> Long.MIN_VALUE;
                    default -> random.nextInt(50);
                };
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        model.remove(e);
                        h.schedule(e, deadline);
                        model.add(e);
                    }
                    case 2 -> {
                        model.remove(e);
                        h.remove(e);
                    }
                    default -> {
                        E polled = (E) h.pollFirst();
                        E expected = model.pollFirst();
                        assertSame(expected, polled);
                    }
                }
                assertEquals(model.size(), h.size());
                assertSame(model.isEmpty() ? null : model.first(), h.first());
                for (E x : all) {
                    assertEquals(model.contains(x), x.scheduled());
                }
            }
            List<E> drained = new ArrayList<>();
            for (E x; (x = (E) h.pollFirst()) != null; ) {
                drained.add(x);
            }
            assertEquals(new ArrayList<>(model), drained);
        }
    }

    @Test
    void theArrayGrowsWithTheEntriesAndGivesItsRoomBack() {
        DeadlineHeap h = new DeadlineHeap();
        List<E> es = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            E e = new E(i);
            es.add(e);
            h.schedule(e, i);
        }
        assertEquals(100_000, h.size());
        assertTrue(h.capacity() >= 100_000 && h.capacity() < 200_000, "capacity " + h.capacity());
        for (int i = 0; i < 99_990; i++) {
            h.remove(es.get(i));
        }
        assertTrue(h.capacity() <= 64, "capacity after removals " + h.capacity());
        assertSame(es.get(99_990), h.first());
        h.clear();
        assertEquals(DeadlineHeap.MIN_CAPACITY, h.capacity());
        for (int i = 99_990; i < 100_000; i++) {
            assertFalse(es.get(i).scheduled());
            assertEquals(Long.MAX_VALUE, es.get(i).deadline);
        }
        h.schedule(es.get(5), 7); // an entry taken out can come back
        assertSame(es.get(5), h.first());
    }
}
