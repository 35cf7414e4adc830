package org.dtls4j;

import java.net.InetSocketAddress;

/**
 * A hook on the send path of {@link DtlsClient} and {@link DtlsServer}: return false to drop a datagram
 * instead of sending it. For simulating loss in demos and tests, or for capturing what goes out.
 */
@FunctionalInterface
public interface DatagramFilter {
    /** Passes everything. */
    DatagramFilter PASS_ALL = (buf, off, len, peer) -> true;

    /**
     * Decides whether to send one datagram; the bytes are valid only during the call.
     *
     * @param buf the buffer holding the datagram
     * @param off where the datagram starts in {@code buf}
     * @param len the datagram length in bytes
     * @param peer where the datagram would go
     * @return true to send it, false to drop it
     */
    boolean pass(byte[] buf, int off, int len, InetSocketAddress peer);
}
