package org.dtls4j;

import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;

/**
 * What a {@link DtlsConnection} tells the application, on the thread that called into the connection.
 * Every method has an empty default, so a listener overrides only what it needs.
 */
public interface DtlsListener {
    /**
     * The handshake completed: the negotiated suite, the peer's identity, ALPN and the session.
     * Application data may be sent from here on.
     *
     * @param connection the connection that completed its handshake
     * @param result what the handshake agreed
     */
    default void onHandshakeComplete(DtlsConnection connection, HandshakeResult result) {
    }

    /**
     * One record of application data. The bytes are a slice of a buffer the connection reuses: valid only
     * during the call, copy what must outlive it. The listener may call {@link DtlsConnection#send}.
     *
     * @param connection the connection the record arrived on
     * @param buf the buffer holding the plaintext
     * @param off where the plaintext starts in {@code buf}
     * @param len the plaintext length, 0 for an empty record
     */
    default void onApplicationData(DtlsConnection connection, byte[] buf, int off, int len) {
    }

    /**
     * A warning alert from the peer (e.g. no_renegotiation); the connection goes on. Fatal alerts and
     * close_notify end the connection and arrive through {@link #onClosed} instead.
     *
     * @param connection the connection the alert arrived on
     * @param level the alert level, warning
     * @param description what the peer reported
     */
    default void onAlert(DtlsConnection connection, AlertLevel level, AlertDescription description) {
    }

    /**
     * The connection ended, once per connection.
     *
     * @param connection the connection that ended
     * @param cause null for a clean close (close_notify either way), otherwise the failure, carrying the
     *        alert sent or (when {@link DtlsException#receivedFromPeer()}) received
     */
    default void onClosed(DtlsConnection connection, DtlsException cause) {
    }

    /**
     * Handshake and retransmission events in words, for traces and demos; never contains secrets.
     *
     * @param connection the connection the event belongs to
     * @param event one event, e.g. a flight sent or retransmitted
     */
    default void onTrace(DtlsConnection connection, String event) {
    }

    /**
     * Whether {@link #onTrace} should be called at all. Asked once when a connection is created: when false
     * the handshake does not build its trace lines (a String put together per flight and at completion),
     * which a busy server pays for on every handshake. The default answers whether this listener's class
     * overrides {@code onTrace} (looked up once per class), so a listener that ignores traces never pays for
     * them and one that reads them always hears them; a listener that forwards to another overrides this too.
     *
     * @return true to receive trace lines
     */
    default boolean wantsTraces() {
        return ListenerTraits.overridesOnTrace(getClass());
    }

    /**
     * A structured fact about the connection: handshake started, completed or failed, alert sent or received,
     * and (only when {@link #wantsDropEvents()} says so) records dropped. Called on the connection's thread
     * next to the methods above; the default ignores it. Observing must not change the connection: an
     * exception thrown here is logged once and otherwise ignored.
     *
     * @param connection the connection the event is about
     * @param event the event; its {@code toString()} is one line for a trace
     */
    default void onEvent(DtlsConnection connection, DtlsEvent event) {
    }

    /**
     * Whether {@link #onEvent} should also receive {@link DtlsEvent.DatagramDropped}. Asked once when a
     * connection is created: when false (the default) a dropped record is only counted, never allocated
     * as an event, so a flood of junk costs the application nothing.
     *
     * @return true to receive drop events
     */
    default boolean wantsDropEvents() {
        return false;
    }
}
