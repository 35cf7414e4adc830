package org.dtls4j.testing;

import java.io.IOException;
import java.time.Duration;

/**
 * How a {@link ScriptedPeer} reaches the implementation under test: one datagram out, one datagram in
 * within a timeout. {@link UdpTransport} is a loopback socket; {@link InMemoryTransport} hands byte
 * arrays to code in the same process.
 */
public interface Transport extends AutoCloseable {

    /**
     * Sends one datagram.
     *
     * @param datagram the whole datagram, one or more DTLS records
     * @throws IOException when the transport cannot send it
     */
    void send(byte[] datagram) throws IOException;

    /**
     * Waits for the next datagram from the other side.
     *
     * @param timeout how long to wait at most
     * @return the datagram, or null when none arrives within {@code timeout}
     * @throws IOException when the transport cannot receive
     */
    byte[] receive(Duration timeout) throws IOException;

    /**
     * Releases the transport; further calls fail or return nothing.
     *
     * @throws IOException when closing the underlying socket fails
     */
    @Override
    void close() throws IOException;
}
