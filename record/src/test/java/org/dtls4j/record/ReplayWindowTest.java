package org.dtls4j.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplayWindowTest {

    /** The plain model the window must agree with: every accepted number, the right edge, the size. */
    static final class Model {
        final Set<Long> seen = new HashSet<>();
        final int size;
        long edge = -1;

        Model(int size) {
            this.size = size;
        }

        boolean accepts(long seq) {
            return !seen.contains(seq) && (edge < 0 || seq > edge - size);
        }

        void accept(long seq) {
            seen.add(seq);
            edge = Math.max(edge, seq);
        }
    }

    @Provide
    Arbitrary<List<Long>> arrivals() {
        // Numbers clustered near each other (reordering, duplicates) with occasional long jumps.
        Arbitrary<Long> near = Arbitraries.longs().between(0, 3000);
        Arbitrary<Long> far = Arbitraries.longs().between(0, (1L << 48) - 1);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, near),
                net.jqwik.api.Tuple.of(1, far)).list().ofMinSize(1).ofMaxSize(400);
    }

    @Property(tries = 400)
    void answersLikeTheReferenceModelForAnyArrivalOrder(@ForAll("arrivals") List<Long> arrivals,
                                                        @ForAll @IntRange(min = 1, max = 1100) int size,
                                                        @ForAll boolean authenticates) {
        ReplayWindow w = new ReplayWindow(size);
        Model m = new Model(size);
        int i = 0;
        for (long seq : arrivals) {
            boolean expected = m.accepts(seq);
            assertEquals(expected, w.isFresh(seq), () -> "seq " + seq + " window " + size);
            // Every third record fails authentication when asked to: it must not move the window.
            boolean marks = expected && (authenticates || i++ % 3 != 0);
            if (marks) {
                w.markReceived(seq);
                m.accept(seq);
            }
            assertEquals(m.edge, w.rightEdge());
        }
    }

    @Property(tries = 200)
    void duplicatesAreRejectedWhileInsideTheWindow(@ForAll("arrivals") List<Long> arrivals,
                                                   @ForAll @IntRange(min = 1, max = 1100) int size) {
        ReplayWindow w = new ReplayWindow(size);
        for (long seq : arrivals) {
            if (w.isFresh(seq)) {
                w.markReceived(seq);
                assertFalse(w.isFresh(seq), "a marked number is never fresh again");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 64, 128, 1024, 4096})
    void deliversOpensslBadDtlsReplayTableExactlyOnce(int size) throws IOException {
        ReplayWindow w = new ReplayWindow(size);
        w.markReceived(0); // the peer's Finished used epoch-1 sequence number 0
        for (ReplayVectors.Step step : ReplayVectors.openssl()) {
            assertEquals(step.delivered(), w.isFresh(step.seq()), () -> "seq 0x" + Long.toHexString(step.seq()));
            if (step.delivered()) {
                w.markReceived(step.seq());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 32, 63, 64, 65, 128, 1024})
    void matchesMbedtlsReplayTable(int size) throws IOException {
        for (ReplayVectors.Case c : ReplayVectors.mbedtls()) {
            ReplayWindow w = new ReplayWindow(size);
            Model m = new Model(size);
            for (long p : c.previous()) {
                w.markReceived(p);
                m.accept(p);
            }
            assertEquals(m.accepts(c.next()), w.isFresh(c.next()), () -> c + " window " + size);
            if (size == 64) {
                assertEquals(c.accept(), w.isFresh(c.next()), () -> "published answer for " + c);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void distinguishesTooOldFromReplay() {
        ReplayWindow w = new ReplayWindow(64);
        w.markReceived(100);
        w.markReceived(50);
        assertTrue(w.isTooOld(36));
        assertFalse(w.isFresh(36));
        assertFalse(w.isTooOld(37));
        assertTrue(w.isFresh(37));
        assertFalse(w.isTooOld(50));
        assertFalse(w.isFresh(50));
        assertTrue(w.isFresh(1L << 40));
    }

    @org.junit.jupiter.api.Test
    void acceptsTheLastSequenceNumberAndRejectsBeyondIt() {
        ReplayWindow w = new ReplayWindow(64);
        long last = (1L << 48) - 1;
        assertTrue(w.isFresh(last));
        w.markReceived(last);
        assertFalse(w.isFresh(last));
        assertFalse(w.isFresh(1L << 48));
        assertFalse(w.isFresh(-1));
    }

    @org.junit.jupiter.api.Test
    void rejectsSizesOutsideItsBounds() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(0));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(ReplayWindow.MAX_SIZE + 1));
        assertEquals(1024, new ReplayWindow(1024).size());
    }

    @org.junit.jupiter.api.Test
    void markAllUpToTakesNothingAtOrBelowTheEdgeAgain() {
        ReplayWindow w = new ReplayWindow(64);
        w.markReceived(3);
        w.markAllUpTo(100);
        assertEquals(100, w.rightEdge());
        for (long seq = 0; seq <= 100; seq++) {
            assertFalse(w.isFresh(seq), "seq " + seq);
        }
        assertTrue(w.isFresh(101));
        w.markAllUpTo(50); // below the edge: the edge stays, everything in the window counts as seen
        assertEquals(100, w.rightEdge());
        assertTrue(w.isFresh(101));
        assertThrows(IllegalArgumentException.class, () -> w.markAllUpTo(-1));
        assertThrows(IllegalArgumentException.class, () -> w.markAllUpTo(1L << 48));
    }
}
