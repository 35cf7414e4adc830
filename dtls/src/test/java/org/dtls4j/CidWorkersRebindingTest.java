package org.dtls4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9146 §6 on a DtlsServer with several workers: a client behind a NAT that gives it a new source port
 * before every record keeps its one connection, whichever worker the kernel (SO_REUSEPORT) or the reader
 * hands the new 4-tuple to — the owner byte of the server's CID routes it to the worker that holds it.
 */
class CidWorkersRebindingTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** With two workers a new port lands on the other one half the time: 12 moves all on one, 1 in 4,096. */
    private static final int MOVES = 12;

    /** A toy NAT: the client talks to {@code inside}; each {@link #rebind} gives its traffic a new outside port. */
    private static final class Nat implements AutoCloseable {
        private final DatagramSocket inside;
        private final SocketAddress server;
        private volatile DatagramSocket outside;
        private volatile SocketAddress client;

        Nat(SocketAddress server) throws IOException {
            this.server = server;
            this.inside = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            this.outside = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            daemon(this::up);
            DatagramSocket first = outside;
            daemon(() -> down(first));
        }

        InetSocketAddress address() {
            return (InetSocketAddress) inside.getLocalSocketAddress();
        }

        void rebind() throws IOException {
            DatagramSocket next = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            daemon(() -> down(next));
            outside = next; // the old socket stays open: a late reply to it still reaches the client
        }

        private void up() {
            byte[] buf = new byte[2048];
            while (!inside.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    inside.receive(p);
                    client = p.getSocketAddress();
                    outside.send(new DatagramPacket(buf, p.getLength(), server));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void down(DatagramSocket s) {
            byte[] buf = new byte[2048];
            while (!inside.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    inside.send(new DatagramPacket(buf, p.getLength(), client));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void daemon(Runnable r) {
            Thread t = new Thread(r, "nat");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            inside.close();
            outside.close();
        }
    }

    @ParameterizedTest(name = "reusePort={0}")
    @ValueSource(booleans = {true, false})
    void aRebindingClientKeepsItsConnectionAcrossWorkers(boolean reusePort) throws Exception {
        List<DtlsEvent.AddressChanged> moves = new CopyOnWriteArrayList<>();
        DtlsListener observer = new DtlsListener() {
            @Override
            public void onEvent(DtlsConnection c, DtlsEvent event) {
                if (event instanceof DtlsEvent.AddressChanged a) {
                    moves.add(a);
                }
            }
        };
        DtlsServer.Handler echo = new DtlsServer.Handler() {
            @Override
            public void onData(DtlsServer server, InetSocketAddress peer, byte[] data) {
                server.send(peer, data);
            }
        };
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().connectionIdLength(4).build())
                .bind(new InetSocketAddress(LOOPBACK, 0)).workers(2).reusePort(reusePort)
                .handler(echo).observer(observer).start();
             Nat nat = new Nat(server.localAddress());
             DtlsClient client = DtlsClient.connect(TestConfigs.pskClient().connectionIdLength(4).build(),
                     nat.address(), WAIT)) {
            assertEquals(4, client.connection().handshakeResult().connectionId().write().length,
                    "the server gave the client a CID");
            for (int i = 0; i < MOVES; i++) {
                nat.rebind();
                byte[] data = ("after move " + i).getBytes(UTF_8);
                client.send(data);
                assertArrayEquals(data, client.receive(WAIT), "echoed from the new port, move " + i);
            }
            assertEquals(MOVES, moves.size(), "each new port moved the connection once");
            DtlsServer.Stats stats = server.stats();
            assertEquals(1, stats.handshakesCompleted(), "one handshake: every move kept the connection");
            assertEquals(1, stats.connections());
        }
    }
}
