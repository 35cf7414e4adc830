package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.record.ContentType;
import org.dtls4j.record.DropReason;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/** Handshake failures, alerts both ways, and what the engine refuses to deliver. */
class FailureAndAlertTest {
    private static final CipherSuite PSK = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;

    private static Harness establishedPsk() {
        Harness h = new Harness(TestConfigs.pskClient(PSK).build(), TestConfigs.pskServer(PSK).build()).start();
        assertTrue(h.handshake());
        return h;
    }

    private static void assertFailedBy(Recorder events, AlertDescription alert, boolean fromPeer) {
        DtlsException e = events.closedCause;
        assertNotNull(e, "the listener heard a failure");
        assertEquals(alert, e.alert(), e::getMessage);
        assertEquals(fromPeer, e.receivedFromPeer(), e::getMessage);
    }

    @Test
    void wrongPskFailsTheHandshakeWithBadRecordMacAndTheClientHearsTheServersAlert() {
        DtlsConfig client = DtlsConfig.builder().cipherSuites(PSK)
                .pskIdentity(TestConfigs.PSK_IDENTITY, new byte[16]).build();
        Harness h = new Harness(client, TestConfigs.pskServer(PSK).build()).start();
        assertFalse(h.handshake());
        assertFailedBy(h.serverEvents, AlertDescription.BAD_RECORD_MAC, false);
        assertFailedBy(h.clientEvents, AlertDescription.BAD_RECORD_MAC, true);
        assertEquals(ConnectionState.FAILED, h.client.state());
    }

    @Test
    void unknownPskIdentityFailsWithUnknownPskIdentityOnBothSides() {
        PskStore nobody = id -> null;
        Harness h = new Harness(TestConfigs.pskClient(PSK).build(),
                DtlsConfig.builder().cipherSuites(PSK).pskStore(nobody).build()).start();
        assertFalse(h.handshake());
        assertFailedBy(h.serverEvents, AlertDescription.UNKNOWN_PSK_IDENTITY, false);
        assertFailedBy(h.clientEvents, AlertDescription.UNKNOWN_PSK_IDENTITY, true);
    }

    @Test
    void applicationDataInEpochZeroIsNeverDelivered() {
        Harness h = establishedPsk();
        byte[] forged = Records.record(ContentType.APPLICATION_DATA, 0, 40, "evil".getBytes(StandardCharsets.UTF_8));
        h.client.receive(forged, 0, forged.length, h.now);
        h.server().receive(forged, 0, forged.length, h.now);
        assertTrue(h.clientEvents.data.isEmpty());
        assertTrue(h.serverEvents.data.isEmpty());
        assertEquals(1, h.client.drops(DropReason.CLEARTEXT_APPLICATION_DATA));
        assertTrue(h.client.isEstablished(), "a dropped record does not end the connection");
    }

    @Test
    void applicationDataInEpochZeroDuringTheHandshakeIsNeverDelivered() {
        Harness h = new Harness(TestConfigs.pskClient(PSK).build(), TestConfigs.pskServer(PSK).build());
        byte[] forged = Records.record(ContentType.APPLICATION_DATA, 0, 7, "early".getBytes(StandardCharsets.UTF_8));
        h.toClient.mutator = d -> Records.concat(d, forged);
        h.start();
        assertTrue(h.handshake());
        assertTrue(h.clientEvents.data.isEmpty());
        assertTrue(h.client.drops(DropReason.CLEARTEXT_APPLICATION_DATA) > 0);
    }

    /**
     * Replaces the client's CCS and epoch-1 Finished with a Finished in epoch 0: the server must refuse a
     * Finished that skipped the ChangeCipherSpec.
     */
    @Test
    void finishedInEpochZeroSkippingChangeCipherSpecFailsWithUnexpectedMessage() {
        Harness h = new Harness(TestConfigs.pskClient(PSK).build(), TestConfigs.pskServer(PSK).build());
        h.toServer.mutator = d -> {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            boolean changed = false;
            long nextSeq = 0;
            int finishedSeq = -1;
            for (int at = 0; at + 13 <= d.length; at += Records.length(d, at)) {
                int type = Records.type(d, at);
                if (type == ContentType.CHANGE_CIPHER_SPEC || Records.epoch(d, at) > 0) {
                    changed = true;
                    continue;
                }
                if (type == ContentType.HANDSHAKE && (d[at + 13] & 0xff) == HandshakeType.CLIENT_KEY_EXCHANGE) {
                    finishedSeq = ((d[at + 13 + 4] & 0xff) << 8 | d[at + 13 + 5] & 0xff) + 1;
                }
                nextSeq = Records.sequence(d, at) + 1;
                kept.write(d, at, Records.length(d, at));
            }
            if (!changed) {
                return d;
            }
            byte[] finished = Records.handshake(HandshakeType.FINISHED, finishedSeq, new byte[12]);
            kept.writeBytes(Records.record(ContentType.HANDSHAKE, 0, nextSeq, finished));
            return kept.toByteArray();
        };
        h.start();
        assertFalse(h.handshake());
        assertFailedBy(h.serverEvents, AlertDescription.UNEXPECTED_MESSAGE, false);
        assertFailedBy(h.clientEvents, AlertDescription.UNEXPECTED_MESSAGE, true);
    }

