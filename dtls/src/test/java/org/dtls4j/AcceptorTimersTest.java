package org.dtls4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The acceptor's one timer set: retransmissions and idle limits, driven by a manual clock. */
class AcceptorTimersTest {
    private static final long SECOND = 1_000_000_000L;

    private static Harness established(long idle, long halfOpen) {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build());
        h.acceptor.idleTimeouts(idle, halfOpen);
        h.start();
        assertTrue(h.handshake());
        return h;
    }

    @Test
    void anEstablishedConnectionSilentForTheIdleLimitIsClosedWithCloseNotifyAndLeavesTheTimerSet() {
        Harness h = established(10 * SECOND, 3 * SECOND);
        long t = h.server().lastProgressNanos();
        assertEquals(1, h.acceptor.timerCount());
        h.acceptor.onTimeout(t + 10 * SECOND - 1);
        assertEquals(1, h.acceptor.connectionCount(), "one nanosecond early: still open");
        h.acceptor.onTimeout(t + 10 * SECOND);
        assertEquals(0, h.acceptor.connectionCount());
        assertEquals(1, h.acceptor.idleClosed());
        assertEquals(0, h.acceptor.timerCount(), "no entry outlives its connection");
        assertEquals(0, h.acceptor.trackedCount());
        assertEquals(Long.MAX_VALUE, h.acceptor.nextTimeoutNanos());
        h.drain();
        assertTrue(h.client.isClosed(), "the client heard close_notify");
        assertNull(h.clientEvents.closedCause);
    }

    @Test
    void aDeadlineThatMovesLaterKeepsItsEntryAndIsFoundWhenTheOldOneFires() {
        Harness h = established(10 * SECOND, 3 * SECOND);
        long t = h.server().lastProgressNanos();
        long first = h.acceptor.nextTimeoutNanos();
        assertTrue(first <= t + 10 * SECOND, "no later than the idle deadline");
        h.now = t + 5 * SECOND;
        h.client.send("ping".getBytes(UTF_8), h.now);
        h.drain();
        assertEquals(h.now, h.server().lastProgressNanos(), "the record is progress");
        assertEquals(first, h.acceptor.nextTimeoutNanos(), "a later deadline moves nothing now");
        h.acceptor.onTimeout(t + 10 * SECOND);
        assertEquals(1, h.acceptor.connectionCount(), "the old deadline finds the connection busy");
        assertEquals(t + 15 * SECOND, h.acceptor.nextTimeoutNanos(), "and the entry moves to the new one");
        h.acceptor.onTimeout(t + 15 * SECOND);
        assertEquals(0, h.acceptor.connectionCount());
    }

    @Test
    void aHandshakeSilentForTheHalfOpenLimitIsDroppedWithoutAWord() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build());
        h.acceptor.idleTimeouts(Long.MAX_VALUE, 3 * SECOND);
        h.start();
        h.step(); // ClientHello -> HelloVerifyRequest
        h.step(); // the ClientHello with the cookie
        h.step(); // verified: the server sends its flight
        assertEquals(1, h.acceptor.halfOpenCount());
        h.toServer.mutator = d -> null;
        h.toClient.clear();
        long start = h.now;
        int sent = 0;
        while (h.acceptor.nextTimeoutNanos() < start + 3 * SECOND) {
            h.acceptor.onTimeout(h.acceptor.nextTimeoutNanos());
            while (h.toClient.poll() != null) {
                sent++;
            }
        }
        assertTrue(sent > 0, "the flight was retransmitted meanwhile");
        h.acceptor.onTimeout(start + 3 * SECOND);
        assertEquals(0, h.acceptor.connectionCount());
        assertEquals(0, h.acceptor.halfOpenCount());
        assertEquals(1, h.acceptor.idleClosed());
        assertTrue(h.toClient.isEmpty(), "a half-open peer may be anyone's address: no alert");
        assertEquals(0, h.acceptor.timerCount());
    }

    @Test
    void withoutIdleLimitsTheTimersAreTheConnectionsOwn() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        assertTrue(h.handshake());
        h.acceptor.onTimeout(h.acceptor.nextTimeoutNanos() == Long.MAX_VALUE ? h.now : h.acceptor.nextTimeoutNanos());
        assertEquals(Long.MAX_VALUE, h.acceptor.nextTimeoutNanos(), "an established connection sets no timer");
        h.acceptor.onTimeout(Long.MAX_VALUE - 1);
        assertEquals(1, h.acceptor.connectionCount());
        assertFalse(h.server().isClosed());
    }

    @Test
    void idleLimitsMustBePositive() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build());
        assertThrows(IllegalArgumentException.class, () -> h.acceptor.idleTimeouts(0, SECOND));
        assertThrows(IllegalArgumentException.class, () -> h.acceptor.idleTimeouts(SECOND, -1));
    }
}
