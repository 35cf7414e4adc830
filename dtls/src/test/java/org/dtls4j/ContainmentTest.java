package org.dtls4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/**
 * An unchecked exception in one connection's processing (a bug, a throwing handler or observer) fails that
 * connection alone with internal_error; the engine never throws it, and the server counts it and serves on.
 */
class ContainmentTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void listenerThatThrowsFailsItsConnectionWithInternalErrorInsteadOfEscapingReceive() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build());
        RuntimeException boom = new IllegalStateException("listener bug");
        Recorder clientEvents = new Recorder();
        DtlsListener throwing = new DtlsListener() {
            @Override
            public void onHandshakeComplete(DtlsConnection connection, HandshakeResult result) {
                throw boom;
            }

            @Override
            public void onClosed(DtlsConnection connection, DtlsException cause) {
                clientEvents.onClosed(connection, cause);
            }
        };
        h.client = DtlsConnection.client(h.clientConfig, Harness.SERVER_ADDRESS, h.toServer::send, throwing);
        h.start();
        assertTrue(h.runUntil(clientEvents::isClosed));
        assertEquals(ConnectionState.FAILED, h.client.state());
        assertEquals(AlertDescription.INTERNAL_ERROR, h.client.failure().alert());
        assertSame(boom, h.client.internalError());
        h.drain();
        assertEquals(AlertDescription.INTERNAL_ERROR, h.serverEvents.closedCause.alert(), "the peer heard why");
        assertEquals(0, h.acceptor.connectionCount());
        assertEquals(0, h.acceptor.internalErrors(), "the server side had no bug");
    }

    @Test
    void serverListenerThatThrowsInOnClosedIsCountedAndTheTableStaysRight() {
        Harness base = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build());
        DtlsAcceptor acceptor = new DtlsAcceptor(TestConfigs.pskServer().build(),
                org.dtls4j.cookie.CookieVerifier.create(), (b, o, l, p) -> base.toClient.send(b, o, l),
                new DtlsListener() {
                    @Override
                    public void onClosed(DtlsConnection connection, DtlsException cause) {
                        throw new IllegalStateException("onClosed bug");
                    }
                }, 4);
        base.start();
        for (int i = 0; i < 50 && !base.clientEvents.isComplete(); i++) {
            for (byte[] d = base.toServer.poll(); d != null; d = base.toServer.poll()) {
                acceptor.receive(d, 0, d.length, Harness.CLIENT_ADDRESS, base.now);
            }
            for (byte[] d = base.toClient.poll(); d != null; d = base.toClient.poll()) {
                base.client.receive(d, 0, d.length, base.now);
            }
        }
        assertTrue(base.clientEvents.isComplete());
        base.client.close(base.now);
        byte[] closeNotify = base.toServer.poll();
        assertNotNull(closeNotify);
        acceptor.receive(closeNotify, 0, closeNotify.length, Harness.CLIENT_ADDRESS, base.now);
        assertEquals(0, acceptor.connectionCount(), "the connection left the table before the listener threw");
        assertEquals(1, acceptor.internalErrors());
    }

    @Test
    void handlerThatThrowsFailsOnlyItsConnectionAndTheServerServesOthers() throws Exception {
        DtlsServer.Handler handler = (srv, peer, data) -> {
            if (new String(data, UTF_8).equals("boom")) {
                throw new IllegalStateException("handler bug");
            }
            srv.send(peer, data);
        };
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .handler(handler).start()) {
            try (DtlsClient victim = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT)) {
                victim.send("boom".getBytes(UTF_8));
                DtlsException e = assertThrows(DtlsException.class, () -> victim.receive(WAIT));
                assertEquals(AlertDescription.INTERNAL_ERROR, e.alert());
            }
            assertEchoes(server);
            DtlsServer.Stats stats = server.stats();
            assertEquals(1, stats.internalErrors());
            assertNull(server.stopCause());
        }
    }

    @Test
    void observerThatThrowsFailsOnlyItsConnectionAndTheServerServesOthers() throws Exception {
        AtomicBoolean thrown = new AtomicBoolean();
        DtlsListener observer = new DtlsListener() {
            @Override
            public void onHandshakeComplete(DtlsConnection connection, HandshakeResult result) {
                if (thrown.compareAndSet(false, true)) {
                    throw new IllegalStateException("observer bug");
                }
            }
        };
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .handler((srv, peer, data) -> srv.send(peer, data)).observer(observer).start()) {
            DtlsException e = assertThrows(DtlsException.class, () -> {
                try (DtlsClient c = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT)) {
                    c.receive(WAIT);
                }
            });
            assertEquals(AlertDescription.INTERNAL_ERROR, e.alert());
            assertEchoes(server);
            assertEquals(1, server.stats().internalErrors());
            assertNull(server.stopCause());
        }
    }

    @Test
    void bugInTheSendPathFailsOneConnectionAndTheLoopGoesOn() throws Exception {
        // A send filter that throws stands for a bug below the engine: it fires inside one connection's flight.
        AtomicBoolean armed = new AtomicBoolean(true);
        DatagramFilter buggy = (b, o, l, peer) -> {
            if (l > 60 && armed.getAndSet(false)) {
                throw new IndexOutOfBoundsException("send path bug");
            }
            return true;
        };
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().retransmit(fast()).build())
                .bind(LOOPBACK).handler((srv, peer, data) -> srv.send(peer, data)).sendFilter(buggy).start()) {
            assertThrows(Exception.class,
                    () -> DtlsClient.connect(TestConfigs.pskClient().retransmit(fast()).build(),
                            server.localAddress(), Duration.ofSeconds(3)));
            assertEchoes(server);
            assertEquals(1, server.stats().internalErrors());
            assertNull(server.stopCause());
        }
    }

    @Test
    void cookieBearingClientHelloWithMessageSeq65535DoesNotStopTheServer() throws Exception {
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .handler((srv, peer, data) -> srv.send(peer, data)).start();
             DatagramSocket raw = new DatagramSocket(LOOPBACK)) {
            raw.setSoTimeout((int) WAIT.toMillis());
            byte[] hello = firstClientHello();
            raw.send(new DatagramPacket(hello, hello.length, server.localAddress()));
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            raw.receive(p);
            byte[] cookie = Arrays.copyOfRange(buf, 28, p.getLength());
            byte[] withCookie = withCookie(hello, cookie);
            ExtremeFirstFlightTest.patch(withCookie, 17, 2, 0xFFFF);
            raw.send(new DatagramPacket(withCookie, withCookie.length, server.localAddress()));
            assertEchoes(server);
            DtlsServer.Stats stats = server.stats();
            assertEquals(1, stats.cookieDrops());
            assertEquals(0, stats.internalErrors());
            assertNull(server.stopCause());
        }
    }

    private static void assertEchoes(DtlsServer server) throws Exception {
        try (DtlsClient honest = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT)) {
            honest.send("still here".getBytes(UTF_8));
            assertArrayEquals("still here".getBytes(UTF_8), honest.receive(WAIT));
        }
    }

    private static org.dtls4j.handshake.config.RetransmitConfig fast() {
        return org.dtls4j.handshake.config.RetransmitConfig.defaults().withInitialTimeoutNanos(50_000_000L);
    }

    /** A real client's first ClientHello (no cookie). */
    private static byte[] firstClientHello() {
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        DtlsConnection.client(TestConfigs.pskClient().build(), null,
                (b, o, l) -> sent.add(Arrays.copyOfRange(b, o, o + l)), new Recorder()).start(0);
        return sent.get(0);
    }

    /** The same ClientHello with a cookie, record sequence 1 and message_seq 1 (lengths fixed up). */
    private static byte[] withCookie(byte[] hello, byte[] cookie) {
        int cookieAt = 25 + 2 + 32 + 1 + (hello[25 + 34] & 0xff);
        byte[] body = Records.concat(Arrays.copyOfRange(hello, 25, cookieAt), new byte[] {(byte) cookie.length},
                cookie, Arrays.copyOfRange(hello, cookieAt + 1, hello.length));
        return Records.record(22, 0, 1, Records.handshake(1, 1, body));
    }
}
