package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.record.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Flight Recorder twins of the listener events, as {@code jcmd JFR.start} would record them. */
class JfrEventsTest {
    private static final CipherSuite PSK = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;

    @Test
    void aRecordingHasTheHandshakeAndTheDropsEvenWithoutAListenerAsking(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dtls.jfr");
        try (Recording recording = new Recording()) {
            // What a default recording does with these events: they are enabled with no threshold.
            recording.enable("org.dtls4j.HandshakeStarted");
            recording.enable("org.dtls4j.HandshakeCompleted");
            recording.enable("org.dtls4j.DatagramDropped");
            recording.start();
            Harness h = new Harness(TestConfigs.pskClient(PSK).build(), TestConfigs.pskServer(PSK).build()).start();
            assertTrue(h.handshake());
            assertTrue(JfrEvents.dropsRecorded());
            byte[] forged = Records.record(ContentType.APPLICATION_DATA, 0, 40, "x".getBytes(StandardCharsets.UTF_8));
            h.client.receive(forged, 0, forged.length, h.now);
            assertFalse(h.clientEvents.wantsDrops);
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> completed = events.stream()
                .filter(e -> e.getEventType().getName().equals("org.dtls4j.HandshakeCompleted")).toList();
        assertEquals(2, completed.size(), "client and server");
        for (RecordedEvent e : completed) {
            assertEquals(PSK.name(), e.getString("suite"));
            assertEquals(0, e.getInt("retransmissions"));
            assertFalse(e.getBoolean("resumed"));
        }
        assertEquals(1, completed.stream().filter(e -> e.getBoolean("client")).count());
        assertEquals(2, events.stream().filter(e -> e.getEventType().getName().equals("org.dtls4j.HandshakeStarted"))
                .count());
        RecordedEvent drop = events.stream()
                .filter(e -> e.getEventType().getName().equals("org.dtls4j.DatagramDropped")).findFirst().orElseThrow();
        assertEquals("CLEARTEXT_APPLICATION_DATA", drop.getString("reason"));
        assertEquals(1, drop.getLong("records"));
    }

    @Test
    void aCidPeersMoveIsRecordedWithBothAddresses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("move.jfr");
        java.net.InetSocketAddress rebound = new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 40077);
        try (Recording recording = new Recording()) {
            recording.enable("org.dtls4j.AddressChanged");
            recording.start();
            Harness h = new Harness(TestConfigs.pskClient(PSK).connectionIdLength(4).build(),
                    TestConfigs.pskServer(PSK).connectionIdLength(4).build()).start();
            assertTrue(h.handshake());
            h.clientFrom = rebound;
            h.client.send("moved".getBytes(StandardCharsets.UTF_8), h.now);
            h.drain();
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> moves = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("org.dtls4j.AddressChanged")).toList();
        assertEquals(1, moves.size());
        assertEquals(String.valueOf(rebound), moves.get(0).getString("peer"));
        assertEquals(String.valueOf(Harness.CLIENT_ADDRESS), moves.get(0).getString("previous"));
    }

    @Test
    void theEventsAreEnabledByDefault() {
        for (Class<? extends jdk.jfr.Event> type : List.of(JfrEvents.HandshakeStarted.class,
                JfrEvents.HandshakeCompleted.class, JfrEvents.HandshakeFailed.class, JfrEvents.AlertSent.class,
                JfrEvents.AlertReceived.class, JfrEvents.DatagramDropped.class, JfrEvents.AddressChanged.class)) {
            jdk.jfr.Enabled enabled = type.getAnnotation(jdk.jfr.Enabled.class);
            assertTrue(enabled != null && enabled.value(), type.getName());
            assertTrue(jdk.jfr.EventType.getEventType(type).getName().startsWith("org.dtls4j."), type.getName());
        }
    }
}
