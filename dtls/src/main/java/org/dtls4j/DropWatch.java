package org.dtls4j;

import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.dtls4j.record.DropReason;

/**
 * Turns a connection's drop counters into {@link DtlsEvent.DatagramDropped} events around one datagram:
 * used only while a listener or a JFR recording asks for drops, so the usual path counts and allocates
 * nothing more.
 */
final class DropWatch {
    /** Cached: {@code values()} clones its array, and the watch runs per datagram. */
    private static final DropReason[] RECORD_REASONS = DropReason.values();
    private static final EngineDropReason[] ENGINE_REASONS = EngineDropReason.values();

    private final long[] marks = new long[RECORD_REASONS.length + ENGINE_REASONS.length];

    /** Notes the counters before the datagram. */
    void mark(DtlsConnection connection) {
        for (DropReason r : RECORD_REASONS) {
            marks[r.ordinal()] = connection.drops(r);
        }
        for (EngineDropReason r : ENGINE_REASONS) {
            marks[RECORD_REASONS.length + r.ordinal()] = connection.drops(r);
        }
    }

    /** One event per reason whose counter grew since {@link #mark}. */
    void report(DtlsConnection connection, InetSocketAddress peer, Consumer<DtlsEvent> out) {
        for (DropReason r : RECORD_REASONS) {
            long grew = connection.drops(r) - marks[r.ordinal()];
            if (grew > 0) {
                out.accept(new DtlsEvent.DatagramDropped(peer, r, grew));
            }
        }
        for (EngineDropReason r : ENGINE_REASONS) {
            long grew = connection.drops(r) - marks[RECORD_REASONS.length + r.ordinal()];
            if (grew > 0) {
                out.accept(new DtlsEvent.DatagramDropped(peer, r, grew));
            }
        }
    }
}
