package org.dtls4j.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtls4j.handshake.Flight.Outcome;
import org.dtls4j.handshake.config.RetransmitConfig;
import org.dtls4j.handshake.message.HandshakeType;
import org.junit.jupiter.api.Test;

class FlightTest {
    static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final Fragmenter.RecordOverhead OVERHEAD = epoch -> 13;
    /** An arbitrary clock origin, negative like System.nanoTime may be. */
    static final long T0 = -5_000 * SECOND;

    static List<FlightMessage> flight(int bodyLength) {
        return List.of(FlightMessage.handshake(0, HandshakeType.CERTIFICATE, 0, new byte[bodyLength]));
    }

    static Flight flightOf(RetransmitConfig config) {
        return new Flight(config, 1400, OVERHEAD);
    }

    @Test
    void startsTheTimerAtOneSecondAndReturnsThePlan() {
        Flight f = flightOf(RetransmitConfig.defaults());
        assertEquals(Long.MAX_VALUE, f.nextTimeoutNanos());
        List<PlannedDatagram> sent = f.send(flight(100), true, T0);
        assertEquals(1, sent.size());
        assertEquals(T0 + SECOND, f.nextTimeoutNanos());
        assertEquals(Outcome.NONE, f.onTimeout(T0 + SECOND - 1));
    }

    @Test
    void doublesTheTimeoutAtEachExpiryUpToSixtySeconds() {
        Flight f = flightOf(RetransmitConfig.defaults().withMaxRetransmissions(20).withPmtuBackoff(0, 548));
        f.send(flight(100), true, T0);
        long[] expected = {2, 4, 8, 16, 32, 60, 60, 60};
        for (long seconds : expected) {
            long now = f.nextTimeoutNanos();
            assertEquals(Outcome.RESEND, f.onTimeout(now));
            assertEquals(seconds * SECOND, f.nextTimeoutNanos() - now);
        }
    }

