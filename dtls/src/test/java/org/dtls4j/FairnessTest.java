package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dtls4j.cookie.CookieVerifier;
import org.junit.jupiter.api.Test;

/** One source cannot take every half-open slot, and junk does not keep a half-open connection alive. */
class FairnessTest {
    private static final long NOW = 1_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final Map<InetSocketAddress, DtlsConnection> clients = new HashMap<>();
    private final Recorder serverEvents = new Recorder();
    private final List<Object[]> toClients = new ArrayList<>();
    private final DtlsAcceptor acceptor = new DtlsAcceptor(TestConfigs.pskServer().build(), CookieVerifier.create(),
            (buf, off, len, peer) -> toClients.add(new Object[] {peer, Arrays.copyOfRange(buf, off, off + len)}),
            serverEvents, 1024, 64);

    @Test
    void oneAddressWithTwoHundredPortsCannotLockOutASecondAddress() {
        assertEquals(16, acceptor.maxHalfOpenPerAddress(), "the default share is a quarter of the 64 slots");
        for (int port = 20000; port < 20200; port++) {
            InetSocketAddress from = address(1, port);
            clientAt(from, new Recorder()).start(NOW);
        }
        // Cookie exchange for all 200; the server's flights are never answered, so all stay half-open.
        deliverToClients(false);
        assertEquals(16, acceptor.halfOpenCount());
        assertEquals(184, acceptor.halfOpenPerAddressRefused());
        assertEquals(0, acceptor.halfOpenRefused(), "the global cap was never reached");

        toClients.clear(); // the first address's flights stay unanswered
        InetSocketAddress other = address(2, 20000);
        Recorder events = new Recorder();
        clientAt(other, events).start(NOW);
        for (int round = 0; round < 10 && !events.isComplete(); round++) {
            deliverToClients(true);
        }
        assertTrue(events.isComplete(), "the second address still gets a handshake");
        assertEquals(1, serverEvents.completed.size());
    }

    @Test
    void aSourceGetsItsShareBackWhenItsHandshakesEnd() {
        DtlsAcceptor small = new DtlsAcceptor(TestConfigs.pskServer().build(), CookieVerifier.create(),
                (buf, off, len, peer) -> toClients.add(new Object[] {peer, Arrays.copyOfRange(buf, off, off + len)}),
                serverEvents, 16, 8, 2);
        assertEquals(2, small.maxHalfOpenPerAddress());
        for (int port = 1; port <= 3; port++) {
            clientAt(small, address(1, port), new Recorder()).start(NOW);
        }
        deliverToClients(false);
        assertEquals(2, small.halfOpenCount());
        assertEquals(1, small.halfOpenPerAddressRefused());
        // Their retransmissions give up; the slots come back to the source.
        while (small.nextTimeoutNanos() != Long.MAX_VALUE) {
            small.onTimeout(small.nextTimeoutNanos());
        }
        assertEquals(0, small.halfOpenCount());
        clientAt(small, address(1, 4), new Recorder()).start(NOW);
        deliverToClients(false);
        assertEquals(1, small.halfOpenCount());
        assertThrows(IllegalArgumentException.class, () -> new DtlsAcceptor(TestConfigs.pskServer().build(),
                CookieVerifier.create(), (b, o, l, p) -> { }, serverEvents, 16, 8, 9));
    }

    @Test
    void junkDoesNotRefreshAHalfOpenConnectionsProgress() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        h.step(); // ClientHello -> HelloVerifyRequest
        h.step(); // ClientHello with cookie
        h.step(); // the server connection starts and sends its flight
        DtlsConnection server = h.acceptor.pendingConnection(Harness.CLIENT_ADDRESS) != null
                ? h.acceptor.pendingConnection(Harness.CLIENT_ADDRESS) : h.acceptor.connection(Harness.CLIENT_ADDRESS);
        assertNotNull(server);
        long started = server.lastProgressNanos();
        byte[] helloAgain = h.toServer.sent.get(1);
        List<byte[]> junk = List.of(
                new byte[] {1, 2, 3},
                helloAgain, // a replay of its own ClientHello
                Records.record(22, 0, 9, new byte[] {20, 0, 0, 12, 0, 1}), // a handshake record cut short
                Records.record(22, 2, 0, new byte[40]), // a record of an epoch that does not exist
                Records.record(23, 0, 10, new byte[] {1})); // application data in the clear
        for (int i = 0; i < junk.size(); i++) {
            byte[] d = junk.get(i);
            h.acceptor.receive(d, 0, d.length, Harness.CLIENT_ADDRESS, NOW + (i + 1) * SECOND);
        }
        assertEquals(started, server.lastProgressNanos(), "junk is no progress");
        assertTrue(server.state() == ConnectionState.HANDSHAKING);

