package org.dtls4j.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;

/**
 * A {@link Transport} over one {@link DatagramChannel} bound to an ephemeral loopback port. As a
 * client it talks to a fixed address; as a server ({@link #listen}) it answers whoever sent the last
 * datagram. Waits use a {@link Selector} with the caller's timeout, so no thread is started.
 */
public final class UdpTransport implements Transport {
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramChannel channel;
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
    private SocketAddress peer;

    private UdpTransport(SocketAddress bind, SocketAddress peer) throws IOException {
        this.channel = DatagramChannel.open();
        try {
            channel.bind(bind);
            channel.configureBlocking(false);
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.peer = peer;
    }

    /**
     * A client-side transport on an ephemeral loopback port, sending to {@code target}.
     *
     * @param target the address of the implementation under test
     * @return the open transport
     * @throws IOException when the socket cannot be opened or bound
     */
    public static UdpTransport connect(InetSocketAddress target) throws IOException {
        return new UdpTransport(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), target);
    }

    /**
     * A server-side transport on loopback that answers whoever sent the last datagram; it cannot send
     * before it has received one.
     *
     * @param localPort the loopback port to bind, 0 for any free one
     * @return the open transport
     * @throws IOException when the socket cannot be opened or bound
     */
    public static UdpTransport listen(int localPort) throws IOException {
        return new UdpTransport(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort), null);
    }

    /**
     * {@return the local address, for a client under test to connect to}
     *
     * @throws IOException when the channel is closed
     */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public void send(byte[] datagram) throws IOException {
        if (peer == null) {
            throw new IOException("no peer yet: a listening transport answers the first datagram it receives");
        }
        channel.send(ByteBuffer.wrap(datagram), peer);
    }

    @Override
    public byte[] receive(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            buffer.clear();
            SocketAddress from = channel.receive(buffer);
            if (from != null) {
                peer = from;
                return Arrays.copyOf(buffer.array(), buffer.position());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "UdpTransport[peer=" + peer + "]";
    }
}