    @Test
    void unansweredClientGivesUpWithHandshakeFailureAfterItsRetransmissions() {
        Harness h = new Harness(TestConfigs.pskClient(PSK).build(), TestConfigs.pskServer(PSK).build());
        h.toServer.mutator = d -> null;
        long start = h.now;
        h.start();
        assertFalse(h.handshake());
        assertFailedBy(h.clientEvents, AlertDescription.HANDSHAKE_FAILURE, false);
        // 1 + 2 + 4 + 8 + 16 + 32 + 60 + 60 seconds of backoff (RFC 6347 §4.2.4.1), on the manual clock.
        assertEquals(183_000_000_000L, h.now - start);
        assertEquals(Long.MAX_VALUE, h.client.nextTimeoutNanos());
    }

    @Test
    void renegotiationAttemptIsRefusedWithWarningAndTheConnectionGoesOn() throws DtlsException {
        Harness h = establishedPsk();
        // The client's messages so far: ClientHello 0 and 1 (cookie), ClientKeyExchange 2, Finished 3.
        byte[] hello = Records.handshake(HandshakeType.CLIENT_HELLO, 4, helloBody(h));
        h.client.sendRecordForTest(ContentType.HANDSHAKE, hello);
        h.drain();
        assertEquals(List.of(AlertDescription.NO_RENEGOTIATION), h.clientEvents.warnings);
        assertTrue(h.server().isEstablished());
        h.client.send("still here".getBytes(StandardCharsets.UTF_8), h.now);
        h.drain();
        assertEquals(List.of("still here"), h.serverEvents.dataAsStrings());
    }

    /** A ClientHello body: the first one the client sent (it decodes; its content does not matter here). */
    private static byte[] helloBody(Harness h) {
        byte[] first = h.toServer.sent.get(0);
        int len = Records.length(first, 0) - 13 - 12;
        return java.util.Arrays.copyOfRange(first, 13 + 12, 13 + 12 + len);
    }

    @Test
    void helloRequestAtTheClientIsRefusedWithWarningAndTheConnectionGoesOn() throws DtlsException {
        Harness h = establishedPsk();
        // The server's messages: ServerHello 1 (mirroring the second ClientHello), ServerHelloDone 2, Finished 3.
        h.server().sendRecordForTest(ContentType.HANDSHAKE, Records.handshake(HandshakeType.HELLO_REQUEST, 4, new byte[0]));
        h.drain();
        assertEquals(List.of(AlertDescription.NO_RENEGOTIATION), h.serverEvents.warnings);
        assertTrue(h.client.isEstablished());
    }

    @Test
    void fatalAlertFromThePeerEndsTheConnectionWithoutAnAlertBack() throws DtlsException {
        Harness h = establishedPsk();
        h.server().sendRecordForTest(ContentType.ALERT, new byte[] {2, 40});
        long sentBefore = h.client.datagramsSent();
        h.drain();
        assertFailedBy(h.clientEvents, AlertDescription.HANDSHAKE_FAILURE, true);
        assertEquals(sentBefore, h.client.datagramsSent());
        assertThrows(IllegalStateException.class, () -> h.client.send(new byte[1], h.now));
    }

    @Test
    void warningAlertIsReportedAndTheConnectionGoesOn() throws DtlsException {
        Harness h = establishedPsk();
        h.server().sendRecordForTest(ContentType.ALERT, new byte[] {1, 90});
        h.drain();
        assertEquals(List.of(AlertDescription.USER_CANCELED), h.clientEvents.warnings);
        assertTrue(h.client.isEstablished());
    }

    @Test
    void malformedAlertRecordFailsWithDecodeErrorAndThePeerHearsIt() throws DtlsException {
        Harness h = establishedPsk();
        h.server().sendRecordForTest(ContentType.ALERT, new byte[] {1, 0, 0});
        h.drain();
        assertFailedBy(h.clientEvents, AlertDescription.DECODE_ERROR, false);
        assertFailedBy(h.serverEvents, AlertDescription.DECODE_ERROR, true);
    }

