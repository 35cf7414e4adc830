package org.dtls4j;

import java.net.InetSocketAddress;

/** Where a {@link DtlsAcceptor} puts the datagrams it sends, each addressed to one peer. */
@FunctionalInterface
public interface PeerDatagramSink {
    /** Sends one datagram to {@code peer}; the bytes are valid only during the call. */
    void send(byte[] buf, int off, int len, InetSocketAddress peer);
}
