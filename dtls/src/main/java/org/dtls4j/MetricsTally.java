package org.dtls4j;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.record.DropReason;

/**
 * The server's running totals behind {@link DtlsServerMetrics}: handshake outcomes and alerts counted from
 * {@link DtlsEvent}s, and each connection's own counters folded in when it closes, so a snapshot is these
 * totals plus the live connections' counters. One per server worker, touched only on its thread;
 * {@link #sum} adds the workers' snapshots up.
 */
final class MetricsTally {
    private static final DropReason[] RECORD_REASONS = DropReason.values();
    private static final EngineDropReason[] ENGINE_REASONS = EngineDropReason.values();
    private static final org.dtls4j.cookie.DropReason[] COOKIE_REASONS = org.dtls4j.cookie.DropReason.values();

    long handshakesStarted;
    long handshakesCompleted;
    long failedAlertSent;
    long failedAlertReceived;
    long timedOut;
    long abandoned;
    long alertsSent;
    long alertsReceived;
    /** The half-open connection the server is expiring right now: its ABANDONED end counts as a timeout. */
    DtlsConnection expiring;

    private final long[] closed = new long[Totals.values().length];
    private final long[] recordDrops = new long[RECORD_REASONS.length];
    private final long[] engineDrops = new long[ENGINE_REASONS.length];

    /** The per-connection counters summed across connections. */
    private enum Totals {
        RETRANSMISSIONS, DATAGRAMS_IN, DATAGRAMS_OUT, BYTES_IN, BYTES_OUT, APP_RECORDS_IN, APP_RECORDS_OUT,
        APP_BYTES_IN, APP_BYTES_OUT
    }

    void onEvent(DtlsConnection c, DtlsEvent event) {
        if (event instanceof DtlsEvent.HandshakeStarted) {
            handshakesStarted++;
        } else if (event instanceof DtlsEvent.HandshakeCompleted) {
            handshakesCompleted++;
        } else if (event instanceof DtlsEvent.HandshakeFailed f) {
            switch (f.outcome()) {
                case ALERT_SENT -> failedAlertSent++;
                case ALERT_RECEIVED -> failedAlertReceived++;
                case TIMED_OUT -> timedOut++;
                case ABANDONED -> {
                    if (c == expiring) {
                        timedOut++;
                    } else {
                        abandoned++;
                    }
                }
            }
        } else if (event instanceof DtlsEvent.AlertSent) {
            alertsSent++;
        } else if (event instanceof DtlsEvent.AlertReceived) {
            alertsReceived++;
        }
    }

    /**
     * Folds a connection's counters into the totals: once per live object, when it closes or goes to rest
     * (a woken copy is a new object that counts from zero).
     */
    void onClosed(DtlsConnection c) {
        add(closed, c);
        for (DropReason r : RECORD_REASONS) {
            recordDrops[r.ordinal()] += c.drops(r);
        }
        for (EngineDropReason r : ENGINE_REASONS) {
            engineDrops[r.ordinal()] += c.drops(r);
        }
    }

    private static void add(long[] t, DtlsConnection c) {
        t[Totals.RETRANSMISSIONS.ordinal()] += c.retransmissions();
        t[Totals.DATAGRAMS_IN.ordinal()] += c.datagramsReceived();
        t[Totals.DATAGRAMS_OUT.ordinal()] += c.datagramsSent();
        t[Totals.BYTES_IN.ordinal()] += c.bytesReceived();
        t[Totals.BYTES_OUT.ordinal()] += c.bytesSent();
        t[Totals.APP_RECORDS_IN.ordinal()] += c.applicationRecordsReceived();
        t[Totals.APP_RECORDS_OUT.ordinal()] += c.applicationRecordsSent();
        t[Totals.APP_BYTES_IN.ordinal()] += c.applicationBytesReceived();
        t[Totals.APP_BYTES_OUT.ordinal()] += c.applicationBytesSent();
    }