    @Test
    void forgedEpochZeroAlertAfterTheHandshakeIsDropped() {
        Harness h = establishedPsk();
        byte[] forged = Records.record(ContentType.ALERT, 0, 30, new byte[] {2, 20});
        h.client.receive(forged, 0, forged.length, h.now);
        assertTrue(h.client.isEstablished());
        assertEquals(1, h.client.drops(EngineDropReason.STALE_EPOCH_ALERT));
    }

    @Test
    void forgedMalformedEpochZeroHandshakeRecordDoesNotEndAnEstablishedConnection() {
        Harness h = establishedPsk();
        byte[] forged = Records.record(ContentType.HANDSHAKE, 0, 30, new byte[] {1, 0, 0});
        h.client.receive(forged, 0, forged.length, h.now);
        assertTrue(h.client.isEstablished());
        assertNull(h.client.failure());
    }

    @Test
    void badMacLimitFailsTheConnectionWithBadRecordMac() {
        Harness h = new Harness(TestConfigs.pskClient(PSK).badMacLimit(3).build(),
                TestConfigs.pskServer(PSK).build()).start();
        assertTrue(h.handshake());
        for (int i = 0; i < 3; i++) {
            byte[] forged = Records.record(ContentType.APPLICATION_DATA, 1, 100 + i, new byte[40]);
            h.client.receive(forged, 0, forged.length, h.now);
        }
        assertFailedBy(h.clientEvents, AlertDescription.BAD_RECORD_MAC, false);
        h.drain();
        assertFailedBy(h.serverEvents, AlertDescription.BAD_RECORD_MAC, true);
    }

    @Test
    void failedConnectionStaysFailed() {
        Harness h = new Harness(TestConfigs.pskClient(PSK).build(), TestConfigs.pskServer(PSK).build());
        h.toServer.mutator = d -> null;
        h.start();
        h.handshake();
        assertEquals(ConnectionState.FAILED, h.client.state());
        long sent = h.client.datagramsSent();
        byte[] any = Records.record(ContentType.ALERT, 0, 1, new byte[] {1, 0});
        h.client.receive(any, 0, any.length, h.now);
        h.client.onTimeout(h.now + 1_000_000_000_000L);
        h.client.close(h.now);
        assertEquals(sent, h.client.datagramsSent());
        assertEquals(1, h.client.drops(EngineDropReason.AFTER_CLOSE));
        assertEquals(1, h.clientEvents.closedCount);
        assertThrows(IllegalStateException.class, () -> h.client.send(new byte[1], h.now));
    }

    @Test
    void sendBeforeTheHandshakeCompletesIsRefused() {
        Harness h = new Harness(TestConfigs.pskClient(PSK).build(), TestConfigs.pskServer(PSK).build()).start();
        assertThrows(IllegalStateException.class, () -> h.client.send(new byte[1], h.now));
    }

    @Test
    void sendLargerThanTheRecordLimitIsRefused() {
        Harness h = establishedPsk();
        assertEquals(16384, h.client.maxSendPlaintext());
        assertThrows(IllegalArgumentException.class, () -> h.client.send(new byte[16385], h.now));
        h.client.send(new byte[16384], h.now);
        h.drain();
        assertEquals(16384, h.serverEvents.data.get(0).length);
    }

    @Test
    void recordsAfterCloseNotifyInTheSameDatagramAreIgnored() throws DtlsException {
        Harness h = establishedPsk();
        DtlsConnection server = h.server();
        h.toClient.mutator = d -> d;
        server.sendRecordForTest(ContentType.ALERT, new byte[] {1, 0});
        server.send("after".getBytes(StandardCharsets.UTF_8), h.now);
        byte[] close = h.toClient.poll();
        byte[] data = h.toClient.poll();
        byte[] both = Records.concat(close, data);
        h.client.receive(both, 0, both.length, h.now);
        assertTrue(h.client.isClosed());
        assertTrue(h.clientEvents.data.isEmpty());
        assertEquals(1, h.client.drops(EngineDropReason.AFTER_CLOSE));
    }

    @Test
    void recordSizeLimitBelowTheMaximumIsAdvertisedAndHonoured() {
        Harness h = new Harness(TestConfigs.pskClient(PSK).maxPlaintext(512).build(),
                TestConfigs.pskServer(PSK).build()).start();
        assertTrue(h.handshake());
        assertEquals(512, h.server().maxSendPlaintext());
        assertThrows(IllegalArgumentException.class, () -> h.server().send(new byte[513], h.now));
    }
}
