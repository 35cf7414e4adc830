package org.dtls4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dtls4j.record.DropReason;

/**
 * A snapshot of a {@link DtlsServer}'s counters and gauges, for a metrics library to poll
 * ({@link DtlsServer#metrics()}). Counters only grow over the server's life and include connections that
 * have closed; gauges ({@code connections}, {@code halfOpen}) are the state at the snapshot. Byte and record
 * counts are per connection (DTLS records and datagrams as the engine saw them), summed.
 * The drop maps of a snapshot from {@link DtlsServer#metrics()} are unmodifiable copies.
 * {@link #asMap()} flattens everything under stable names for generic adapters (see {@code docs/metrics.md}).
 *
 * @param connections live connections, established and half-open (gauge)
 * @param halfOpen connections still handshaking (gauge)
 * @param maxConnections the cap on {@code connections}
 * @param maxHalfOpen the cap on {@code halfOpen}
 * @param preAuthBytesPerPeer the most bytes one half-open peer can make the server hold
 * @param preAuthBytesTotal {@code maxHalfOpen * preAuthBytesPerPeer}: the pre-authentication heap budget
 * @param handshakesStarted handshakes started (one per ClientHello the cookie verifier accepted and admitted)
 * @param handshakesCompleted handshakes completed
 * @param handshakesFailedAlertSent handshakes this side failed with a fatal alert
 * @param handshakesFailedAlertReceived handshakes the peer failed with a fatal alert
 * @param handshakesTimedOut handshakes ended by the retransmission limit or the half-open timeout
 * @param handshakesAbandoned handshakes ended without an alert otherwise (replaced by the same address, or
 *     the server closed)
 * @param alertsSent alerts sent, warnings and fatal ones, close_notify included
 * @param alertsReceived alerts received and accepted
 * @param retransmissions flights resent on the retransmission timer
 * @param datagramsIn datagrams handed to connections (the ClientHello the cookie verifier admitted is not one:
 *     {@link DtlsServer.Stats#datagramsIn()} counts every datagram the socket received)
 * @param datagramsOut datagrams connections sent
 * @param bytesIn bytes of those datagrams received
 * @param bytesOut bytes of those datagrams sent
 * @param applicationRecordsIn application-data records received
 * @param applicationRecordsOut application-data records sent
 * @param applicationBytesIn application-data plaintext bytes received
 * @param applicationBytesOut application-data plaintext bytes sent
 * @param cookieDrops datagrams from unknown peers the cookie verifier dropped, by reason
 * @param recordDrops records the connections' record layers dropped, by reason
 * @param engineDrops records the connections' engines dropped, by reason
 * @param connectionsRefused verified ClientHellos dropped at the connection cap
 * @param halfOpenRefused verified ClientHellos dropped at the half-open cap
 * @param halfOpenPerAddressRefused verified ClientHellos dropped at the per-source cap
 * @param sendErrors datagrams the socket refused
 * @param internalErrors unchecked exceptions contained (see {@link DtlsServer.Stats#internalErrors()})
 */
public record DtlsServerMetrics(int connections, int halfOpen, int maxConnections, int maxHalfOpen,
                                long preAuthBytesPerPeer, long preAuthBytesTotal,
                                long handshakesStarted, long handshakesCompleted, long handshakesFailedAlertSent,
                                long handshakesFailedAlertReceived, long handshakesTimedOut,
                                long handshakesAbandoned, long alertsSent, long alertsReceived,
                                long retransmissions, long datagramsIn, long datagramsOut, long bytesIn,
                                long bytesOut, long applicationRecordsIn, long applicationRecordsOut,
                                long applicationBytesIn, long applicationBytesOut,
                                Map<org.dtls4j.cookie.DropReason, Long> cookieDrops,
                                Map<DropReason, Long> recordDrops, Map<EngineDropReason, Long> engineDrops,
                                long connectionsRefused, long halfOpenRefused, long halfOpenPerAddressRefused,
                                long sendErrors, long internalErrors) {
    /** {@return handshakes that failed, whatever the cause} */
    public long handshakesFailed() {
        return handshakesFailedAlertSent + handshakesFailedAlertReceived + handshakesTimedOut + handshakesAbandoned;
    }

    /**
     * Every value under a dotted lower-case name ({@code dtls.handshakes.completed},
     * {@code dtls.drops.record.auth_failed}, ...), in a stable order, drop reasons included even at zero so a
     * poller registers each name once.
     *
     * @return an unmodifiable, insertion-ordered map of name to value
     */
    public Map<String, Number> asMap() {
        Map<String, Number> m = new LinkedHashMap<>();
        m.put("dtls.connections", connections);
        m.put("dtls.connections.half_open", halfOpen);
        m.put("dtls.connections.max", maxConnections);
        m.put("dtls.connections.half_open.max", maxHalfOpen);
        m.put("dtls.preauth.bytes.per_peer", preAuthBytesPerPeer);
        m.put("dtls.preauth.bytes.total", preAuthBytesTotal);
        m.put("dtls.handshakes.started", handshakesStarted);
        m.put("dtls.handshakes.completed", handshakesCompleted);
        m.put("dtls.handshakes.failed.alert_sent", handshakesFailedAlertSent);
        m.put("dtls.handshakes.failed.alert_received", handshakesFailedAlertReceived);
        m.put("dtls.handshakes.failed.timed_out", handshakesTimedOut);
        m.put("dtls.handshakes.failed.abandoned", handshakesAbandoned);
        m.put("dtls.alerts.sent", alertsSent);
        m.put("dtls.alerts.received", alertsReceived);
        m.put("dtls.retransmissions", retransmissions);
        m.put("dtls.datagrams.in", datagramsIn);
        m.put("dtls.datagrams.out", datagramsOut);
        m.put("dtls.bytes.in", bytesIn);
        m.put("dtls.bytes.out", bytesOut);
        m.put("dtls.application.records.in", applicationRecordsIn);
        m.put("dtls.application.records.out", applicationRecordsOut);
        m.put("dtls.application.bytes.in", applicationBytesIn);
        m.put("dtls.application.bytes.out", applicationBytesOut);
        putDrops(m, "cookie", cookieDrops);
        putDrops(m, "record", recordDrops);
        putDrops(m, "engine", engineDrops);
        m.put("dtls.refused.connections", connectionsRefused);
        m.put("dtls.refused.half_open", halfOpenRefused);
        m.put("dtls.refused.half_open_per_address", halfOpenPerAddressRefused);
        m.put("dtls.send_errors", sendErrors);
        m.put("dtls.internal_errors", internalErrors);
        return Collections.unmodifiableMap(m);
    }

    private static void putDrops(Map<String, Number> m, String layer, Map<? extends Enum<?>, Long> drops) {
        for (Map.Entry<? extends Enum<?>, Long> e : drops.entrySet()) {
            m.put("dtls.drops." + layer + "." + e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
        }
    }
}
