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

    /** Whether to send this datagram to {@code peer}; the bytes are valid only during the call. */
    boolean pass(byte[] buf, int off, int len, InetSocketAddress peer);
}
