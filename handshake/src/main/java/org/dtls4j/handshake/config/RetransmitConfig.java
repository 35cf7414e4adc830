package org.dtls4j.handshake.config;

import java.util.concurrent.TimeUnit;

/**
 * The retransmission policy of a handshake flight (RFC 6347 §4.2.4, §4.2.4.1, §4.1.1.1). Times are nanoseconds.
 *
 * @param initialTimeoutNanos first timer value of a flight (RFC: 1 s)
 * @param maxTimeoutNanos cap of the doubling (RFC: at least 60 s)
 * @param maxRetransmissions resends of one flight before the handshake fails
 * @param backoffAfterTimeouts after this many timer expiries of one flight, each further expiry shrinks the
 *        datagram budget (RFC 6347 §4.1.1.1 suggests 2–3); 0 disables PMTU back-off
 * @param budgetFloor the datagram budget never shrinks below this (576 − 28: IPv4 minimum reassembly
 *        size minus IP and UDP headers)
 * @param minResendIntervalNanos a retransmission of the peer's previous flight makes us resend ours at most
 *        once per this interval, so a burst of replayed datagrams yields one resend (amplification guard)
 * @param keepBackoffAfterLoss RFC 6347 §4.2.4.1: keep the backed-off timer value for the next flight when
 *        this one needed retransmission; when false, every flight starts from the initial value
 * @param adaptive beyond RFC 6347: once a round trip was measured (Karn's rule: only flights sent once),
 *        later flights start their timer at {@code clamp(rttMultiplier × rtt, adaptiveFloorNanos,
 *        adaptiveCeilingNanos)}
 * @param adaptiveFloorNanos the least adaptive start value
 * @param adaptiveCeilingNanos the greatest adaptive start value
 * @param rttMultiplier k in k × RTT (RFC 6298 §2.2 gives 3 × R for the first sample)
 */
