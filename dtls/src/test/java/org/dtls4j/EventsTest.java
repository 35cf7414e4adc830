package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.record.ContentType;
import org.dtls4j.record.DropReason;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.junit.jupiter.api.Test;

/** The typed events a connection gives its listener, in order, for success, failure, alerts and drops. */
class EventsTest {
    private static final CipherSuite PSK = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;

    private static Harness psk(DtlsConfig client) {
        return new Harness(client, TestConfigs.pskServer(PSK).build());
    }

    private static List<Class<?>> kinds(Recorder r) {
        return r.events.stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void listenerThatWantsTracesHearsEachFlightAndTheCompletion() {
        Harness h = psk(TestConfigs.pskClient(PSK).build()).start();
        assertTrue(h.handshake());
        // The server sends two flights after the cookie exchange (ServerHello..ServerHelloDone, then
        // ChangeCipherSpec and Finished), and says when the handshake completed.
        assertTrue(h.serverEvents.traces.size() >= 3, h.serverEvents.traces.toString());
        assertTrue(h.serverEvents.traces.stream().anyMatch(t -> t.startsWith("handshake complete: " + PSK.name())),
                h.serverEvents.traces.toString());
    }

    @Test
    void listenerThatWantsNoTracesHearsNoneButEveryEvent() {
        Harness h = psk(TestConfigs.pskClient(PSK).build());
        h.serverEvents.wantsTraces = false; // asked when the server's connection is made, at the verified ClientHello
        h.start();
        assertTrue(h.handshake());
        assertEquals(List.of(), h.serverEvents.traces);
        assertEquals(List.of(DtlsEvent.HandshakeStarted.class, DtlsEvent.HandshakeCompleted.class),
                kinds(h.serverEvents));
        assertEquals(1, h.serverEvents.completed.size());
        assertFalse(h.clientEvents.traces.isEmpty(), "the client's listener still wants them");
    }

    /** A listener that overrides onTrace in a class its own class extends. */
    private static class Tracing implements DtlsListener {
        @Override
        public void onTrace(DtlsConnection connection, String event) {
        }
    }

    @Test
    void byDefaultOnlyAListenerWithAnOnTraceOfItsOwnWantsTraces() {
        assertFalse(new DtlsListener() { }.wantsTraces(), "ignores traces: none are built for it");
        assertTrue(new Tracing().wantsTraces());
        assertTrue(new Tracing() { }.wantsTraces(), "an inherited onTrace counts");
        assertFalse(new DtlsListener() {
            @Override
            public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
            }
        }.wantsTraces(), "other overrides do not");
    }

    @Test
    void successfulHandshakeIsStartedThenCompletedOnBothSides() {
        Harness h = psk(TestConfigs.pskClient(PSK).build()).start();
        assertTrue(h.handshake());
        assertEquals(List.of(DtlsEvent.HandshakeStarted.class, DtlsEvent.HandshakeCompleted.class),
                kinds(h.clientEvents));
        assertEquals(List.of(DtlsEvent.HandshakeStarted.class, DtlsEvent.HandshakeCompleted.class),
                kinds(h.serverEvents));
        var started = (DtlsEvent.HandshakeStarted) h.clientEvents.events.get(0);
        assertTrue(started.client());
        assertFalse(started.resuming());
        assertEquals(Harness.SERVER_ADDRESS, started.peer());
        var done = (DtlsEvent.HandshakeCompleted) h.clientEvents.events.get(1);
        assertEquals(PSK, done.suite());
        assertEquals(Duration.ZERO, done.duration(), "the manual clock did not move: no timer fired");
        assertEquals(0, done.retransmissions());
        assertFalse(done.resumed());
        assertNull(done.connectionId(), "no connection ID before RFC 9146 support");
        var serverStarted = (DtlsEvent.HandshakeStarted) h.serverEvents.events.get(0);
        assertFalse(serverStarted.client());
        assertEquals(Harness.CLIENT_ADDRESS, serverStarted.peer());
    }

    @Test
    void wrongPskGivesAlertSentThenFailedOnTheServerAndAlertReceivedThenFailedOnTheClient() {
        DtlsConfig wrong = DtlsConfig.builder().cipherSuites(PSK)
                .pskIdentity(TestConfigs.PSK_IDENTITY, new byte[16]).build();
        Harness h = psk(wrong).start();
        assertFalse(h.handshake());
        assertEquals(List.of(DtlsEvent.HandshakeStarted.class, DtlsEvent.AlertSent.class,
                DtlsEvent.HandshakeFailed.class), kinds(h.serverEvents));
        var sent = (DtlsEvent.AlertSent) h.serverEvents.events.get(1);
        assertEquals(AlertLevel.FATAL, sent.level());
        assertEquals(AlertDescription.BAD_RECORD_MAC, sent.description());
        var serverFailed = (DtlsEvent.HandshakeFailed) h.serverEvents.events.get(2);
        assertEquals(DtlsEvent.FailureKind.ALERT_SENT, serverFailed.outcome());
        assertEquals(AlertDescription.BAD_RECORD_MAC, serverFailed.alert());

        assertEquals(List.of(DtlsEvent.HandshakeStarted.class, DtlsEvent.AlertReceived.class,
                DtlsEvent.HandshakeFailed.class), kinds(h.clientEvents));
        var received = (DtlsEvent.AlertReceived) h.clientEvents.events.get(1);
        assertEquals(AlertDescription.BAD_RECORD_MAC, received.description());
        var clientFailed = (DtlsEvent.HandshakeFailed) h.clientEvents.events.get(2);
        assertEquals(DtlsEvent.FailureKind.ALERT_RECEIVED, clientFailed.outcome());
        assertEquals(AlertDescription.BAD_RECORD_MAC, clientFailed.alert());
    }

