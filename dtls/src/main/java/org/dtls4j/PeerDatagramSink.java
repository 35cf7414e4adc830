package org.dtls4j;

import java.net.InetSocketAddress;

/** Where a {@link DtlsAcceptor} puts the datagrams it sends, each addressed to one peer. */
@FunctionalInterface
public interface PeerDatagramSink {
    /**
     * Sends one datagram to {@code peer}; the bytes are valid only during the call.
     *
     * @param buf the buffer holding the datagram
     * @param off where the datagram starts in {@code buf}
     * @param len the datagram length in bytes
     * @param peer the address the datagram goes to
     */
    void send(byte[] buf, int off, int len, InetSocketAddress peer);
}