        long later = h.now + 7 * SECOND;
        h.now = later;
        byte[] flight = h.toClient.poll();
        h.client.receive(flight, 0, flight.length, later);
        for (byte[] d = h.toServer.poll(); d != null; d = h.toServer.poll()) {
            h.acceptor.receive(d, 0, d.length, Harness.CLIENT_ADDRESS, later);
        }
        assertEquals(later, server.lastProgressNanos(), "the client's real flight is");
        assertTrue(server.isEstablished());
    }

    @Test
    void junkDoesNotKeepAHalfOpenConnectionOnADtlsServer() throws Exception {
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .halfOpenTimeout(Duration.ofMillis(300)).start();
             DatagramSocket raw = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertEquals(16, server.stats().maxHalfOpenPerAddress());
            InetSocketAddress to = server.localAddress();
            List<byte[]> out = new ArrayList<>();
            DtlsConnection client = DtlsConnection.client(TestConfigs.pskClient().build(), to,
                    (b, o, l) -> out.add(Arrays.copyOfRange(b, o, o + l)), new Recorder());
            client.start(System.nanoTime());
            raw.setSoTimeout(50);
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            send(raw, out.remove(0), to);
            raw.setSoTimeout(10_000);
            raw.receive(p);
            client.receive(buf, 0, p.getLength(), System.nanoTime());
            send(raw, out.remove(0), to); // the ClientHello with the cookie: now a half-open connection
            raw.receive(p);
            assertEquals(1, server.stats().halfOpen());
            raw.setSoTimeout(50);
            byte[] junk = Records.record(22, 0, 99, new byte[] {20, 0, 0, 12});
            long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            // Junk every 50 ms would have reset a 300 ms idle timer forever; now it does not count.
            while (server.stats().halfOpen() > 0) {
                assertTrue(System.nanoTime() < giveUp, "the half-open connection was never dropped");
                send(raw, junk, to);
                try {
                    raw.receive(p);
                } catch (SocketTimeoutException quiet) {
                    // the pause between junk datagrams
                }
            }
            assertEquals(1, server.stats().idleClosed());
        }
    }

    private static void send(DatagramSocket s, byte[] d, InetSocketAddress to) throws java.io.IOException {
        s.send(new DatagramPacket(d, d.length, to));
    }

    private DtlsConnection clientAt(InetSocketAddress from, Recorder events) {
        return clientAt(acceptor, from, events);
    }

    /** A client at {@code from} whose datagrams go straight into {@code server}. */
    private DtlsConnection clientAt(DtlsAcceptor server, InetSocketAddress from, Recorder events) {
        DtlsConnection c = DtlsConnection.client(TestConfigs.pskClient().build(), null,
                (b, o, l) -> server.receive(b, o, l, from, NOW), events);
        clients.put(from, c);
        return c;
    }

    /** Delivers the server's datagrams; the clients' answers go straight back (their sinks call receive). */
    private void deliverToClients(boolean beyondTheCookie) {
        for (int guard = 0; guard < 10_000 && !toClients.isEmpty(); guard++) {
            Object[] d = toClients.remove(0);
            byte[] bytes = (byte[]) d[1];
            boolean helloVerifyRequest = bytes.length > 13 && bytes[13] == 3;
            if (helloVerifyRequest || beyondTheCookie) {
                clients.get((InetSocketAddress) d[0]).receive(bytes, 0, bytes.length, NOW);
            }
        }
    }

    private static InetSocketAddress address(int host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) host}), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ipv6SourcesShareByTheirSlash64() throws UnknownHostException {
        InetAddress a = InetAddress.getByName("2001:db8:1:2::1");
        InetAddress b = InetAddress.getByName("2001:db8:1:2:ffff::9");
        InetAddress c = InetAddress.getByName("2001:db8:1:3::1");
        assertEquals(DtlsAcceptor.source(new InetSocketAddress(a, 1)), DtlsAcceptor.source(new InetSocketAddress(b, 2)));
        assertTrue(!DtlsAcceptor.source(new InetSocketAddress(a, 1)).equals(DtlsAcceptor.source(new InetSocketAddress(c, 1))));
    }
}
