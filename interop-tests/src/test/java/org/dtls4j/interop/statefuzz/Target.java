package org.dtls4j.interop.statefuzz;

import java.util.List;
import org.dtls4j.testing.PeerEvent;
import org.dtls4j.testing.ScriptedPeer;

/** One DTLS server under test for the misbehaviour matrix: a fresh scripted client per scenario. */
interface Target extends AutoCloseable {

    /** The name in the table. */
    String name();

    /** A scripted client connected to a server in its initial state (a fresh one, or a fresh connection). */
    ScriptedPeer connect() throws Exception;

    /**
     * True when the server took application data carrying {@code marker}: by default, it echoed it
     * back (s_server, which prints instead, overrides this).
     */
    default boolean accepted(String marker, List<PeerEvent> events) {
        return events.stream().anyMatch(e -> e instanceof PeerEvent.ApplicationData a
                && new String(a.data(), java.nio.charset.StandardCharsets.US_ASCII).contains(marker));
    }

    /** Anything the server reported outside the wire (an engine exception), for the table; empty if nothing. */
    default String notes() {
        return "";
    }

    /** Stops the server; never throws a checked exception (an interrupt is kept as the thread's status). */
    @Override
    void close();
}
