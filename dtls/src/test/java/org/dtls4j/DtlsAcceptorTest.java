package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.CipherSuite;
import org.junit.jupiter.api.Test;

/** Routing, the cookie front door, the connection cap, and a new handshake from a live address. */
class DtlsAcceptorTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void unknownPeerGetsAHelloVerifyRequestAndNoConnection() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        h.step();
        assertEquals(1, h.acceptor.helloVerifyRequestsSent());
        assertEquals(0, h.acceptor.connectionCount());
        assertEquals(1, h.toServer.sent.size());
        assertTrue(h.toClient.sent.get(0).length <= h.toServer.sent.get(0).length, "no amplification");
    }

    @Test
    void garbageFromAnUnknownPeerIsDroppedAndCounted() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build());
        byte[] junk = new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0};
        h.acceptor.receive(junk, 0, junk.length, Harness.CLIENT_ADDRESS, 0);
        assertEquals(1, h.acceptor.cookieDrops());
        assertEquals(0, h.acceptor.connectionCount());
        assertTrue(h.toClient.isEmpty());
    }

    @Test
    void verifiedHellosBeyondTheConnectionCapAreDropped() {
        DtlsConfig server = TestConfigs.pskServer().build();
        Deque<Object[]> net = new ArrayDeque<>();
        Recorder serverEvents = new Recorder();
        DtlsAcceptor acceptor = new DtlsAcceptor(server, CookieVerifier.create(),
                (buf, off, len, peer) -> net.add(new Object[] {peer, java.util.Arrays.copyOfRange(buf, off, off + len)}),
                serverEvents, 1);
        DtlsConnection[] clients = new DtlsConnection[2];
        InetSocketAddress[] addresses = new InetSocketAddress[2];
        for (int i = 0; i < 2; i++) {
            addresses[i] = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000 + i);
            InetSocketAddress from = addresses[i];
            clients[i] = DtlsConnection.client(TestConfigs.pskClient().build(), null,
                    (buf, off, len) -> acceptor.receive(buf, off, len, from, 0), new Recorder());
        }
        for (DtlsConnection c : clients) {
            c.start(0);
        }
        for (int round = 0; round < 20 && !net.isEmpty(); round++) {
            Object[] d = net.poll();
            DtlsConnection target = d[0].equals(addresses[0]) ? clients[0] : clients[1];
            byte[] bytes = (byte[]) d[1];
            target.receive(bytes, 0, bytes.length, 0);
        }
        assertEquals(1, acceptor.connectionCount());
        assertEquals(1, acceptor.connectionsRefused());
        assertTrue(clients[0].isEstablished());
        assertTrue(!clients[1].isEstablished());
    }

    @Test
    void newHandshakeFromAnEstablishedPeersAddressNeedsACookieAndThenReplacesTheConnection() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        assertTrue(h.handshake());
        DtlsConnection old = h.server();

        Recorder second = new Recorder();
        h.newClient(null, second).start(h.now);
        h.step();
        assertEquals(2, h.acceptor.helloVerifyRequestsSent(), "the new ClientHello got a HelloVerifyRequest");
        assertSame(old, h.server());
        assertTrue(old.isEstablished(), "an unverified ClientHello does not disturb the live connection");

        assertTrue(h.runUntil(() -> second.isComplete() && h.serverEvents.completed.size() == 2));
        assertNotSame(old, h.server());
        assertTrue(old.isClosed());
        assertEquals(1, h.acceptor.connectionsReplaced());
        assertEquals(1, h.acceptor.connectionCount());
    }

    @Test
    void lateDuplicateOfTheLiveConnectionsClientHelloIsIgnored() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        assertTrue(h.handshake());
        byte[] helloWithCookie = h.toServer.sent.get(1);
        h.acceptor.receive(helloWithCookie, 0, helloWithCookie.length, Harness.CLIENT_ADDRESS, h.now);
        assertEquals(1, h.acceptor.duplicateHellos());
        assertTrue(h.server().isEstablished());
    }

    @Test
    void timersOfEveryConnectionAreDrivenAndFailedConnectionsRemoved() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        h.step(); // ClientHello -> HVR
        h.step(); // HVR -> ClientHello with cookie
        h.step(); // verified: the server connection sends its flight
        assertEquals(1, h.acceptor.connectionCount());
        h.toClient.clear();
        h.toServer.mutator = d -> null;
        h.toClient.mutator = d -> null;
        long t = h.acceptor.nextTimeoutNanos();
        assertEquals(h.now + SECOND, t);
        while (h.acceptor.nextTimeoutNanos() != Long.MAX_VALUE) {
            h.acceptor.onTimeout(h.acceptor.nextTimeoutNanos());
        }
        assertEquals(0, h.acceptor.connectionCount());
        assertEquals("handshake_failure", h.serverEvents.closedCause.alert().name());
        assertNull(h.acceptor.connection(Harness.CLIENT_ADDRESS));
    }

    @Test
    void restartReplacesTheLiveConnectionWithCcmAndCbcSuitesToo() {
        // CCM and CBC write into the buffer before (or while) they reject a record, and records open in place:
        // the replacement must still complete (the acceptor hands the pending connection the datagram as it arrived).
        for (CipherSuite suite : java.util.List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
                CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256)) {
            Harness h = new Harness(TestConfigs.pskClient(suite).build(), TestConfigs.pskServer(suite).build()).start();
            assertTrue(h.handshake(), suite.name());
            DtlsConnection old = h.server();
            Recorder second = new Recorder();
            DtlsConnection newClient = h.newClient(null, second);
            newClient.start(h.now);
            assertTrue(h.runUntil(() -> second.isComplete() && h.serverEvents.completed.size() == 2), suite.name());
            assertNotSame(old, h.server(), suite.name());
            assertEquals(1, h.acceptor.connectionsReplaced(), suite.name());
        }
    }

    @Test
    void liveConnectionKeepsWorkingUntilTheNewHandshakeVerifiesTheClientsFinished() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        assertTrue(h.handshake());
        DtlsConnection old = h.server();
        DtlsConnection oldClient = h.client;
        Recorder second = new Recorder();
        DtlsConnection newClient = h.newClient(null, second);
        newClient.start(h.now);
        assertTrue(h.runUntil(() -> h.acceptor.pendingConnection(Harness.CLIENT_ADDRESS) != null));
        assertTrue(h.toServer.isEmpty());
        assertSame(old, h.server(), "a verified cookie alone does not replace the live connection");
        assertEquals(1, h.acceptor.halfOpenCount());

        oldClient.send("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII), h.now);
        byte[] ping = h.toServer.poll();
        assertSame(old, h.acceptor.receive(ping, 0, ping.length, Harness.CLIENT_ADDRESS, h.now));
        assertEquals(java.util.List.of("ping"), h.serverEvents.dataAsStrings());
        old.send("pong".getBytes(java.nio.charset.StandardCharsets.US_ASCII), h.now);
        java.util.List<byte[]> queued = new java.util.ArrayList<>();
        for (byte[] d = h.toClient.poll(); d != null; d = h.toClient.poll()) {
            queued.add(d);
        }
        byte[] pong = queued.remove(queued.size() - 1);
        oldClient.receive(pong, 0, pong.length, h.now);
        assertEquals(java.util.List.of("pong"), h.clientEvents.dataAsStrings());
        for (byte[] d : queued) {
            newClient.receive(d, 0, d.length, h.now);
        }

        assertTrue(h.runUntil(() -> second.isComplete() && h.serverEvents.completed.size() == 2));
        assertNotSame(old, h.server());
        assertTrue(old.isClosed());
        assertNull(h.acceptor.pendingConnection(Harness.CLIENT_ADDRESS));
        assertEquals(1, h.acceptor.connectionsReplaced());
        assertEquals(0, h.acceptor.halfOpenCount());
        assertEquals(1, h.acceptor.connectionCount());
    }

    @Test
    void retransmittedClientHelloOfAPendingHandshakeReachesThePendingConnection() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        assertTrue(h.handshake());
        DtlsConnection old = h.server();
        Recorder second = new Recorder();
        DtlsConnection newClient = h.newClient(null, second);
        newClient.start(h.now);
        assertTrue(h.runUntil(() -> h.acceptor.pendingConnection(Harness.CLIENT_ADDRESS) != null));
        DtlsConnection pending = h.acceptor.pendingConnection(Harness.CLIENT_ADDRESS);
        h.toClient.clear(); // the pending connection's flight is lost
        long sentBefore = pending.datagramsSent();
        h.now = newClient.nextTimeoutNanos();
        newClient.onTimeout(h.now);
        byte[] hello = h.toServer.poll();
        assertSame(pending, h.acceptor.receive(hello, 0, hello.length, Harness.CLIENT_ADDRESS, h.now));
        assertTrue(pending.datagramsSent() > sentBefore, "the pending connection resent its flight");
        assertSame(old, h.server());
        assertTrue(h.runUntil(() -> second.isComplete() && h.serverEvents.completed.size() == 2));
        assertSame(pending, h.server());
    }

    @Test
    void failedNewHandshakeFromALiveAddressLeavesTheLiveConnectionInPlace() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        assertTrue(h.handshake());
        DtlsConnection old = h.server();
        DtlsConfig wrongKey = DtlsConfig.builder().pskIdentity(TestConfigs.PSK_IDENTITY, new byte[16]).build();
        Recorder second = new Recorder();
        h.client = DtlsConnection.client(wrongKey, Harness.SERVER_ADDRESS, h.toServer::send, second);
        h.client.start(h.now);
        assertTrue(h.runUntil(second::isClosed));
        h.drain();
        assertSame(old, h.server());
        assertTrue(old.isEstablished());
        assertNull(h.acceptor.pendingConnection(Harness.CLIENT_ADDRESS));
        assertEquals(0, h.acceptor.connectionsReplaced());
        assertEquals(0, h.acceptor.halfOpenCount());
        assertEquals(1, h.acceptor.connectionCount());
    }

    @Test
    void verifiedHellosBeyondTheHalfOpenCapAreDropped() {
        Deque<Object[]> net = new ArrayDeque<>();
        DtlsAcceptor acceptor = new DtlsAcceptor(TestConfigs.pskServer().build(), CookieVerifier.create(),
                (buf, off, len, peer) -> net.add(new Object[] {peer, java.util.Arrays.copyOfRange(buf, off, off + len)}),
                new Recorder(), 8, 1);
        java.util.Map<InetSocketAddress, DtlsConnection> clients = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
            InetSocketAddress from = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50100 + i);
            DtlsConnection c = DtlsConnection.client(TestConfigs.pskClient().build(), null,
                    (buf, off, len) -> acceptor.receive(buf, off, len, from, 0), new Recorder());
            clients.put(from, c);
            c.start(0);
        }
        for (int i = 0; i < 2; i++) {
            Object[] hvr = net.poll();
            byte[] bytes = (byte[]) hvr[1];
            clients.get(hvr[0]).receive(bytes, 0, bytes.length, 0);
        }
        assertEquals(1, acceptor.connectionCount());
        assertEquals(1, acceptor.halfOpenCount());
        assertEquals(1, acceptor.halfOpenRefused());
    }

    @Test
    void serverConfigWithoutCredentialsForItsSuitesIsRefused() {
        DtlsConfig clientOnly = TestConfigs.pskClient().build();
        assertThrows(IllegalStateException.class, () -> new DtlsAcceptor(clientOnly, CookieVerifier.create(),
                (b, o, l, p) -> { }, new Recorder(), 4));
    }
}
