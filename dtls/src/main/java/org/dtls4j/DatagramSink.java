package org.dtls4j;

/** Where a {@link DtlsConnection} puts the datagrams it sends: a socket adapter, or a test's network. */
@FunctionalInterface
public interface DatagramSink {
    /**
     * Sends one datagram; the bytes are valid only during the call (the connection reuses the buffer).
     *
     * @param buf the buffer holding the datagram
     * @param off where the datagram starts in {@code buf}
     * @param len the datagram length, at most the configured maximum datagram size
     */
    void send(byte[] buf, int off, int len);
}
