package org.dtls4j.handshake;

import java.util.List;
import java.util.Objects;
import org.dtls4j.handshake.config.RetransmitConfig;

/**
 * Our current outgoing flight and its retransmission timer (RFC 6347 §4.2.4): plain data driven by
 * {@code nowNanos}, one per connection, reused for every flight of the handshake.
 *
 * <pre>
 *  send(flight, awaitsReply=true)             send(flight, awaitsReply=false)   (the last flight)
 *        |                                          |
 *        v            onTimeout: RESEND             v
 *    WAITING ---------(timer x2, cap)------+    FINISHED -- onPeerRetransmission: RESEND (guarded)
 *     |   ^  \--- onTimeout: FAILED        |        |
 *     |   +------------------------------- +     discard()
 *     | onPeerRetransmission: RESEND (guarded, timer re-armed, not doubled)
 *     v
 *  onPeerFlight: timer stops, flight dropped, RTT sampled if it was sent once (Karn)
 * </pre>
 *
 * <p><b>Timer.</b> A flight starts at the initial timeout (1 s), doubles at each expiry up to the cap
 * (60 s) and fails after {@code maxRetransmissions} resends. The next flight starts from the initial value
 * again, unless this one needed retransmission and {@code keepBackoffAfterLoss} is set (§4.2.4.1: retain
 * the timer value until a transmission without loss), or, in adaptive mode, from k × the measured RTT.
 *
 * <p><b>Peer retransmissions.</b> When the reassembler reports a message the peer already sent
 * ({@link Reassembler.Offer#OLD_MESSAGE}), the peer lost our flight; we resend it. This is the only way the
 * last flight, which runs no timer, recovers. Guard against amplification (an on-path attacker replaying
 * the peer's old datagrams): at most one resend per {@code minResendIntervalNanos}, and each counts
 * against {@code maxRetransmissions}, so a buffered flight is sent at most {@code 1 + maxRetransmissions}
 * times whatever arrives.
 *
 * <p><b>PMTU back-off</b> (§4.1.1.1). From the {@code backoffAfterTimeouts}-th expiry of a flight on, each
 * expiry shrinks the datagram budget by a quarter, never below {@code budgetFloor}, and re-plans the flight.
 * The smaller budget stays for later flights.
 */
public final class Flight {
    /** What the engine must do after a timer or peer event. */
    public enum Outcome {
        /** Nothing to send. */
        NONE,
        /** Send {@link #datagrams()} again, protecting each record with fresh record sequence numbers. */
        RESEND,
        /** The retransmission limit is reached: the handshake has failed. */
        FAILED
    }

    private final RetransmitConfig config;
    private final Fragmenter.RecordOverhead overhead;
    private int budget;
    private int maxRecordPayload = Fragmenter.MAX_RECORD_PAYLOAD;

    private List<FlightMessage> messages = List.of();
    private List<PlannedDatagram> plan = List.of();
    private boolean timerRunning;
    private long deadline;
    private long timeout;
    private long nextStartTimeout;
    private long sentAt;
    private long lastSendAt;
    private boolean awaitingReply;
    private int retransmissions;
    private int expiries;
    private long rtt = -1;
    private boolean failed;

    /**
     * @param config the timer policy
     * @param datagramBudget PMTU minus IP and UDP headers
     * @param overhead the per-epoch record overhead (header + AEAD expansion), consulted at each (re-)plan
     */
    public Flight(RetransmitConfig config, int datagramBudget, Fragmenter.RecordOverhead overhead) {
        this.config = Objects.requireNonNull(config, "config");
        this.overhead = Objects.requireNonNull(overhead, "overhead");
        setDatagramBudget(datagramBudget);
        this.nextStartTimeout = config.initialTimeoutNanos();
    }

    /**
     * Buffers a new flight, replacing the previous one, and plans it.
     *
     * @param flight the flight's messages, in order
     * @param nowNanos the caller's clock
     * @param awaitsReply false for the last flight of a handshake: no timer runs, but the flight stays
     *        buffered until {@link #discard()} so a peer retransmission can still trigger a resend
     * @return the datagrams to send now
     */
    public List<PlannedDatagram> send(List<FlightMessage> flight, boolean awaitsReply, long nowNanos) {
        if (failed) {
            throw new IllegalStateException("handshake already failed");
        }
        messages = List.copyOf(flight);
        replan();
        retransmissions = 0;
        expiries = 0;
        timeout = nextStartTimeout;
        sentAt = nowNanos;
        lastSendAt = nowNanos;
        awaitingReply = awaitsReply;
        timerRunning = awaitsReply;
        deadline = nowNanos + timeout;
        return plan;
    }

    /** {@return the current plan of the buffered flight (empty when none is buffered)} */
    public List<PlannedDatagram> datagrams() {
        return plan;
    }

    /** {@return when {@link #onTimeout} is next due, in the caller's nanoTime scale; {@link Long#MAX_VALUE} if no timer runs} */
    public long nextTimeoutNanos() {
        return timerRunning ? deadline : Long.MAX_VALUE;
    }

