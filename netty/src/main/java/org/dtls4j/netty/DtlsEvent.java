package org.dtls4j.netty;

import java.net.InetSocketAddress;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;

/**
 * What {@link DtlsServerHandler} and {@link DtlsClientHandler} tell the rest of the pipeline about a peer,
 * as Netty user events ({@code userEventTriggered}): handshakes completed, warning alerts, connections ended.
 * Application data is not an event: it arrives through {@code channelRead} as a {@code DatagramPacket}.
 */
public sealed interface DtlsEvent {
    /**
     * The peer this event is about.
     *
     * @return the peer's address
     */
    InetSocketAddress peer();

    /**
     * The handshake with {@code peer} completed; the handler now accepts application data for it.
     *
     * @param peer the peer's address
     * @param result what the handshake agreed: suite, peer identity, ALPN, session
     */
    record HandshakeCompleted(InetSocketAddress peer, HandshakeResult result) implements DtlsEvent {
    }

    /**
     * A warning alert from {@code peer} (for example no_renegotiation); the connection goes on.
     *
     * @param peer the peer's address
     * @param level the alert level (always warning: a fatal alert ends the connection, see {@link Closed})
     * @param description what the peer said
     */
    record AlertReceived(InetSocketAddress peer, AlertLevel level, AlertDescription description)
            implements DtlsEvent {
    }

    /**
     * The connection with {@code peer} ended, whether or not its handshake had completed.
     *
     * @param peer the peer's address
     * @param cause null for a clean end (close_notify either way, a replacement by a new handshake from the
     *     same address, or the channel closing), otherwise the failure with the alert sent or received
     */
    record Closed(InetSocketAddress peer, DtlsException cause) implements DtlsEvent {
    }
}