    @Test
    void partOfThePeersNextFlightRestartsTheBackoffButNeverPostponesTheTimer() {
        Flight f = flightOf(RetransmitConfig.defaults().withMaxRetransmissions(10).withPmtuBackoff(0, 548));
        f.send(flight(100), true, T0);
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.RESEND, f.onTimeout(f.nextTimeoutNanos()));
        }
        long now = f.nextTimeoutNanos() - 7 * SECOND; // an 8 s timer, 1 s into it
        f.onPeerProgress(now);
        assertEquals(now + SECOND, f.nextTimeoutNanos(), "the initial timeout from now, not 7 s more");
        assertEquals(Outcome.RESEND, f.onTimeout(now + SECOND));
        assertEquals(2 * SECOND, f.nextTimeoutNanos() - (now + SECOND), "doubling starts over from 1 s");
        long later = f.nextTimeoutNanos() - 100 * MS;
        f.onPeerProgress(later);
        assertEquals(later + 100 * MS, f.nextTimeoutNanos(), "a deadline closer than 1 s stays");
    }

    @Test
    void peerProgressDoesNothingWithoutARunningTimer() {
        Flight f = flightOf(RetransmitConfig.defaults());
        f.send(flight(100), false, T0);
        f.onPeerProgress(T0 + SECOND);
        assertEquals(Long.MAX_VALUE, f.nextTimeoutNanos());
    }

    @Test
    void failsTheHandshakeAfterTheConfiguredRetransmissions() {
        Flight f = flightOf(RetransmitConfig.defaults().withMaxRetransmissions(3));
        f.send(flight(100), true, T0);
        for (int i = 0; i < 3; i++) {
            assertEquals(Outcome.RESEND, f.onTimeout(f.nextTimeoutNanos()));
        }
        assertEquals(Outcome.FAILED, f.onTimeout(f.nextTimeoutNanos()));
        assertTrue(f.failed());
        assertEquals(Long.MAX_VALUE, f.nextTimeoutNanos());
        assertEquals(Outcome.NONE, f.onPeerRetransmission(T0 + 1000 * SECOND));
    }

    @Test
    void peerFlightStopsTheTimerAndResetsItForTheNextFlightWhenNothingWasLost() {
        Flight f = flightOf(RetransmitConfig.defaults());
        f.send(flight(100), true, T0);
        f.onPeerFlight(T0 + 300 * MS);
        assertEquals(Long.MAX_VALUE, f.nextTimeoutNanos());
        assertTrue(f.datagrams().isEmpty());
        f.send(flight(100), true, T0 + SECOND);
        assertEquals(T0 + 2 * SECOND, f.nextTimeoutNanos());
    }

    @Test
    void keepsTheBackedOffValueForTheNextFlightAfterLoss() {
        Flight f = flightOf(RetransmitConfig.defaults());
        f.send(flight(100), true, T0);
        f.onTimeout(T0 + SECOND);
        f.onTimeout(T0 + 3 * SECOND);
        f.onPeerFlight(T0 + 4 * SECOND);
        long now = T0 + 5 * SECOND;
        f.send(flight(100), true, now);
        assertEquals(4 * SECOND, f.nextTimeoutNanos() - now);
    }

    @Test
    void resetsToTheInitialValueAfterLossWhenConfiguredTo() {
        Flight f = flightOf(RetransmitConfig.defaults().withKeepBackoffAfterLoss(false));
        f.send(flight(100), true, T0);
        f.onTimeout(T0 + SECOND);
        f.onPeerFlight(T0 + 2 * SECOND);
        long now = T0 + 5 * SECOND;
        f.send(flight(100), true, now);
        assertEquals(SECOND, f.nextTimeoutNanos() - now);
    }

    @Test
    void lastFlightRunsNoTimerButIsResentWhenThePeerRetransmits() {
        Flight f = flightOf(RetransmitConfig.defaults());
        List<PlannedDatagram> sent = f.send(flight(100), false, T0);
        assertEquals(Long.MAX_VALUE, f.nextTimeoutNanos());
        assertEquals(Outcome.NONE, f.onTimeout(T0 + 100 * SECOND));
        assertEquals(Outcome.RESEND, f.onPeerRetransmission(T0 + SECOND));
        assertEquals(sent, f.datagrams());
        f.discard();
        assertEquals(Outcome.NONE, f.onPeerRetransmission(T0 + 10 * SECOND));
    }

    @Test
    void resendsOncePerBurstOfPeerRetransmissions() {
        Flight f = flightOf(RetransmitConfig.defaults());
        f.send(flight(100), false, T0);
        long burst = T0 + SECOND;
        assertEquals(Outcome.RESEND, f.onPeerRetransmission(burst));
        assertEquals(Outcome.NONE, f.onPeerRetransmission(burst + MS));
        assertEquals(Outcome.NONE, f.onPeerRetransmission(burst + 499 * MS));
        assertEquals(Outcome.RESEND, f.onPeerRetransmission(burst + 500 * MS));
    }

    @Test
    void peerRetransmissionsCannotMakeUsSendMoreThanTheRetransmissionLimit() {
        Flight f = flightOf(RetransmitConfig.defaults().withMaxRetransmissions(4));
        f.send(flight(100), false, T0);
        int resends = 0;
        for (int i = 1; i <= 100; i++) {
            if (f.onPeerRetransmission(T0 + i * SECOND) == Outcome.RESEND) {
                resends++;
            }
        }
        assertEquals(4, resends);
    }

    @Test
    void peerRetransmissionReArmsARunningTimerWithoutDoubling() {
        Flight f = flightOf(RetransmitConfig.defaults());
        f.send(flight(100), true, T0);
        long now = T0 + 800 * MS;
        assertEquals(Outcome.RESEND, f.onPeerRetransmission(now));
        assertEquals(now + SECOND, f.nextTimeoutNanos());
    }

    @Test
    void shrinksTheDatagramBudgetAfterRepeatedTimeoutsDownToTheFloor() {
        Flight f = flightOf(RetransmitConfig.defaults().withMaxRetransmissions(30));
        f.send(flight(3000), true, T0);
        assertEquals(Outcome.RESEND, f.onTimeout(f.nextTimeoutNanos()));
        assertEquals(1400, f.datagramBudget());
        assertEquals(Outcome.RESEND, f.onTimeout(f.nextTimeoutNanos()));
        assertEquals(1050, f.datagramBudget());
        for (PlannedDatagram d : f.datagrams()) {
            assertTrue(d.wireSize() <= 1050);
        }
        for (int i = 0; i < 10; i++) {
            f.onTimeout(f.nextTimeoutNanos());
        }
        assertEquals(RetransmitConfig.MIN_DATAGRAM_BUDGET, f.datagramBudget());
        assertTrue(f.datagrams().size() >= 6);
    }

    @Test
    void adaptiveModeStartsLaterFlightsFromTheMeasuredRoundTrip() {
        Flight f = flightOf(RetransmitConfig.defaults().withAdaptive(100 * MS, SECOND, 3));
        f.send(flight(100), true, T0);
        f.onPeerFlight(T0 + 80 * MS);
        assertEquals(80 * MS, f.measuredRttNanos());
        long now = T0 + 100 * MS;
        f.send(flight(100), true, now);
        assertEquals(240 * MS, f.nextTimeoutNanos() - now);
    }

    @Test
    void adaptiveStartIsClampedToFloorAndCeiling() {
        Flight fast = flightOf(RetransmitConfig.defaults().withAdaptive(100 * MS, SECOND, 3));
        fast.send(flight(10), true, T0);
        fast.onPeerFlight(T0 + MS);
        fast.send(flight(10), true, T0);
        assertEquals(100 * MS, fast.nextTimeoutNanos() - T0);

        Flight slow = flightOf(RetransmitConfig.defaults().withAdaptive(100 * MS, SECOND, 3));
        slow.send(flight(10), true, T0);
        slow.onPeerFlight(T0 + 900 * MS);
        slow.send(flight(10), true, T0);
        assertEquals(SECOND, slow.nextTimeoutNanos() - T0);
    }

    @Test
    void karnsRuleSkipsTheRoundTripOfARetransmittedFlight() {
        Flight f = flightOf(RetransmitConfig.defaults().withAdaptive(100 * MS, SECOND, 3)
                .withKeepBackoffAfterLoss(false));
        f.send(flight(10), true, T0);
        f.onTimeout(T0 + SECOND);
        f.onPeerFlight(T0 + 1100 * MS);
        assertEquals(-1, f.measuredRttNanos());
        f.send(flight(10), true, T0);
        assertEquals(SECOND, f.nextTimeoutNanos() - T0);
    }

    @Test
    void timerValuesAreComparedWithoutOverflowAcrossTheClockWrap() {
        Flight f = flightOf(RetransmitConfig.defaults());
        long nearMax = Long.MAX_VALUE - SECOND / 2;
        f.send(flight(10), true, nearMax);
        assertEquals(Outcome.NONE, f.onTimeout(nearMax + SECOND / 4));
        assertEquals(Outcome.RESEND, f.onTimeout(nearMax + SECOND));
        assertFalse(f.failed());
    }
}
