package org.dtls4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DtlsServer on several worker threads over real loopback sockets, with SO_REUSEPORT and with one reader. */
class ServerWorkersTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Enough clients that both workers get some whichever way the kernel hashes (all on one: 2 in 65,536). */
    private static final int CLIENTS = 16;

    /** Echoes, and records the thread each peer's callbacks ran on. */
    private static final class Echo implements DtlsServer.Handler {
        final Map<InetSocketAddress, Set<String>> threads = new ConcurrentHashMap<>();

        @Override
        public void onConnected(DtlsServer server, InetSocketAddress peer, HandshakeResult result) {
            threads.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
        }

        @Override
        public void onData(DtlsServer server, InetSocketAddress peer, byte[] data) {
            threads.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
            if (new String(data, UTF_8).equals("boom")) {
                throw new IllegalStateException("a handler bug for one peer");
            }
            assertTrue(server.send(peer, data), "the peer's own worker sends at once");
        }
    }

    private static List<DtlsClient> connect(DtlsServer server, int n) throws Exception {
        List<DtlsClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT));
        }
        return clients;
    }

    private static void closeAll(List<DtlsClient> clients) throws java.io.IOException {
        for (DtlsClient c : clients) {
            c.close();
        }
    }

    @ParameterizedTest(name = "reusePort={0}")
    @ValueSource(booleans = {true, false})
    void connectionsSpreadOverTheWorkersAndEachIsServedOnItsWorkersThread(boolean reusePort) throws Exception {
        Echo echo = new Echo();
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).workers(2)
                .reusePort(reusePort).handler(echo).start()) {
            assertEquals(2, server.workers());
            assertEquals(reusePort, server.reusesPort(), "Linux offers SO_REUSEPORT");
            List<DtlsClient> clients = connect(server, CLIENTS);
            try {
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < clients.size(); i++) {
                        byte[] data = ("client " + i + " round " + round).getBytes(UTF_8);
                        clients.get(i).send(data);
                        assertArrayEquals(data, clients.get(i).receive(WAIT));
                    }
                }
                int[] perWorker = server.connectionsPerWorker();
                assertEquals(CLIENTS, perWorker[0] + perWorker[1]);
                assertTrue(perWorker[0] > 0 && perWorker[1] > 0, "both workers hold connections: " + Arrays.toString(perWorker));
                assertEquals(CLIENTS, echo.threads.size());
                for (Set<String> names : echo.threads.values()) {
                    assertEquals(1, names.size(), "every callback of a peer runs on its one worker: " + names);
                }
                DtlsServer.Stats stats = server.stats();
                assertEquals(CLIENTS, stats.connections());
                assertEquals(CLIENTS, stats.handshakesCompleted());
                assertEquals(CLIENTS, server.metrics().handshakesCompleted(), "metrics sum the workers");
                assertEquals(3L * CLIENTS, server.metrics().applicationRecordsIn());
                assertEquals(0, stats.internalErrors());
            } finally {
                closeAll(clients);
            }
        }
    }

    @Test
    void sendFromAnotherThreadReachesPeersOfEveryWorker() throws Exception {
        CountDownLatch connected = new CountDownLatch(CLIENTS);
        List<InetSocketAddress> peers = new java.util.concurrent.CopyOnWriteArrayList<>();
        DtlsServer.Handler handler = new DtlsServer.Handler() {
            @Override
            public void onConnected(DtlsServer server, InetSocketAddress peer, HandshakeResult result) {
                peers.add(peer);
                connected.countDown();
            }

            @Override
            public void onData(DtlsServer server, InetSocketAddress peer, byte[] data) {
            }
        };
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).workers(2)
                .handler(handler).start()) {
            List<DtlsClient> clients = connect(server, CLIENTS);
            try {
                assertTrue(connected.await(10, TimeUnit.SECONDS));
                for (DtlsClient c : clients) {
                    InetSocketAddress peer = c.localAddress();
                    assertTrue(server.send(new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getPort()),
                            "push".getBytes(UTF_8)));
                    assertEquals("push", new String(c.receive(WAIT), UTF_8));
                    byte[] key = server.exportKeyingMaterial(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                            peer.getPort()), "EXPERIMENTAL test", null, 16);
                    assertArrayEquals(c.exportKeyingMaterial("EXPERIMENTAL test", null, 16), key,
                            "answered on the peer's worker");
                }
                assertFalse(server.send(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), new byte[1]),
                        "no worker holds an unknown peer");
            } finally {
                closeAll(clients);
            }
        }
    }

    @Test
    void closeSendsCloseNotifyFromEveryWorkerAndStopsThemAll() throws Exception {
        DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).workers(2)
                .handler((srv, peer, data) -> srv.send(peer, data)).start();
        List<DtlsClient> clients = connect(server, CLIENTS);
        try {
            int[] perWorker = server.connectionsPerWorker();
            assertTrue(perWorker[0] > 0 && perWorker[1] > 0, Arrays.toString(perWorker));
            server.close();
            assertTrue(server.isClosed());
            assertNull(server.stopCause());
            for (DtlsClient c : clients) {
                assertNull(c.receive(WAIT), "close_notify");
                assertTrue(c.isClosed());
                assertNull(c.connection().failure());
            }
            assertEquals(0, server.stats().connections());
            assertEquals(0, server.timerCount(), "no timer entry outlives its connection");
        } finally {
            closeAll(clients);
        }
    }

    @Test
    void aHandlerBugOnOneWorkerCostsOneConnectionOnly() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        DtlsListener observer = new DtlsListener() {
            @Override
            public void onClosed(DtlsConnection c, DtlsException cause) {
                if (cause != null) {
                    failed.countDown();
                }
            }
        };
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).workers(2)
                .handler(new Echo()).observer(observer).start()) {
            List<DtlsClient> clients = connect(server, CLIENTS);
            try {
                clients.get(0).send("boom".getBytes(UTF_8));
                assertTrue(failed.await(10, TimeUnit.SECONDS));
                assertThrows(DtlsException.class, () -> clients.get(0).receive(WAIT), "internal_error reaches it");
                for (DtlsClient c : clients.subList(1, clients.size())) {
                    c.send("still here".getBytes(UTF_8));
                    assertEquals("still here", new String(c.receive(WAIT), UTF_8));
                }
                DtlsServer.Stats stats = server.stats();
                assertEquals(1, stats.internalErrors());
                assertEquals(CLIENTS - 1, stats.connections());
                assertNull(server.stopCause());
            } finally {
                closeAll(clients);
            }
        }
    }

    @Test
    void capsAreSplitBetweenTheWorkersAndSumInTheStats() throws Exception {
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).workers(3)
                .maxConnections(100).maxHalfOpen(10).maxHalfOpenPerAddress(4).build()) {
            DtlsServer.Stats stats = server.stats();
            assertEquals(100, stats.maxConnections());
            assertEquals(10, stats.maxHalfOpen());
            assertEquals(4, stats.maxHalfOpenPerAddress());
            assertEquals(10 * stats.preAuthBytesPerPeer(), stats.preAuthBytesTotal());
        }
    }

    @Test
    void socketBufferSizesAreAskedForAndWhatTheOsGrantedIsReported() throws Exception {
        int osDefault;
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).build()) {
            osDefault = server.receiveBufferSize();
        }
        // Far below any OS default, so the request shows whatever the OS rounds it to (Linux doubles it).
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).workers(2)
                .receiveBufferSize(4096).sendBufferSize(4096).build()) {
            int granted = server.receiveBufferSize();
            assertTrue(granted >= 4096 && granted < osDefault, granted + " vs default " + osDefault);
            DtlsClient client = DtlsClient.connect(TestConfigs.pskClient().build(), server.start().localAddress(), WAIT);
            client.close();
        }
        DtlsServer.Builder b = DtlsServer.builder(TestConfigs.pskServer().build());
        assertThrows(IllegalArgumentException.class, () -> b.receiveBufferSize(0));
        assertThrows(IllegalArgumentException.class, () -> b.sendBufferSize(-1));
    }

    @Test
    void oneCookieVerifierInstanceServesOneWorker() throws Exception {
        DtlsServer.Builder b = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .cookieVerifier(org.dtls4j.cookie.CookieVerifier.create());
        try (DtlsServer server = b.build()) {
            assertEquals(1, server.workers(), "the default with a verifier instance");
        }
        assertThrows(IllegalStateException.class, () -> b.workers(2).build());
    }
}
