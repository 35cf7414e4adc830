package org.dtls4j;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;

/**
 * A fact about one connection, delivered through {@link DtlsListener#onEvent} (and mirrored as a JDK Flight
 * Recorder event). Events are typed so tools can count and filter them without parsing trace strings; each
 * {@code toString()} is one line for a trace, and none carries secrets.
 *
 * <p>Connection IDs (RFC 9146): {@link HandshakeCompleted} carries the CID this side reads with when one
 * was negotiated, and {@link DtlsAcceptor} emits {@link AddressChanged} when a CID connection's peer moves.
 */
public sealed interface DtlsEvent {
    /** {@return the peer's address as the connection knows it, or null (a client that was not given one)} */
    InetSocketAddress peer();

    /**
     * The connection started its handshake.
     *
     * @param peer the peer's address, or null
     * @param client true on the client side
     * @param resuming true when a client offers a session to resume
     */
    record HandshakeStarted(InetSocketAddress peer, boolean client, boolean resuming) implements DtlsEvent {
    }

    /**
     * The handshake completed.
     *
     * @param peer the peer's address, or null
     * @param suite the negotiated cipher suite
     * @param duration from {@link DtlsConnection#start} to completion, on the caller's {@code nowNanos} clock
     * @param retransmissions flights this side resent on its timer
     * @param resumed true for an abbreviated handshake (RFC 5246 §7.3)
     * @param connectionId the connection ID this side reads with (empty when it asked for none), or null when
     *        no connection_id extension was exchanged
     */
    record HandshakeCompleted(InetSocketAddress peer, CipherSuite suite, Duration duration, int retransmissions,
                              boolean resumed, byte[] connectionId) implements DtlsEvent {
        @Override
        public String toString() {
            return "HandshakeCompleted[peer=" + peer + ", suite=" + suite.name() + ", duration=" + duration
                    + ", retransmissions=" + retransmissions + ", resumed=" + resumed
                    + (connectionId != null ? ", cid=" + connectionId.length + " bytes" : "") + "]";
        }
    }

    /**
     * The handshake did not complete: the connection failed or was ended before it did.
     *
     * @param peer the peer's address, or null
     * @param outcome why, in the categories metrics count
     * @param alert the fatal alert sent or received, or null (ended without one)
     * @param duration from {@link DtlsConnection#start} to the failure, on the caller's clock
     * @param retransmissions flights this side resent on its timer
     * @param reason the failure's message (never contains secrets), or null
     */
    record HandshakeFailed(InetSocketAddress peer, FailureKind outcome, AlertDescription alert, Duration duration,
                           int retransmissions, String reason) implements DtlsEvent {
    }

    /** Why a handshake did not complete. */
    enum FailureKind {
        /** This side sent a fatal alert (including internal_error). */
        ALERT_SENT,
        /** The peer sent a fatal alert (e.g. wrong PSK seen by the peer first). */
        ALERT_RECEIVED,
        /** The retransmission limit was reached with no answer (RFC 6347 §4.2.4). */
        TIMED_OUT,
        /** Ended without an alert: closed locally, replaced, or dropped by a server's half-open timeout. */
        ABANDONED
    }

    /**
     * This side sent an alert (a fatal one ends the connection).
     *
     * @param peer the peer's address, or null
     * @param level warning or fatal
     * @param description the alert
     */
    record AlertSent(InetSocketAddress peer, AlertLevel level, AlertDescription description) implements DtlsEvent {
    }

    /**
     * The peer sent an alert that the engine accepted (an unauthenticated one it could not trust is counted
     * as a drop instead).
     *
     * @param peer the peer's address, or null
     * @param level warning or fatal
     * @param description the alert
     */
    record AlertReceived(InetSocketAddress peer, AlertLevel level, AlertDescription description)
            implements DtlsEvent {
    }

    /**
     * Records of one datagram were dropped. Emitted only when a listener asks
     * ({@link DtlsListener#wantsDropEvents()}) or the JFR event is enabled; the counters always count.
     *
     * @param peer the peer's address, or null
     * @param reason a {@link org.dtls4j.record.DropReason} (record layer) or an {@link EngineDropReason}
     * @param records how many records of the datagram were dropped for this reason
     */
    record DatagramDropped(InetSocketAddress peer, Enum<?> reason, long records) implements DtlsEvent {
    }

    /**
     * The peer's address changed under the same connection ID (RFC 9146 §6): a record from the new address
     * authenticated and was newer than every record before it. {@link DtlsAcceptor} emits it.
     *
     * @param peer the new address
     * @param previous the address the connection used before
     * @param connectionId the connection ID that matched, or null when the handshake had not completed
     */
    record AddressChanged(InetSocketAddress peer, InetSocketAddress previous, byte[] connectionId)
            implements DtlsEvent {
        @Override
        public String toString() {
            return "AddressChanged[peer=" + peer + ", previous=" + previous + "]";
        }
    }
}
