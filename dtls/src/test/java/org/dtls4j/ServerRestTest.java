package org.dtls4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@link DtlsServer.Builder#restAfter} over real loopback sockets: a quiet connection goes to rest on its worker,
 * its peer's next record and the application's {@link DtlsServer#send} wake it, and the server's counters
 * neither lose nor double what it did before it rested.
 */
class ServerRestTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aQuietPeerRestsAndIsWokenByItsRecordAndByASend() throws Exception {
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).workers(2)
                .restAfter(Duration.ofMillis(50)).handler((srv, peer, data) -> srv.send(peer, data)).start();
             DtlsClient client = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT)) {
            echo(client, "before");
            awaitStats(server, s -> s.atRest() == 1);
            assertEquals(1, server.stats().connections(), "at rest is still connected");

            echo(client, "woken by its record");
            assertEquals(1, server.stats().wakes());

            awaitStats(server, s -> s.atRest() == 1);
            InetSocketAddress peer = client.localAddress();
            InetSocketAddress asSeen = new InetSocketAddress(InetAddress.getLoopbackAddress(), peer.getPort());
            assertTrue(server.send(asSeen, "pushed".getBytes(UTF_8)), "a send finds the connection at rest");
            assertArrayEquals("pushed".getBytes(UTF_8), client.receive(WAIT));
            assertEquals(2, server.stats().wakes());

            DtlsServerMetrics m = server.metrics();
            assertEquals(2, m.applicationRecordsIn(), "the records before each rest are folded in once");
            assertEquals(3, m.applicationRecordsOut());
            assertEquals(1, m.handshakesCompleted());
        }
    }

    private static void echo(DtlsClient client, String text) throws Exception {
        client.send(text.getBytes(UTF_8));
        assertArrayEquals(text.getBytes(UTF_8), client.receive(WAIT));
    }

    /** Polls the server's counters (kept on its workers) until they say so, for at most {@link #WAIT}. */
    private static void awaitStats(DtlsServer server, Predicate<DtlsServer.Stats> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        DtlsServer.Stats s = server.stats();
        while (!done.test(s)) {
            assertTrue(System.nanoTime() - deadline < 0, "still " + s);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            s = server.stats();
        }
    }
}
