package org.dtls4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.message.PskClientKeyExchange;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A scripted client against a scripted server, in memory on one thread: the peers agree on keys only
 * when both keep the transcript and key schedule right (the interop tests check the same against
 * other stacks, which catches what a symmetric bug here would hide).
 */
class ScriptedPeerPairTest {
    private static final byte[] ID = "client-1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final InMemoryTransport clientSide = new InMemoryTransport();
    private final InMemoryTransport serverSide = new InMemoryTransport();

    private ScriptedPeer[] pair(CipherSuite suite, boolean ems) {
        clientSide.connect(serverSide::deliver);
        serverSide.connect(clientSide::deliver);
        PeerSettings s = PeerSettings.psk(ID, KEY).withSuite(suite).withExtendedMasterSecret(ems)
                .withTimeouts(Duration.ofMillis(20), Duration.ofMillis(1));
        return new ScriptedPeer[] {ScriptedPeer.client(clientSide, s), ScriptedPeer.server(serverSide, s)};
    }

    private static List<String> symbols(List<PeerEvent> events) {
        return events.stream().map(PeerEvent::symbol).toList();
    }

    /** The full RFC 6347 exchange with a cookie; returns the pair with both Finished verified. */
    private static void handshake(ScriptedPeer c, ScriptedPeer s) {
        c.send(c.clientHello());
        assertEquals(List.of("CLIENT_HELLO"), symbols(s.receive()));
        s.send(s.helloVerifyRequest());
        assertEquals(List.of("HELLO_VERIFY_REQUEST"), symbols(c.receive()));
        c.send(c.clientHello(), Send.normally().fragmentsOf(30).duplicated());
        List<PeerEvent> hello = s.receive();
        assertEquals(List.of("CLIENT_HELLO"), symbols(hello), "duplicated fragments complete the hello once");
        s.send(s.serverHello());
        s.send(s.serverKeyExchange());
        s.send(s.serverHelloDone());
        assertEquals(List.of("SERVER_HELLO", "SERVER_KEY_EXCHANGE", "SERVER_HELLO_DONE"), symbols(c.receive()));
        c.send(c.clientKeyExchange());
        c.changeCipherSpec();
        c.send(c.finished());
        List<PeerEvent> flight = s.receive();
        assertEquals(List.of("CLIENT_KEY_EXCHANGE", "CCS", "FINISHED"), symbols(flight));
        assertTrue(((PeerEvent.Handshake) flight.get(2)).finishedVerified(), "server verifies the client's Finished");
        s.changeCipherSpec();
        s.send(s.finished());
        List<PeerEvent> last = c.receive();
        assertEquals(List.of("CCS", "FINISHED"), symbols(last));
        assertEquals(1, ((PeerEvent.Handshake) last.get(1)).epoch());
        assertTrue(c.peerFinishedVerified() && s.peerFinishedVerified());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLS_PSK_WITH_AES_128_CCM_8", "TLS_PSK_WITH_AES_128_GCM_SHA256",
        "TLS_PSK_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256"})
    void aScriptedClientAndServerCompleteTheHandshakeAndExchangeData(String suiteName) {
        for (boolean ems : new boolean[] {true, false}) {
            ScriptedPeer[] p = pair(CipherSuite.byName(suiteName).orElseThrow(), ems);
            handshake(p[0], p[1]);
            p[0].sendApplicationData("ping".getBytes(StandardCharsets.US_ASCII));
            PeerEvent got = p[1].receive().get(0);
            assertEquals(new PeerEvent.ApplicationData(1, "ping".getBytes(StandardCharsets.US_ASCII)), got);
        }
    }

    /** The client hashes one ClientKeyExchange, the server two: their keys (EMS) or their Finished (no EMS) disagree. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aMessageLeftOutOfOneTranscriptBreaksTheHandshake(boolean ems) {
        ScriptedPeer[] p = pair(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, ems);
        ScriptedPeer c = p[0];
        ScriptedPeer s = p[1];
        c.send(c.clientHello());
        s.receive();
        s.send(s.serverHello());
        s.send(s.serverHelloDone());
        c.receive();
        c.send(c.clientKeyExchange());
        c.send(new PskClientKeyExchange(org.dtls4j.handshake.message.Bytes.of(ID)), Send.normally().outsideTranscript());
        c.changeCipherSpec();
        c.send(c.finished());
        List<PeerEvent> got = s.receive();
        PeerEvent last = got.get(got.size() - 1);
        if (ems) {
            assertInstanceOf(PeerEvent.Unreadable.class, last, "the session hash differs, so the keys do");
        } else {
            PeerEvent.Handshake fin = assertInstanceOf(PeerEvent.Handshake.class, last);
            assertEquals("FINISHED", fin.symbol());
            assertFalse(fin.finishedVerified(), "the server hashed a ClientKeyExchange the client left out");
        }
    }

    @Test
    void recordsInAnEpochWithoutKeysAndSilenceAreReportedAsEvents() throws Exception {
        ScriptedPeer[] p = pair(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, true);
        assertInstanceOf(PeerEvent.Silence.class, p[0].receive().get(0));
        p[1].sendApplicationData(new byte[] {1, 2}, 4);
        PeerEvent.Unreadable u = assertInstanceOf(PeerEvent.Unreadable.class, p[0].receive().get(0));
        assertEquals(4, u.epoch());
        p[1].sendAlert(AlertLevel.FATAL, AlertDescription.HANDSHAKE_FAILURE);
        p[1].sendRecord(99, 0, new byte[] {7}, false);
        assertEquals(List.of("ALERT(fatal,handshake_failure)", "UNREADABLE(unknown(99))"), symbols(p[0].receive()));
        assertArrayEquals(new byte[] {2, 40}, WireRecord.parseAll(p[1].sentDatagrams().get(1), 0).get(0).fragment());
    }
}
