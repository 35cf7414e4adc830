package org.dtls4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.record.DropReason;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/** {@link DtlsServer#metrics()} over real loopback connections, one of them failing. */
class ServerMetricsTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void countsHandshakesByOutcomeAndTrafficAcrossLiveAndClosedConnections() throws Exception {
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .handler((srv, peer, data) -> srv.send(peer, data)).start()) {
            for (int i = 0; i < 3; i++) {
                try (DtlsClient client = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(),
                        WAIT)) {
                    for (int k = 0; k < 2; k++) {
                        byte[] msg = ("m" + i + k).getBytes(UTF_8);
                        client.send(msg);
                        assertArrayEquals(msg, client.receive(WAIT));
                    }
                }
            }
            DtlsConfig wrong = DtlsConfig.builder().pskIdentity(TestConfigs.PSK_IDENTITY, new byte[16]).build();
            assertThrows(DtlsException.class, () -> DtlsClient.connect(wrong, server.localAddress(), WAIT));

            DtlsServerMetrics m = server.metrics();
            assertEquals(4, m.handshakesStarted());
            assertEquals(3, m.handshakesCompleted());
            assertEquals(1, m.handshakesFailedAlertSent(), "the server saw the bad MAC first and sent the alert");
            assertEquals(0, m.handshakesFailedAlertReceived());
            assertEquals(1, m.handshakesFailed());
            assertEquals(6, m.applicationRecordsIn());
            assertEquals(6, m.applicationRecordsOut());
            assertEquals(6 * 3, m.applicationBytesIn());
            assertEquals(m.applicationBytesIn(), m.applicationBytesOut());
            assertTrue(m.bytesIn() > m.applicationBytesIn() && m.bytesOut() > m.applicationBytesOut());
            // Per handshake at least the client's second flight (the verified ClientHello reaches the connection
            // through the cookie verifier, not as a datagram), then the six records of data.
            assertTrue(m.datagramsIn() >= 4 + 6, () -> "datagrams in: " + m.datagramsIn());
            assertTrue(m.alertsSent() >= 1);
            assertTrue(m.recordDrops().get(DropReason.AUTH_FAILED) >= 1, "the wrong-PSK Finished");
            assertEquals(m.preAuthBytesPerPeer() * m.maxHalfOpen(), m.preAuthBytesTotal());
            assertEquals(server.stats().handshakesCompleted(), m.handshakesCompleted());

            Map<String, Number> map = m.asMap();
            assertEquals(3L, map.get("dtls.handshakes.completed"));
            assertEquals(1L, map.get("dtls.handshakes.failed.alert_sent"));
            assertEquals(m.recordDrops().get(DropReason.AUTH_FAILED), map.get("dtls.drops.record.auth_failed"));
            assertTrue(map.containsKey("dtls.drops.cookie.truncated"), "every reason is listed, zero or not");
            assertTrue(map.containsKey("dtls.drops.engine.after_close"));
            assertThrows(UnsupportedOperationException.class, () -> map.put("x", 1));
        }
    }

    @Test
    void aHalfOpenHandshakeThatGoesSilentCountsAsTimedOut() throws Exception {
        CompletableFuture<DtlsEvent.HandshakeFailed> failed = new CompletableFuture<>();
        DtlsListener observer = new DtlsListener() {
            @Override
            public void onEvent(DtlsConnection connection, DtlsEvent event) {
                if (event instanceof DtlsEvent.HandshakeFailed f) {
                    failed.complete(f);
                }
            }
        };
        AtomicInteger sent = new AtomicInteger();
        // The client's two ClientHellos go out, then nothing: the server's connection stays half-open.
        DatagramFilter silentAfterHello = (buf, off, len, peer) -> sent.incrementAndGet() <= 2;
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .handler((srv, peer, data) -> { }).observer(observer).halfOpenTimeout(Duration.ofMillis(200))
                .start()) {
            assertThrows(Exception.class, () -> DtlsClient.builder(TestConfigs.pskClient().build(),
                    server.localAddress()).sendFilter(silentAfterHello).connect(Duration.ofMillis(500)));
            DtlsEvent.HandshakeFailed f = failed.get(10, TimeUnit.SECONDS);
            assertEquals(DtlsEvent.FailureKind.ABANDONED, f.outcome(), "dropped without an alert");
            DtlsServerMetrics m = server.metrics();
            assertEquals(1, m.handshakesStarted());
            assertEquals(1, m.handshakesTimedOut(), "the half-open timeout is a timeout for the metrics");
            assertEquals(0, m.handshakesAbandoned());
            assertEquals(0, m.halfOpen());
        }
    }
}
