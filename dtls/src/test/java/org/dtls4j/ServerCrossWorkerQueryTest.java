package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.dtls4j.handshake.session.HandshakeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DtlsServer#handshakeResult} and {@link DtlsServer#exportKeyingMaterial} asked from one worker's
 * callback about a peer of another worker: two callbacks asking about each other's peers at the same moment
 * both get their answers (neither waits out the other), a callback asking about its own peer reads its
 * worker's tables without a hand-off, any other thread is answered by the peer's worker, and a worker that
 * has ended answers at once.
 */
class ServerCrossWorkerQueryTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Enough clients that both workers get some whichever way the kernel hashes (all on one: 2 in 65,536). */
    private static final int CLIENTS = 16;
    private static final String LABEL = "EXPERIMENTAL-dtls4j-cross-worker";
    private static final int KEY_LENGTH = 32;

    /** What a request does inside {@link DtlsServer.Handler#onData}, on the peer's worker. */
    @FunctionalInterface
    private interface Request {
        void handle(DtlsServer server, InetSocketAddress peer) throws Exception;
    }

    /** Records which worker thread holds each peer and runs the test's request for each datagram. */
    private static final class Peers implements DtlsServer.Handler {
        final Map<InetSocketAddress, Thread> workerOf = new ConcurrentHashMap<>();
        volatile Request request = (server, peer) -> { };

        @Override
        public void onConnected(DtlsServer server, InetSocketAddress peer, HandshakeResult result) {
            workerOf.put(peer, Thread.currentThread());
        }

        @Override
        public void onData(DtlsServer server, InetSocketAddress peer, byte[] data) {
            try {
                request.handle(server, peer);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            server.send(peer, data);
        }
    }

    private final List<DtlsClient> clients = new ArrayList<>();
    private final Peers peers = new Peers();
    /** A client on one worker and a client on the other. */
    private DtlsClient first;
    private DtlsClient second;

    @AfterEach
    void closeClients() throws java.io.IOException {
        for (DtlsClient c : clients) {
            c.close();
        }
    }

    /** Starts a two-worker server and connects clients until both workers hold one; picks one of each. */
    private DtlsServer start(DtlsServer.Builder builder) throws Exception {
        DtlsServer server = builder.bind(LOOPBACK).workers(2).handler(peers).start();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT));
        }
        first = clients.get(0);
        Thread firstWorker = workerOf(first);
        for (DtlsClient c : clients) {
            if (workerOf(c) != firstWorker) {
                second = c;
                break;
            }
        }
        assertNotNull(second, "a client on each worker: " + peers.workerOf.values());
        return server;
    }

    @Test
    void twoWorkersAskingAboutEachOthersPeersAtOnceBothGetTheirAnswers() throws Exception {
        Map<InetSocketAddress, Object> answers = new ConcurrentHashMap<>();
        try (DtlsServer server = start(DtlsServer.builder(TestConfigs.pskServer().build()))) {
            InetSocketAddress a = asSeen(first);
            InetSocketAddress b = asSeen(second);
            CyclicBarrier together = new CyclicBarrier(2);
            peers.request = (s, peer) -> {
                InetSocketAddress other = peer.equals(a) ? b : a;
                // Both callbacks are inside their workers when either asks: each asks the other, busy one.
                together.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                try {
                    HandshakeResult r = s.handshakeResult(other);
                    byte[] key = s.exportKeyingMaterial(other, LABEL, null, KEY_LENGTH);
                    answers.put(peer, List.of(r, key));
                } catch (RuntimeException e) {
                    answers.put(peer, e);
                }
            };
            first.send(new byte[] {1});
            second.send(new byte[] {2});
            assertArrayEquals(new byte[] {1}, first.receive(WAIT));
            assertArrayEquals(new byte[] {2}, second.receive(WAIT));

            assertAnswerIs(second, answers.get(a));
            assertAnswerIs(first, answers.get(b));
        }
    }

    @Test
    void threeWorkersAskingRoundACycleAllGetTheirAnswers() throws Exception {
        Map<InetSocketAddress, Object> answers = new ConcurrentHashMap<>();
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).workers(3)
                .handler(peers).start()) {
            // One client per worker: with 3 workers, all of 24 clients miss one with odds about 2 in 10,000.
            Map<Thread, DtlsClient> onWorker = new ConcurrentHashMap<>();
            for (int i = 0; i < 24; i++) {
                DtlsClient c = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT);
                clients.add(c);
                onWorker.putIfAbsent(workerOf(c), c);
            }
            assertEquals(3, onWorker.size(), "a client on each worker");
            List<DtlsClient> ring = new ArrayList<>(onWorker.values());
            Map<InetSocketAddress, InetSocketAddress> next = new ConcurrentHashMap<>();
            for (int i = 0; i < ring.size(); i++) {
                next.put(asSeen(ring.get(i)), asSeen(ring.get((i + 1) % ring.size())));
            }
            CyclicBarrier together = new CyclicBarrier(ring.size());
            peers.request = (s, peer) -> {
                together.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                try { // A asks about B's peer, B about C's, C about A's: a cycle through every worker
                    InetSocketAddress other = next.get(peer);
                    answers.put(peer, List.of(s.handshakeResult(other), s.exportKeyingMaterial(other, LABEL, null,
                            KEY_LENGTH)));
                } catch (RuntimeException e) {
                    answers.put(peer, e);
                }
            };
            for (DtlsClient c : ring) {
                c.send(new byte[] {4});
            }
            for (int i = 0; i < ring.size(); i++) {
                assertArrayEquals(new byte[] {4}, ring.get(i).receive(WAIT));
                assertAnswerIs(ring.get((i + 1) % ring.size()), answers.get(asSeen(ring.get(i))));
            }
        }
    }

    @Test
    void aCallbackAskingAboutItsOwnPeerReadsItsWorkersTablesWithoutAHandOff() throws Exception {
        Map<InetSocketAddress, Object> answers = new ConcurrentHashMap<>();
        long[] handOffs = new long[2];
        try (DtlsServer server = start(DtlsServer.builder(TestConfigs.pskServer().build()))) {
            peers.request = (s, peer) -> {
                handOffs[0] = s.queriesAnswered();
                answers.put(peer, List.of(s.handshakeResult(peer), s.exportKeyingMaterial(peer, LABEL, null, KEY_LENGTH)));
                handOffs[1] = s.queriesAnswered();
            };
            first.send(new byte[] {1});
            assertArrayEquals(new byte[] {1}, first.receive(WAIT));
            assertAnswerIs(first, answers.get(asSeen(first)));
            assertEquals(handOffs[0], handOffs[1], "nothing handed to a worker");
        }
    }

    @Test
    void anotherThreadIsAnsweredByThePeersWorkerAndARestingPeerStaysAtRest() throws Exception {
        try (DtlsServer server = start(DtlsServer.builder(TestConfigs.pskServer().build())
                .restAfter(Duration.ofMillis(50)))) {
            long handOffs = server.queriesAnswered();
            assertAnswerIs(first, List.of(server.handshakeResult(asSeen(first)),
                    server.exportKeyingMaterial(asSeen(first), LABEL, null, KEY_LENGTH)));
            assertEquals(handOffs + 2, server.queriesAnswered(), "each call handed to the peer's worker");

            for (DtlsClient c : clients) { // a record from the client lets the server drop its last flight, so it can rest
                c.send(new byte[] {3});
                assertArrayEquals(new byte[] {3}, c.receive(WAIT));
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (server.stats().atRest() != CLIENTS) {
                assertTrue(System.nanoTime() - deadline < 0, "still " + server.stats());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            long wakes = server.stats().wakes();
            for (DtlsClient c : List.of(first, second)) {
                assertAnswerIs(c, List.of(server.handshakeResult(asSeen(c)),
                        server.exportKeyingMaterial(asSeen(c), LABEL, null, KEY_LENGTH)));
            }
            assertEquals(wakes, server.stats().wakes(), "a question wakes no connection at rest");
            assertEquals(CLIENTS, server.stats().atRest());
            IllegalStateException none = assertThrows(IllegalStateException.class, () -> server.exportKeyingMaterial(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), LABEL, null, KEY_LENGTH));
            assertTrue(none.getMessage().startsWith("no connection"), none.getMessage());
        }
    }

    @Test
    void aWorkerThatHasEndedIsAnsweredAtOnceAndSoIsAClosedServer() throws Exception {
        Map<InetSocketAddress, Object> answers = new ConcurrentHashMap<>();
        DtlsServer server = start(DtlsServer.builder(TestConfigs.pskServer().build()));
        try {
            InetSocketAddress a = asSeen(first);
            InetSocketAddress b = asSeen(second);
            long handOffs = server.queriesAnswered();
            peers.request = (s, peer) -> {
                // Take the other worker away while this one is in a callback: it closes its peers and ends.
                peers.workerOf.get(b).interrupt();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (s.endedWorkers() == 0 && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                try {
                    // b's connection is closed and gone from the directory; its worker is asked for its counters.
                    answers.put(peer, s.handshakeResult(b) == null ? "nobody" : "somebody");
                    answers.put(b, s.stats().connections());
                } catch (RuntimeException e) {
                    answers.put(peer, e);
                }
            };
            first.send(new byte[] {1});
            first.receive(WAIT);
            assertEquals("nobody", answers.get(a), "the ended worker's closed peer");
            assertEquals(peers.workerOf.values().stream().filter(t -> t == peers.workerOf.get(a)).count(),
                    ((Integer) answers.get(b)).longValue(), "this worker's peers, and none on the ended one");
            assertEquals(handOffs + 1, server.queriesAnswered(), "the ended worker's part answered from its queue");
            assertInstanceOf(InterruptedException.class, server.stopCause());
        } finally {
            server.close();
        }
        assertTrue(server.isClosed());
        assertNull(server.handshakeResult(asSeen(first)), "a closed server knows nobody");
        assertThrows(IllegalStateException.class,
                () -> server.exportKeyingMaterial(asSeen(second), LABEL, null, KEY_LENGTH));
    }

    /** {@code answer} is {@code about}'s handshake result and its exported key, not a failure. */
    private static void assertAnswerIs(DtlsClient about, Object answer) {
        assertInstanceOf(List.class, answer, () -> "answered: " + answer);
        List<?> pair = (List<?>) answer;
        HandshakeResult r = (HandshakeResult) pair.get(0);
        assertArrayEquals(TestConfigs.PSK_IDENTITY, r.pskIdentity());
        assertArrayEquals(about.exportKeyingMaterial(LABEL, null, KEY_LENGTH), (byte[]) pair.get(1));
    }

    /**
     * The worker thread holding {@code c}'s connection; waits for its onConnected, which may run just after
     * the client saw the server's Finished.
     */
    private Thread workerOf(DtlsClient c) throws java.io.IOException {
        InetSocketAddress peer = asSeen(c);
        long deadline = System.nanoTime() + WAIT.toNanos();
        Thread t;
        while ((t = peers.workerOf.get(peer)) == null) {
            assertTrue(System.nanoTime() - deadline < 0, "no onConnected for " + peer);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return t;
    }

    /** The client's address as the server sees it (the client binds the wildcard address). */
    private static InetSocketAddress asSeen(DtlsClient c) throws java.io.IOException {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), c.localAddress().getPort());
    }
}
