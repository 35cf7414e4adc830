package org.dtls4j.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's limit for {@link org.dtls4j.DtlsServer}'s socket side: an unencrypted UDP echo server doing
 * the same socket I/O with the same threads (one non-blocking {@link DatagramChannel} and {@link Selector}
 * per thread, all bound to one port with SO_REUSEPORT; a heap buffer to receive, a direct one to send), so
 * a DTLS server's records/s can be read as a fraction of it.
 */
final class PlainEchoServer implements AutoCloseable {
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final List<Selector> selectors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closing;

    /**
     * Binds {@code threads} sockets to one loopback port and starts one echo thread per socket.
     *
     * @param bind the address to bind (port 0 for an ephemeral one)
     * @param count the echo threads, at least 1
     */
    PlainEchoServer(InetSocketAddress bind, int count) throws IOException {
        SocketAddress at = bind;
        for (int i = 0; i < count; i++) {
            DatagramChannel c = DatagramChannel.open();
            if (count > 1) {
                c.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            c.bind(at);
            at = c.getLocalAddress();
            c.configureBlocking(false);
            Selector s = Selector.open();
            c.register(s, SelectionKey.OP_READ);
            channels.add(c);
            selectors.add(s);
        }
        for (int i = 0; i < count; i++) {
            DatagramChannel c = channels.get(i);
            Selector s = selectors.get(i);
            Thread t = new Thread(() -> loop(c, s), "plain-echo-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** {@return the bound address} */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channels.get(0).getLocalAddress();
    }

    private void loop(DatagramChannel channel, Selector selector) {
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        ByteBuffer out = ByteBuffer.allocateDirect(1 << 16);
        try {
            while (!closing) {
                selector.select();
                selector.selectedKeys().clear();
                for (int i = 0; i < 256; i++) {
                    in.clear();
                    SocketAddress from = channel.receive(in);
                    if (from == null) {
                        break;
                    }
                    out.clear();
                    out.put(in.array(), 0, in.position()).flip();
                    channel.send(out, from);
                }
            }
        } catch (IOException e) {
            if (!closing) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        for (Selector s : selectors) {
            s.wakeup();
        }
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (int i = 0; i < channels.size(); i++) {
            selectors.get(i).close();
            channels.get(i).close();
        }
    }
}
