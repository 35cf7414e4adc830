package org.dtls4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scripted client and server over real loopback sockets: {@link UdpTransport} in both roles. */
class UdpTransportTest {
    private static final byte[] ID = "udp-client".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    private static List<String> symbols(List<PeerEvent> events) {
        return events.stream().map(PeerEvent::symbol).toList();
    }

    @Test
    void aScriptedClientAndServerHandshakeOverLoopbackUdp() throws Exception {
        PeerSettings settings = PeerSettings.psk(ID, KEY).withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(20));
        UdpTransport listening = UdpTransport.listen(0);
        try (ScriptedPeer s = ScriptedPeer.server(listening, settings);
             ScriptedPeer c = ScriptedPeer.client(UdpTransport.connect(listening.localAddress()), settings)) {
            c.send(c.clientHello());
            assertEquals(List.of("CLIENT_HELLO"), symbols(s.receive()));
            s.send(s.serverHello());
            s.send(s.serverKeyExchange());
            s.send(s.serverHelloDone());
            assertEquals(List.of("SERVER_HELLO", "SERVER_KEY_EXCHANGE", "SERVER_HELLO_DONE"), symbols(c.receive()));
            c.send(c.clientKeyExchange());
            c.changeCipherSpec();
            c.send(c.finished());
            assertEquals(List.of("CLIENT_KEY_EXCHANGE", "CCS", "FINISHED"), symbols(s.receive()));
            s.changeCipherSpec();
            s.send(s.finished());
            assertEquals(List.of("CCS", "FINISHED"), symbols(c.receive()));
            assertTrue(c.peerFinishedVerified() && s.peerFinishedVerified());
            s.sendApplicationData("pong".getBytes(StandardCharsets.US_ASCII));
            assertEquals(new PeerEvent.ApplicationData(1, "pong".getBytes(StandardCharsets.US_ASCII)), c.receive().get(0));
        }
    }

    @Test
    void aListeningTransportCannotSendBeforeItHeardFromAnyone() throws Exception {
        try (UdpTransport t = UdpTransport.listen(0)) {
            assertEquals(null, t.receive(Duration.ofMillis(1)));
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> t.send(new byte[] {1}));
            assertTrue(e.getMessage().contains("no peer yet"));
        }
    }
}