    /**
     * Handles the timer: RESEND after doubling the timeout, FAILED at the limit, NONE if not yet due.
     *
     * @param nowNanos the caller's clock
     * @return what to do: resend, fail, or nothing
     */
    public Outcome onTimeout(long nowNanos) {
        if (!timerRunning || nowNanos - deadline < 0) {
            return Outcome.NONE;
        }
        if (retransmissions >= config.maxRetransmissions()) {
            failed = true;
            timerRunning = false;
            return Outcome.FAILED;
        }
        retransmissions++;
        expiries++;
        timeout = Math.min(timeout * 2, config.maxTimeoutNanos());
        if (config.backoffAfterTimeouts() > 0 && expiries >= config.backoffAfterTimeouts()
                && budget > config.budgetFloor()) {
            budget = Math.max(config.budgetFloor(), budget - budget / 4);
            replan();
        }
        lastSendAt = nowNanos;
        deadline = nowNanos + timeout;
        return Outcome.RESEND;
    }

    /**
     * The peer retransmitted a message of its previous flight, so it lost ours: RESEND unless no flight
     * is buffered, the last resend was less than {@code minResendIntervalNanos} ago, or the retransmission
     * limit is spent. A running timer is re-armed with its current value (not doubled).
     *
     * @param nowNanos the caller's clock
     * @return RESEND or NONE
     */
    public Outcome onPeerRetransmission(long nowNanos) {
        if (failed || plan.isEmpty() || nowNanos - lastSendAt < config.minResendIntervalNanos()
                || retransmissions >= config.maxRetransmissions()) {
            return Outcome.NONE;
        }
        retransmissions++;
        lastSendAt = nowNanos;
        if (timerRunning) {
            deadline = nowNanos + timeout;
        }
        return Outcome.RESEND;
    }

    /**
     * Part of the peer's next flight arrived (a fragment, its ChangeCipherSpec) but not all of it: our
     * flight got through and the peer is answering, so the rest of its flight was probably lost. Waiting out
     * a backed-off timer would stall the handshake (a 16 s stall was seen through a lossy relay), so the
     * backoff restarts: the timer fires at most the initial timeout from now, and doubles from there. The
     * deadline only ever moves earlier, so a peer cannot postpone our retransmission this way, and every
     * resend still counts against {@code maxRetransmissions}.
     *
     * @param nowNanos the caller's clock
     */
    public void onPeerProgress(long nowNanos) {
        if (!timerRunning) {
            return;
        }
        long initial = config.initialTimeoutNanos();
        timeout = Math.min(timeout, initial);
        if (deadline - nowNanos > initial) {
            deadline = nowNanos + initial;
        }
    }

    /**
     * The first message of the peer's next flight arrived: our flight was received. Stops the timer, drops
     * the buffered flight, samples the RTT when the flight was sent only once (Karn's rule), and chooses the
     * next flight's starting timeout.
     *
     * @param nowNanos the caller's clock
     */
    public void onPeerFlight(long nowNanos) {
        if (!awaitingReply) {
            return;
        }
        boolean lossless = retransmissions == 0;
        if (lossless) {
            rtt = Math.max(0, nowNanos - sentAt);
        }
        if (!lossless && config.keepBackoffAfterLoss()) {
            nextStartTimeout = timeout;
        } else if (config.adaptive() && rtt >= 0) {
            nextStartTimeout = adaptiveStart();
        } else {
            nextStartTimeout = config.initialTimeoutNanos();
        }
        awaitingReply = false;
        timerRunning = false;
        messages = List.of();
        plan = List.of();
    }

    private long adaptiveStart() {
        long scaled = rtt > Long.MAX_VALUE / config.rttMultiplier() ? Long.MAX_VALUE : rtt * config.rttMultiplier();
        return Math.max(config.adaptiveFloorNanos(), Math.min(config.adaptiveCeilingNanos(), scaled));
    }

    /** Forgets the buffered flight and stops the timer (after the last flight's linger period). */
    public void discard() {
        messages = List.of();
        plan = List.of();
        timerRunning = false;
        awaitingReply = false;
    }

    /**
     * Sets the datagram budget (PMTU minus IP/UDP) for later plans; re-plans the buffered flight.
     *
     * @param datagramBudget bytes one datagram may carry
     */
    public void setDatagramBudget(int datagramBudget) {
        if (datagramBudget <= 0) {
            throw new IllegalArgumentException("datagram budget " + datagramBudget);
        }
        budget = datagramBudget;
        replan();
    }

    /**
     * Sets the largest record plaintext (max_fragment_length or record_size_limit); re-plans.
     *
     * @param bytes the largest record plaintext
     */
    public void setMaxRecordPayload(int bytes) {
        if (bytes <= HandshakeFragment.HEADER_LENGTH || bytes > Fragmenter.MAX_RECORD_PAYLOAD) {
            throw new IllegalArgumentException("record payload " + bytes);
        }
        maxRecordPayload = bytes;
        replan();
    }

    private void replan() {
        plan = messages.isEmpty() ? List.of() : Fragmenter.plan(messages, budget, overhead, maxRecordPayload);
    }

    /** {@return the datagram budget now in use (shrinks under PMTU back-off)} */
    public int datagramBudget() {
        return budget;
    }

    /** {@return the timer value of the current flight (or the start value of the next, when none is waiting)} */
    public long currentTimeoutNanos() {
        return awaitingReply ? timeout : nextStartTimeout;
    }

    /** {@return resends of the current flight so far} */
    public int retransmissions() {
        return retransmissions;
    }

    /** {@return the last round trip measured under Karn's rule (flights sent once), or -1 if none} */
    public long measuredRttNanos() {
        return rtt;
    }

    /** {@return true once {@link #onTimeout} returned FAILED} */
    public boolean failed() {
        return failed;
    }
}
