package org.dtls4j.handshake.machine;

import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;

/** What a {@link Handshaker} needs from the connection that runs it: a way out, and someone to tell. */
public interface HandshakeOutput {
    /**
     * Sends one datagram; the bytes are valid only during the call.
     *
     * @param buf the buffer (valid only during the call)
     * @param off where the datagram starts
     * @param len its length
     */
    void sendDatagram(byte[] buf, int off, int len);

    /**
     * Sends an alert in the current write epoch (the handshake only sends warnings this way).
     *
     * @param level warning or fatal
     * @param description the alert
     */
    void sendAlert(AlertLevel level, AlertDescription description);

    /**
     * Handshake and retransmission events in words, for traces; must not contain secrets.
     *
     * @param event the event in words, without secrets
     */
    default void trace(String event) {
    }

    /**
     * The keys of a new session exist (client random, master secret), for an NSS key log.
     *
     * @param clientRandom ClientHello.random
     * @param masterSecret the master secret
     */
    default void keyLog(byte[] clientRandom, byte[] masterSecret) {
    }
}
