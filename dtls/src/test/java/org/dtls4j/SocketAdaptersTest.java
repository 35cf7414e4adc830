package org.dtls4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/** DtlsClient and DtlsServer over real loopback sockets on ephemeral ports. */
class SocketAdaptersTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static DtlsServer.Builder echoServer(DtlsConfig config) {
        return DtlsServer.builder(config).bind(LOOPBACK).handler((srv, peer, data) -> srv.send(peer, data));
    }

    @Test
    void clientHandshakesAndGetsItsDatagramsEchoed() throws Exception {
        try (DtlsServer server = echoServer(TestConfigs.pskServer().build()).start();
             DtlsClient client = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT)) {
            assertTrue(client.handshakeResult().suite().keyExchange().usesPsk());
            for (String s : List.of("one", "two", "three")) {
                client.send(s.getBytes(UTF_8));
                assertEquals(s, new String(client.receive(WAIT), UTF_8));
            }
            DtlsServer.Stats stats = server.stats();
            assertEquals(1, stats.connections());
            assertEquals(0, stats.halfOpen());
            assertEquals(1, stats.helloVerifyRequests());
            assertEquals(1, stats.handshakesCompleted());
        }
    }

    @Test
    void certificateHandshakeOverSockets() throws Exception {
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        DtlsConfig[] pair = TestConfigs.pairFor(suite);
        try (DtlsServer server = echoServer(pair[1]).start();
             DtlsClient client = DtlsClient.connect(pair[0], server.localAddress(), WAIT)) {
            assertEquals(suite, client.handshakeResult().suite());
            client.send(new byte[1000]);
            assertArrayEquals(new byte[1000], client.receive(WAIT));
        }
    }

    @Test
    void serverServesSeveralClientsAtOnce() throws Exception {
        try (DtlsServer server = echoServer(TestConfigs.pskServer().build()).start()) {
            List<DtlsClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    clients.add(DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT));
                }
                assertEquals(4, server.stats().connections());
                for (int i = 0; i < clients.size(); i++) {
                    clients.get(i).send(("client " + i).getBytes(UTF_8));
                }
                for (int i = 0; i < clients.size(); i++) {
                    assertEquals("client " + i, new String(clients.get(i).receive(WAIT), UTF_8));
                }
            } finally {
                for (DtlsClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void handshakeSurvivesLossOnBothSides() throws Exception {
        AtomicInteger n = new AtomicInteger();
        DatagramFilter everyThirdLost = (b, o, l, p) -> n.incrementAndGet() % 3 != 0;
        DtlsConfig fast = TestConfigs.pskClient().retransmit(fastTimers()).build();
        try (DtlsServer server = echoServer(TestConfigs.pskServer().retransmit(fastTimers()).build())
                .sendFilter(everyThirdLost).start();
             DtlsClient client = DtlsClient.builder(fast, server.localAddress()).sendFilter(everyThirdLost)
                     .connect(WAIT)) {
            assertTrue(client.connection().isEstablished());
            assertTrue(n.get() > 0);
        }
    }

    private static org.dtls4j.handshake.config.RetransmitConfig fastTimers() {
        return org.dtls4j.handshake.config.RetransmitConfig.defaults().withInitialTimeoutNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void wrongPskFailsTheClientWithTheAlert() throws Exception {
        DtlsConfig wrong = DtlsConfig.builder().pskIdentity(TestConfigs.PSK_IDENTITY, new byte[16]).build();
        try (DtlsServer server = echoServer(TestConfigs.pskServer().build()).start()) {
            DtlsException e = assertThrows(DtlsException.class,
                    () -> DtlsClient.connect(wrong, server.localAddress(), WAIT));
            assertTrue(e.alert().equals(AlertDescription.BAD_RECORD_MAC) || e.alert().equals(AlertDescription.DECRYPT_ERROR),
                    e.alert().name());
        }
    }

    @Test
    void connectTimesOutWhenNobodyAnswers() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(LOOPBACK)) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
            assertThrows(SocketTimeoutException.class,
                    () -> DtlsClient.connect(TestConfigs.pskClient().build(), target, Duration.ofMillis(300)));
        }
    }

    @Test
    void clientCloseSendsCloseNotifyAndTheServerForgetsThePeer() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<DtlsException> cause = new AtomicReference<>(new DtlsException(AlertDescription.INTERNAL_ERROR, "not called"));
        DtlsServer.Handler handler = new DtlsServer.Handler() {
            @Override
            public void onData(DtlsServer srv, InetSocketAddress peer, byte[] data) {
            }

            @Override
            public void onClosed(DtlsServer srv, InetSocketAddress peer, DtlsException c) {
                cause.set(c);
                closed.countDown();
            }
        };
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .handler(handler).start()) {
            DtlsClient client = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT);
            client.close();
            assertTrue(closed.await(10, TimeUnit.SECONDS));
            assertNull(cause.get(), "a clean close");
            assertEquals(0, server.stats().connections());
        }
    }

    @Test
    void serverCloseSendsCloseNotifyToEveryClient() throws Exception {
        DtlsServer server = echoServer(TestConfigs.pskServer().build()).start();
        try (DtlsClient a = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT);
             DtlsClient b = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT)) {
            server.close();
            assertTrue(server.isClosed());
            assertNull(a.receive(WAIT));
            assertNull(b.receive(WAIT));
            assertTrue(a.isClosed() && b.isClosed(), "close_notify reached both clients");
            assertNull(a.connection().failure());
        }
    }

    @Test
    void silentEstablishedPeerIsClosedAfterTheIdleTimeout() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        DtlsServer.Handler handler = new DtlsServer.Handler() {
            @Override
            public void onData(DtlsServer srv, InetSocketAddress peer, byte[] data) {
            }

            @Override
            public void onClosed(DtlsServer srv, InetSocketAddress peer, DtlsException c) {
                closed.countDown();
            }
        };
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .handler(handler).idleTimeout(Duration.ofMillis(200)).start();
             DtlsClient client = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT)) {
            assertTrue(closed.await(10, TimeUnit.SECONDS));
            assertEquals(1, server.stats().idleClosed());
            assertEquals(0, server.stats().connections());
            assertNull(client.receive(WAIT), "the client hears close_notify");
            assertTrue(client.isClosed());
        }
    }

    @Test
    void peerThatGoesSilentMidHandshakeIsDroppedAfterTheHalfOpenTimeout() throws Exception {
        CountDownLatch dropped = new CountDownLatch(1);
        DtlsListener observer = new DtlsListener() {
            @Override
            public void onClosed(DtlsConnection c, DtlsException cause) {
                dropped.countDown();
            }
        };
        AtomicInteger sent = new AtomicInteger();
        // ClientHello, then ClientHello with the cookie, then silence: the server holds one half-open handshake.
        DatagramFilter twoThenSilence = (b, o, l, p) -> sent.incrementAndGet() <= 2;
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .observer(observer).halfOpenTimeout(Duration.ofMillis(200)).start()) {
            assertThrows(SocketTimeoutException.class, () -> DtlsClient.builder(TestConfigs.pskClient().build(),
                    server.localAddress()).sendFilter(twoThenSilence).connect(Duration.ofMillis(500)));
            assertTrue(dropped.await(10, TimeUnit.SECONDS));
            DtlsServer.Stats stats = server.stats();
            assertEquals(0, stats.halfOpen());
            assertEquals(0, stats.connections());
            assertEquals(1, stats.idleClosed());
        }
    }

    @Test
    void floodOfClientHellosWithoutCookiesCreatesNoState() throws Exception {
        CopyOnWriteArrayList<byte[]> firstHello = new CopyOnWriteArrayList<>();
        DatagramFilter capture = (b, o, l, p) -> {
            if (firstHello.isEmpty()) {
                firstHello.add(java.util.Arrays.copyOfRange(b, o, o + l));
            }
            return false;
        };
        try (DtlsServer server = echoServer(TestConfigs.pskServer().build()).start();
             DatagramSocket attacker = new DatagramSocket(LOOPBACK)) {
            assertThrows(SocketTimeoutException.class, () -> DtlsClient.builder(TestConfigs.pskClient().build(),
                    server.localAddress()).sendFilter(capture).connect(Duration.ofMillis(50)));
            byte[] hello = firstHello.get(0);
            attacker.setSoTimeout(10_000);
            int floods = 50;
            for (int i = 0; i < floods; i++) {
                attacker.send(new DatagramPacket(hello, hello.length, server.localAddress()));
            }
            byte[] buf = new byte[2048];
            for (int i = 0; i < floods; i++) {
                DatagramPacket reply = new DatagramPacket(buf, buf.length);
                attacker.receive(reply);
                assertEquals(3, buf[13], "a HelloVerifyRequest");
                assertTrue(reply.getLength() <= hello.length, "no amplification");
            }
            DtlsServer.Stats stats = server.stats();
            assertEquals(floods, stats.helloVerifyRequests());
            assertEquals(0, stats.connections());
            assertEquals(0, stats.halfOpen());
            assertTrue(stats.preAuthBytesTotal() == stats.preAuthBytesPerPeer() * stats.maxHalfOpen());
        }
    }

    @Test
    void sendFromAnotherThreadReachesTheClient() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        AtomicReference<InetSocketAddress> peer = new AtomicReference<>();
        DtlsServer.Handler handler = new DtlsServer.Handler() {
            @Override
            public void onConnected(DtlsServer srv, InetSocketAddress p, org.dtls4j.handshake.session.HandshakeResult r) {
                peer.set(p);
                connected.countDown();
            }

            @Override
            public void onData(DtlsServer srv, InetSocketAddress p, byte[] data) {
            }
        };
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .handler(handler).start();
             DtlsClient client = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT)) {
            assertTrue(connected.await(10, TimeUnit.SECONDS));
            assertTrue(server.send(peer.get(), "push".getBytes(UTF_8)));
            assertEquals("push", new String(client.receive(WAIT), UTF_8));
            assertFalse(client.isClosed());
        }
    }

    @Test
    void preAuthenticationBudgetCoversReassemblyHeldRecordsBuffersAndTheCertificateFlight() throws Exception {
        DtlsConfig psk = TestConfigs.pskServer().build();
        long perPeer = DtlsServer.preAuthBytesPerPeer(psk);
        long bounds = psk.reassemblyLimits().maxHeldBytes() + psk.recordLayerConfig().maxHeldBytes();
        assertTrue(perPeer > bounds + (1 << 14), "the engine's 16 KiB send buffer is counted too");
        assertTrue(perPeer < bounds + 32 * 1024, "and not much more: " + perPeer);
        DtlsConfig cert = TestConfigs.pairFor(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)[1];
        long chain = 0;
        for (var c : cert.certificateIdentity().chain()) {
            chain += c.getEncoded().length;
        }
        assertEquals(perPeer + chain, DtlsServer.preAuthBytesPerPeer(cert));
        try (DtlsServer server = DtlsServer.builder(psk).bind(LOOPBACK).maxHalfOpen(10).build()) {
            assertEquals(10 * perPeer, server.stats().preAuthBytesTotal());
        }
    }
}
