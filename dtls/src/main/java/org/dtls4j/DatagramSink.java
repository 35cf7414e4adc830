package org.dtls4j;

/** Where a {@link DtlsConnection} puts the datagrams it sends: a socket adapter, or a test's network. */
@FunctionalInterface
public interface DatagramSink {
    /** Sends one datagram; the bytes are valid only during the call (the connection reuses the buffer). */
    void send(byte[] buf, int off, int len);
}
