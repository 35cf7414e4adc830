package org.dtls4j.interop.statefuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.tls.DTLSTransport;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.testing.InMemoryTransport;
import org.dtls4j.testing.PeerEvent;
import org.dtls4j.testing.PeerSettings;
import org.dtls4j.testing.ScriptedPeer;
import org.dtls4j.testkit.BcEndpoint;
import org.dtls4j.testkit.BcPeers;
import org.dtls4j.testkit.LossyLink;
import org.dtls4j.testkit.QueueTransport;
import org.dtls4j.wire.AlertDescription;
import org.junit.jupiter.api.Test;

/** The scripted peer in the server role, against a Bouncy Castle client and dtls4j's own client engine. */
class ScriptedServerTest {
    private static final byte[] ID = Targets.PSK_IDENTITY.getBytes(StandardCharsets.US_ASCII);

    private static List<String> symbols(List<PeerEvent> events) {
        return events.stream().map(PeerEvent::symbol).toList();
    }

    /**
     * What BC sends until {@code last} arrives (a few receive windows at most: BC's thread may be slow
     * on a cold JVM), without retransmitted handshake messages (BC resends when we are slower than its
     * timer; a resent ChangeCipherSpec, which has no message_seq, stays in the list).
     */
    private static List<String> fresh(ScriptedPeer s, String last) {
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < 4 && !got.contains(last); i++) {
            s.receive().stream().filter(e -> !(e instanceof PeerEvent.Handshake h && h.duplicate()))
                    .filter(e -> !(e instanceof PeerEvent.Silence)).map(PeerEvent::symbol).forEach(got::add);
        }
        return got;
    }

    private static void serverFlight(ScriptedPeer s) {
        s.send(s.serverHello());
        s.send(s.serverKeyExchange());
        s.send(s.serverHelloDone());
    }

    @Test
    void aBouncyCastleClientCompletesAHandshakeWithTheScriptedServerAndSendsData() throws Exception {
        QueueTransport bcSide = new QueueTransport(1400);
        InMemoryTransport ours = new InMemoryTransport(bcSide::deliver);
        bcSide.connect(new LossyLink(3, 0, 0, 0, ours::deliver));
        BcEndpoint bc = BcEndpoint.client(BcPeers.client(BcPeers.Setup.psk(Targets.PSK_SUITE.code(), ID, Targets.PSK), null), bcSide);
        try (ScriptedPeer s = ScriptedPeer.server(ours, Targets.pskSettings(Duration.ofSeconds(2), Duration.ofMillis(60)))) {
            assertEquals(List.of("CLIENT_HELLO"), fresh(s, "CLIENT_HELLO"));
            serverFlight(s);
            List<String> flight = fresh(s, "FINISHED");
            assertTrue(flight.size() >= 3, flight::toString);
            assertEquals(List.of("CLIENT_KEY_EXCHANGE", "CCS", "FINISHED"), flight.subList(0, 3), "then retransmissions only");
            assertTrue(s.peerFinishedVerified(), "the scripted server verifies BC's Finished");
            s.changeCipherSpec();
            s.send(s.finished());
            DTLSTransport t = bc.awaitHandshake(5);
            byte[] hello = "from bc".getBytes(StandardCharsets.US_ASCII);
            t.send(hello, 0, hello.length);
            PeerEvent data = s.receive().stream().filter(e -> e instanceof PeerEvent.ApplicationData).findFirst().orElseThrow();
            assertEquals(new PeerEvent.ApplicationData(1, hello), data);
        } finally {
            bc.close();
        }
    }

    /** RFC 5246 §7.4.9: a Finished before the server's ChangeCipherSpec is unexpected; dtls4j's client must fail. */
    @Test
    void dtls4jClientRefusesAServerFinishedSentBeforeChangeCipherSpec() {
        InMemoryTransport ours = new InMemoryTransport();
        DtlsConfig config = DtlsConfig.builder().cipherSuites(Targets.PSK_SUITE).pskIdentity(ID, Targets.PSK).build();
        DtlsConnection client = DtlsConnection.client(config, new InetSocketAddress("127.0.0.1", 1),
                (b, off, len) -> ours.deliver(java.util.Arrays.copyOfRange(b, off, off + len)), new DtlsListener() { });
        ours.connect(d -> client.receive(d, 0, d.length, System.nanoTime()));
        PeerSettings settings = Targets.pskSettings(Duration.ofMillis(50), Duration.ofMillis(5));
        try (ScriptedPeer s = ScriptedPeer.server(ours, settings)) {
            client.start(System.nanoTime());
            assertEquals(List.of("CLIENT_HELLO"), symbols(s.receive()));
            serverFlight(s);
            assertEquals(List.of("CLIENT_KEY_EXCHANGE", "CCS", "FINISHED"), symbols(s.receive()));
            s.send(s.finished());
            List<PeerEvent> answer = s.receive();
            s.changeCipherSpec();
            assertFalse(client.isEstablished());
            assertNotNull(client.failure(), "the client failed: " + answer);
            assertEquals(AlertDescription.UNEXPECTED_MESSAGE, client.failure().alert());
            assertEquals(List.of("ALERT(fatal,unexpected_message)"), symbols(answer));
        }
    }
}
