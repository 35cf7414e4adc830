package org.dtls4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsEvent;
import org.dtls4j.DtlsListener;
import org.dtls4j.DtlsServer;
import org.dtls4j.handshake.auth.PskStore;
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
    private static final byte[] IDENTITY = "client-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final PskStore STORE = id -> Arrays.equals(id, IDENTITY) ? KEY.clone() : null;

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
        try (DtlsServer server = DtlsServer.builder(DtlsConfig.builder().pskStore(STORE).connectionIdLength(4).build())
                .bind(new InetSocketAddress(LOOPBACK, 0)).workers(2).reusePort(reusePort)
                .handler(echo).observer(observer).start();
             NatRelay nat = new NatRelay(server.localAddress());
             DtlsClient client = DtlsClient.connect(DtlsConfig.builder().pskIdentity(IDENTITY, KEY).connectionIdLength(4).build(),
                     nat.insideAddress(), WAIT)) {
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
            assertEquals(MOVES, stats.addressChanges(), "the workers' counters add up the moves");
            assertEquals(1, stats.handshakesCompleted(), "one handshake: every move kept the connection");
            assertEquals(1, stats.connections());
        }
    }
}
