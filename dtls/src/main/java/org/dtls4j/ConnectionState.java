package org.dtls4j;

/** Where a {@link DtlsConnection} is in its life. CLOSED and FAILED are final. */
public enum ConnectionState {
    /** Created, {@link DtlsConnection#start} not yet called. */
    NEW,
    /** The handshake is running; application data cannot be sent yet. */
    HANDSHAKING,
    /** The handshake completed; application data flows both ways. */
    ESTABLISHED,
    /** Ended cleanly by close_notify (sent or received) or by sequence-number exhaustion. */
    CLOSED,
    /** Ended by an error: a fatal alert sent or received. */
    FAILED
}