public record RetransmitConfig(
        long initialTimeoutNanos,
        long maxTimeoutNanos,
        int maxRetransmissions,
        int backoffAfterTimeouts,
        int budgetFloor,
        long minResendIntervalNanos,
        boolean keepBackoffAfterLoss,
        boolean adaptive,
        long adaptiveFloorNanos,
        long adaptiveCeilingNanos,
        int rttMultiplier) {

    /** 576 − 20 (IPv4) − 8 (UDP). */
    public static final int MIN_DATAGRAM_BUDGET = 548;

    /**
     * Checks the timers and counts against their ranges.
     *
     * @param initialTimeoutNanos first timer value of a flight (RFC: 1 s)
     * @param maxTimeoutNanos cap of the doubling (RFC: at least 60 s)
     * @param maxRetransmissions resends of one flight before the handshake fails
     * @param backoffAfterTimeouts timer expiries of one flight after which each further one shrinks the datagram budget
     * @param budgetFloor the smallest datagram budget the back-off shrinks to
     * @param minResendIntervalNanos the least time between two resends of our flight triggered by the peer's retransmissions
     * @param keepBackoffAfterLoss whether the next flight keeps the backed-off timer value (RFC 6347 §4.2.4.1)
     * @param adaptive whether the initial timer follows the measured round trip (beyond RFC 6347)
     * @param adaptiveFloorNanos the least adaptive start value
     * @param adaptiveCeilingNanos the greatest adaptive start value
     * @param rttMultiplier k in k × RTT (RFC 6298 §2.2 gives 3 × R for the first sample)
     */
    public RetransmitConfig {
        if (initialTimeoutNanos <= 0 || maxTimeoutNanos < initialTimeoutNanos) {
            throw new IllegalArgumentException("need 0 < initialTimeout <= maxTimeout");
        }
        if (maxTimeoutNanos > TimeUnit.HOURS.toNanos(1)) {
            throw new IllegalArgumentException("maxTimeout above one hour");
        }
        if (maxRetransmissions < 0 || backoffAfterTimeouts < 0 || budgetFloor < 1 || minResendIntervalNanos < 0) {
            throw new IllegalArgumentException("negative retransmission count, back-off, floor or resend interval");
        }
        if (adaptive && (adaptiveFloorNanos <= 0 || adaptiveCeilingNanos < adaptiveFloorNanos
                || adaptiveCeilingNanos > maxTimeoutNanos || rttMultiplier < 1)) {
            throw new IllegalArgumentException("need 0 < adaptiveFloor <= adaptiveCeiling <= maxTimeout, rttMultiplier >= 1");
        }
    }

    /**
     * RFC 6347 defaults: 1 s initial, 60 s cap, 7 retransmissions (about two minutes), PMTU back-off after 2
     * expiries down to 548 bytes, resends on peer retransmission at most every 500 ms, backed-off value
     * kept after loss, adaptive mode off (when enabled: 3 × RTT within [100 ms, 1 s]).
     *
     * @return the RFC 6347 policy
     */
    public static RetransmitConfig defaults() {
        return new RetransmitConfig(TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(60), 7, 2,
                MIN_DATAGRAM_BUDGET, TimeUnit.MILLISECONDS.toNanos(500), true, false,
                TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.SECONDS.toNanos(1), 3);
    }

    /**
     * {@return this policy with another initial timeout}
     *
     * @param nanos the first timer value of a flight
     */
    public RetransmitConfig withInitialTimeoutNanos(long nanos) {
        return new RetransmitConfig(nanos, maxTimeoutNanos, maxRetransmissions, backoffAfterTimeouts, budgetFloor,
                minResendIntervalNanos, keepBackoffAfterLoss, adaptive, adaptiveFloorNanos, adaptiveCeilingNanos,
                rttMultiplier);
    }

    /**
     * {@return this policy with another retransmission limit}
     *
     * @param count resends of one flight before the handshake fails
     */
    public RetransmitConfig withMaxRetransmissions(int count) {
        return new RetransmitConfig(initialTimeoutNanos, maxTimeoutNanos, count, backoffAfterTimeouts, budgetFloor,
                minResendIntervalNanos, keepBackoffAfterLoss, adaptive, adaptiveFloorNanos, adaptiveCeilingNanos,
                rttMultiplier);
    }

    /**
     * {@return this policy with adaptive start values on: k × RTT within [floor, ceiling]}
     *
     * @param floorNanos the smallest start value
     * @param ceilingNanos the largest start value
     * @param multiplier k, the factor on the measured round trip
     */
    public RetransmitConfig withAdaptive(long floorNanos, long ceilingNanos, int multiplier) {
        return new RetransmitConfig(initialTimeoutNanos, maxTimeoutNanos, maxRetransmissions, backoffAfterTimeouts,
                budgetFloor, minResendIntervalNanos, keepBackoffAfterLoss, true, floorNanos, ceilingNanos, multiplier);
    }

    /**
     * {@return this policy with the given PMTU back-off (0 = off) and floor}
     *
     * @param afterTimeouts expiries of one flight before the datagram budget shrinks; 0 = never
     * @param floor the smallest datagram budget
     */
    public RetransmitConfig withPmtuBackoff(int afterTimeouts, int floor) {
        return new RetransmitConfig(initialTimeoutNanos, maxTimeoutNanos, maxRetransmissions, afterTimeouts, floor,
                minResendIntervalNanos, keepBackoffAfterLoss, adaptive, adaptiveFloorNanos, adaptiveCeilingNanos,
                rttMultiplier);
    }

    /**
     * {@return this policy with {@link #keepBackoffAfterLoss} set}
     *
     * @param keep whether the next flight keeps the backed-off timer value
     */
    public RetransmitConfig withKeepBackoffAfterLoss(boolean keep) {
        return new RetransmitConfig(initialTimeoutNanos, maxTimeoutNanos, maxRetransmissions, backoffAfterTimeouts,
                budgetFloor, minResendIntervalNanos, keep, adaptive, adaptiveFloorNanos, adaptiveCeilingNanos,
                rttMultiplier);
    }
}