    /**
     * The totals plus the live connections' counters.
     *
     * @param live the connections not yet closed
     * @param acceptor the acceptor, for its gauges, caps, refusals and cookie verifier
     * @param preAuthBytesPerPeer the server's per-peer budget
     * @param sendErrors datagrams the socket refused
     * @param internalErrors contained unchecked exceptions
     */
    DtlsServerMetrics snapshot(Iterable<DtlsConnection> live, DtlsAcceptor acceptor, long preAuthBytesPerPeer,
                               long sendErrors, long internalErrors) {
        long[] t = closed.clone();
        Map<DropReason, Long> records = new EnumMap<>(DropReason.class);
        Map<EngineDropReason, Long> engine = new EnumMap<>(EngineDropReason.class);
        for (DropReason r : RECORD_REASONS) {
            records.put(r, recordDrops[r.ordinal()]);
        }
        for (EngineDropReason r : ENGINE_REASONS) {
            engine.put(r, engineDrops[r.ordinal()]);
        }
        for (DtlsConnection c : live) {
            if (c.isClosed()) {
                continue; // already folded in by onClosed
            }
            add(t, c);
            for (DropReason r : RECORD_REASONS) {
                records.merge(r, c.drops(r), Long::sum);
            }
            for (EngineDropReason r : ENGINE_REASONS) {
                engine.merge(r, c.drops(r), Long::sum);
            }
        }
        CookieVerifier verifier = acceptor.cookieVerifier();
        Map<org.dtls4j.cookie.DropReason, Long> cookie = new EnumMap<>(org.dtls4j.cookie.DropReason.class);
        for (org.dtls4j.cookie.DropReason r : COOKIE_REASONS) {
            cookie.put(r, verifier.dropCount(r));
        }
        return new DtlsServerMetrics(acceptor.connectionCount(), acceptor.halfOpenCount(),
                acceptor.maxConnections(), acceptor.maxHalfOpen(), preAuthBytesPerPeer,
                preAuthBytesPerPeer * acceptor.maxHalfOpen(), handshakesStarted, handshakesCompleted,
                failedAlertSent, failedAlertReceived, timedOut, abandoned, alertsSent, alertsReceived,
                t[Totals.RETRANSMISSIONS.ordinal()], t[Totals.DATAGRAMS_IN.ordinal()],
                t[Totals.DATAGRAMS_OUT.ordinal()], t[Totals.BYTES_IN.ordinal()], t[Totals.BYTES_OUT.ordinal()],
                t[Totals.APP_RECORDS_IN.ordinal()], t[Totals.APP_RECORDS_OUT.ordinal()],
                t[Totals.APP_BYTES_IN.ordinal()], t[Totals.APP_BYTES_OUT.ordinal()], Collections.unmodifiableMap(cookie),
                Collections.unmodifiableMap(records), Collections.unmodifiableMap(engine),
                acceptor.connectionsRefused(), acceptor.halfOpenRefused(), acceptor.halfOpenPerAddressRefused(),
                sendErrors, internalErrors);
    }

    /** Two workers' snapshots added up (the per-peer budget, the same for both, is kept). */
    static DtlsServerMetrics sum(DtlsServerMetrics a, DtlsServerMetrics b) {
        return new DtlsServerMetrics(a.connections() + b.connections(), a.halfOpen() + b.halfOpen(),
                a.maxConnections() + b.maxConnections(), a.maxHalfOpen() + b.maxHalfOpen(), a.preAuthBytesPerPeer(),
                a.preAuthBytesTotal() + b.preAuthBytesTotal(), a.handshakesStarted() + b.handshakesStarted(),
                a.handshakesCompleted() + b.handshakesCompleted(),
                a.handshakesFailedAlertSent() + b.handshakesFailedAlertSent(),
                a.handshakesFailedAlertReceived() + b.handshakesFailedAlertReceived(),
                a.handshakesTimedOut() + b.handshakesTimedOut(), a.handshakesAbandoned() + b.handshakesAbandoned(),
                a.alertsSent() + b.alertsSent(), a.alertsReceived() + b.alertsReceived(),
                a.retransmissions() + b.retransmissions(), a.datagramsIn() + b.datagramsIn(),
                a.datagramsOut() + b.datagramsOut(), a.bytesIn() + b.bytesIn(), a.bytesOut() + b.bytesOut(),
                a.applicationRecordsIn() + b.applicationRecordsIn(),
                a.applicationRecordsOut() + b.applicationRecordsOut(),
                a.applicationBytesIn() + b.applicationBytesIn(), a.applicationBytesOut() + b.applicationBytesOut(),
                sum(a.cookieDrops(), b.cookieDrops()), sum(a.recordDrops(), b.recordDrops()),
                sum(a.engineDrops(), b.engineDrops()), a.connectionsRefused() + b.connectionsRefused(),
                a.halfOpenRefused() + b.halfOpenRefused(), a.halfOpenPerAddressRefused() + b.halfOpenPerAddressRefused(),
                a.sendErrors() + b.sendErrors(), a.internalErrors() + b.internalErrors());
    }

    private static <K extends Enum<K>> Map<K, Long> sum(Map<K, Long> a, Map<K, Long> b) {
        Map<K, Long> out = new EnumMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return Collections.unmodifiableMap(out);
    }
}
