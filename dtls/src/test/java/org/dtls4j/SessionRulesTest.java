package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session rules through the engine: a session is resumed only under its server_name (RFC 6066 §3) and with
 * its extended master secret state (RFC 7627 §5.3), and any fatal alert, sent or received, before or after
 * establishment, makes it non-resumable on that side (RFC 5246 §7.2.2).
 */
class SessionRulesTest {
    private final SessionCache cache = new SessionCache(8);

    /** A PSK pair whose server caches sessions, after one full handshake made for {@code serverName}. */
    private Harness established(String serverName) {
        Harness h = new Harness(TestConfigs.pskClient().serverName(serverName).build(),
                TestConfigs.pskServer().sessionCache(cache).build()).start();
        assertTrue(h.handshake());
        assertEquals(1, cache.size());
        return h;
    }

    private static Session firstSession(Harness h) {
        return h.clientEvents.completed.get(0).session();
    }

    /** Starts a new client on the same server, offering {@code resume}; returns its events. */
    private static Recorder reconnect(Harness h, DtlsConfig config, Session resume) {
        Recorder events = new Recorder();
        h.client = DtlsConnection.client(config, Harness.SERVER_ADDRESS, h.toServer::send, events, resume);
        h.client.start(h.now);
        return events;
    }

    private static boolean runToEnd(Harness h, Recorder events, int serverHandshakes) {
        return h.runUntil(() -> events.isClosed()
                || events.isComplete() && h.serverEvents.completed.size() == serverHandshakes);
    }

    private static void assertFailedBy(Recorder events, AlertDescription alert, boolean fromPeer) {
        DtlsException e = events.closedCause;
        assertNotNull(e, "the listener heard a failure");
        assertEquals(alert, e.alert(), e::getMessage);
        assertEquals(fromPeer, e.receivedFromPeer(), e::getMessage);
    }

    /** Flips the last byte of every epoch-1 handshake record (the Finished): it fails authentication. */
    private static byte[] corruptEncryptedHandshake(byte[] d) {
        byte[] out = d.clone();
        for (int at = 0; at + 13 <= out.length; at += Records.length(out, at)) {
            if (Records.type(out, at) == ContentType.HANDSHAKE && Records.epoch(out, at) == 1) {
                out[at + Records.length(out, at) - 1] ^= 1;
            }
        }
        return out;
    }

    @Test
    void clientDoesNotOfferASessionToAnotherServerNameAndSaysSo() {
        Harness h = established("a.example");
        Session session = firstSession(h);
        Recorder second = reconnect(h, TestConfigs.pskClient().serverName("b.example").build(), session);
        assertTrue(runToEnd(h, second, 2));
        assertFalse(second.completed.get(0).resumed());
        assertFalse(h.serverEvents.completed.get(1).resumed());
        assertTrue(second.traces.stream().anyMatch(t -> t.contains("not offered to b.example")), second.traces::toString);
        assertTrue(session.isResumable(), "still good for a.example");
        assertEquals(2, cache.size());
    }

    @Test
    void serverDoesNotResumeUnderAnotherServerName() {
        Harness h = established("a.example");
        Session s = firstSession(h);
        Session renamed = new Session(s.sessionId(), s.suite(), s.masterSecret(), true, s.peerCertificates(),
                s.pskIdentity(), "b.example");
        Recorder second = reconnect(h, TestConfigs.pskClient().serverName("b.example").build(), renamed);
        assertTrue(runToEnd(h, second, 2));
        HandshakeResult server = h.serverEvents.completed.get(1);
        assertFalse(server.resumed());
        assertEquals("b.example", server.session().serverName());
        assertTrue(h.serverEvents.traces.stream().anyMatch(t -> t.contains("not resumed for b.example")));
    }

    @Test
    void resumedHandshakeWhoseFinishedFailsInvalidatesTheSessionOnBothSides() {
        Harness h = established(null);
        Session session = firstSession(h);
        h.client.close(h.now);
        h.drain();
        assertTrue(session.isResumable(), "a clean close keeps the session");
        h.toServer.mutator = SessionRulesTest::corruptEncryptedHandshake;
        Recorder second = reconnect(h, h.clientConfig, session);
        assertTrue(h.runUntil(second::isClosed));
        // The client sent its Finished and so counts as established; the server cannot read that Finished.
        assertTrue(second.completed.get(0).resumed());
        assertFailedBy(h.serverEvents, AlertDescription.BAD_RECORD_MAC, false);
        assertFailedBy(second, AlertDescription.BAD_RECORD_MAC, true);
        assertNull(cache.get(session.sessionId()), "the server's failure removed it from the cache");
        assertFalse(session.isResumable(), "the client's received alert invalidated it");

        h.toServer.mutator = d -> d;
        Recorder third = reconnect(h, h.clientConfig, session);
        assertTrue(runToEnd(h, third, 2));
        assertFalse(third.completed.get(0).resumed());
        assertTrue(third.traces.stream().anyMatch(t -> t.contains("is not resumable")), third.traces::toString);
    }

    /** A malformed alert record makes the receiver fail with decode_error, which the sender then hears. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void fatalAlertAfterEstablishmentInvalidatesTheSessionOnBothSides(boolean clientFails) throws DtlsException {
        Harness h = established(null);
        Session session = firstSession(h);
        DtlsConnection sender = clientFails ? h.server() : h.client;
        sender.sendRecordForTest(ContentType.ALERT, new byte[] {1, 0, 0});
        h.drain();
        assertFailedBy(h.clientEvents, AlertDescription.DECODE_ERROR, !clientFails);
        assertFailedBy(h.serverEvents, AlertDescription.DECODE_ERROR, clientFails);
        assertFalse(session.isResumable());
        assertEquals(0, cache.size());
        assertFalse(h.serverEvents.completed.get(0).session().isResumable());
    }

    @Test
    void clientAbortsAResumptionWithMismatchedExtendedMasterSecretAndTheServerDropsTheSession() {
        Harness h = established(null);
        Session s = firstSession(h);
        // The client remembers the session as made without extended master secret; the server, with it.
        Session legacy = new Session(s.sessionId(), s.suite(), s.masterSecret(), false, s.peerCertificates(),
                s.pskIdentity(), null);
        Recorder second = reconnect(h, TestConfigs.pskClient().requireExtendedMasterSecret(false).build(), legacy);
        assertTrue(h.runUntil(second::isClosed));
        assertFailedBy(second, AlertDescription.HANDSHAKE_FAILURE, false);
        assertTrue(second.closedCause.getMessage().contains("without extended master secret"));
        assertFalse(legacy.isResumable());
        assertTrue(h.runUntil(() -> h.serverEvents.closedCause != null));
        assertFailedBy(h.serverEvents, AlertDescription.HANDSHAKE_FAILURE, true);
        assertNull(cache.get(s.sessionId()), "the server's received alert removed the session it resumed");
    }
}