    @Test
    void unansweredHandshakeFailsAsTimedOutWithItsRetransmissions() {
        Harness h = new Harness(TestConfigs.pskClient(PSK).build(), TestConfigs.pskServer(PSK).build(), 1, 1.0, 0, 0)
                .start();
        assertTrue(h.runUntil(h.clientEvents::isClosed));
        var failed = assertInstanceOf(DtlsEvent.HandshakeFailed.class,
                h.clientEvents.events.get(h.clientEvents.events.size() - 1));
        assertEquals(DtlsEvent.FailureKind.TIMED_OUT, failed.outcome());
        assertTrue(failed.retransmissions() > 0);
        assertEquals(h.client.retransmissions(), failed.retransmissions());
        assertTrue(failed.duration().compareTo(Duration.ofSeconds(1)) > 0, failed::toString);
    }

    @Test
    void closeNotifyIsSentAndReceivedAsWarningAlerts() {
        Harness h = psk(TestConfigs.pskClient(PSK).build()).start();
        assertTrue(h.handshake());
        h.clientEvents.events.clear();
        h.serverEvents.events.clear();
        h.client.close(h.now);
        h.drain();
        assertEquals(List.of(new DtlsEvent.AlertSent(Harness.SERVER_ADDRESS, AlertLevel.WARNING,
                AlertDescription.CLOSE_NOTIFY)), h.clientEvents.events);
        assertEquals(List.of(
                new DtlsEvent.AlertReceived(Harness.CLIENT_ADDRESS, AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY),
                new DtlsEvent.AlertSent(Harness.CLIENT_ADDRESS, AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY)),
                h.serverEvents.events);
    }

    @Test
    void dropsAreEventsOnlyForAListenerThatAsks() {
        Harness h = psk(TestConfigs.pskClient(PSK).build()).start();
        assertTrue(h.handshake());
        byte[] forged = Records.record(ContentType.APPLICATION_DATA, 0, 40, "x".getBytes(StandardCharsets.UTF_8));
        int before = h.clientEvents.events.size();
        h.client.receive(forged, 0, forged.length, h.now);
        assertEquals(1, h.client.drops(DropReason.CLEARTEXT_APPLICATION_DATA), "counted all the same");
        if (!JfrEvents.dropsRecorded()) {
            assertEquals(before, h.clientEvents.events.size(), "no event for a listener that did not ask");
        }

        Recorder watching = new Recorder();
        watching.wantsDrops = true;
        Harness w = psk(TestConfigs.pskClient(PSK).build());
        w.newClient(null, watching);
        w.clientEvents.completed.clear();
        w.start();
        assertTrue(w.runUntil(() -> watching.isComplete() && w.serverEvents.isComplete()));
        watching.events.clear();
        w.client.receive(forged, 0, forged.length, w.now);
        w.client.receive(forged, 0, forged.length, w.now);
        DtlsEvent.DatagramDropped expected =
                new DtlsEvent.DatagramDropped(Harness.SERVER_ADDRESS, DropReason.CLEARTEXT_APPLICATION_DATA, 1);
        assertEquals(List.of(expected, expected), watching.events);

        w.client.close(w.now);
        watching.events.clear();
        w.client.receive(forged, 0, forged.length, w.now);
        assertEquals(List.of(new DtlsEvent.DatagramDropped(Harness.SERVER_ADDRESS, EngineDropReason.AFTER_CLOSE, 1)),
                watching.events);
    }

    @Test
    void aListenerThatThrowsInOnEventDoesNotChangeTheConnection() {
        Recorder completions = new Recorder();
        DtlsListener throwing = new DtlsListener() {
            @Override
            public void onHandshakeComplete(DtlsConnection connection, HandshakeResult result) {
                completions.onHandshakeComplete(connection, result);
            }

            @Override
            public void onEvent(DtlsConnection connection, DtlsEvent event) {
                throw new IllegalStateException("observer bug");
            }
        };
        Harness h = psk(TestConfigs.pskClient(PSK).build());
        h.client = DtlsConnection.client(h.clientConfig, Harness.SERVER_ADDRESS, h.toServer::send, throwing);
        h.start();
        assertTrue(h.runUntil(() -> completions.isComplete() && h.serverEvents.isComplete()));
        assertTrue(h.client.isEstablished());
        assertNull(h.client.internalError());
    }
}
