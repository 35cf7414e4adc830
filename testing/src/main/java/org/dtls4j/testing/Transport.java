package org.dtls4j.testing;

import java.io.IOException;
import java.time.Duration;

/**
 * How a {@link ScriptedPeer} reaches the implementation under test: one datagram out, one datagram in
 * within a timeout. {@link UdpTransport} is a loopback socket; {@link InMemoryTransport} hands byte
 * arrays to code in the same process.
 */
public interface Transport extends AutoCloseable {

    /** Sends one datagram. */
    void send(byte[] datagram) throws IOException;

    /** The next datagram from the other side, or null when none arrives within {@code timeout}. */
    byte[] receive(Duration timeout) throws IOException;

    /** Releases the transport; further calls fail or return nothing. */
    @Override
    void close() throws IOException;
}
