package org.dtls4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A CID client that changes its port again and again against a server on two workers (RFC 9146 §6): the
 * connection follows it, and the server's peer-to-worker map forgets every address the client left, so a
 * NAT that rebinds often does not grow it.
 */
class WorkersAddressMoveTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final int MOVES = 10;
    private static final long WAIT_NANOS = 10_000_000_000L;

    /** A client engine driven by hand over a socket the test swaps for a new one to "rebind". */
    private static final class MovingClient implements AutoCloseable {
        private final DtlsConnection connection;
        private final Recorder events = new Recorder();
        private final ByteBuffer in = ByteBuffer.allocate(2048);
        private DatagramChannel socket;

        MovingClient(InetSocketAddress server) throws IOException {
            socket = open();
            connection = DtlsConnection.client(TestConfigs.pskClient().connectionIdLength(4).build(), server,
                    (buf, off, len) -> send(server, buf, off, len), events);
        }

        private static DatagramChannel open() throws IOException {
            DatagramChannel c = DatagramChannel.open().bind(LOOPBACK);
            c.socket().setSoTimeout(50);
            return c;
        }

        private void send(InetSocketAddress server, byte[] buf, int off, int len) {
            try {
                socket.send(ByteBuffer.wrap(buf, off, len), server);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void rebind() throws IOException {
            socket.close();
            socket = open();
        }

        /** Reads datagrams and runs timers until {@code done} holds; fails after the bound. */
        void runUntil(BooleanSupplier done) throws IOException {
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (!done.getAsBoolean()) {
                assertTrue(System.nanoTime() < deadline, "no progress within the bound");
                in.clear();
                try {
                    int n = receiveOnce();
                    if (n > 0) {
                        connection.receive(in.array(), 0, n, System.nanoTime());
                    }
                } catch (SocketTimeoutException quiet) {
                    // fall through to the timers
                }
                if (System.nanoTime() >= connection.nextTimeoutNanos()) {
                    connection.onTimeout(System.nanoTime());
                }
            }
        }

        private int receiveOnce() throws IOException {
            java.net.DatagramPacket p = new java.net.DatagramPacket(in.array(), in.capacity());
            socket.socket().receive(p);
            return p.getLength();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void everyMoveIsFollowedAndTheOwnerMapKeepsOneAddress() throws Exception {
        List<String> moves = new CopyOnWriteArrayList<>();
        DtlsServer.Handler echo = new DtlsServer.Handler() {
            @Override
            public void onData(DtlsServer server, InetSocketAddress peer, byte[] data) {
                server.send(peer, data);
            }

            @Override
            public void onAddressChanged(DtlsServer server, InetSocketAddress previous, InetSocketAddress peer) {
                moves.add(previous.getPort() + ">" + peer.getPort());
            }
        };
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().connectionIdLength(4).build())
                .bind(LOOPBACK).workers(2).handler(echo).start();
             MovingClient client = new MovingClient(server.localAddress())) {
            client.connection.start(System.nanoTime());
            client.runUntil(client.events::isComplete);
            assertNotNull(client.connection.handshakeResult().connectionId(), "a CID was agreed");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < MOVES; i++) {
                int before = client.socket.socket().getLocalPort();
                client.rebind();
                expected.add(before + ">" + client.socket.socket().getLocalPort());
                String text = "move " + i;
                client.connection.send(text.getBytes(UTF_8), System.nanoTime());
                client.runUntil(() -> client.events.dataAsStrings().contains(text));
            }
            assertEquals(expected, moves, "the handler heard of each move, old port to new");
            assertEquals(MOVES, server.stats().addressChanges());
            assertEquals(1, server.stats().connections());
            assertEquals(1, server.ownedAddresses(), "the owner map forgot every address the client left");
        }
    }
}
