package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.wire.AlertDescription;
import org.junit.jupiter.api.Test;

/**
 * RFC 7366 encrypt_then_mac between two dtls4j engines: negotiated for CBC suites only, visible on the
 * wire in record sizes, kept across resumption (a session that changes its EtM state is not resumed, and
 * a server that resumes one anyway fails the client's check).
 */
class EncryptThenMacTest {
    /** HMAC-SHA1 makes EtM and MtE records of one byte differ in size: 13 + 16 + 16 + 20 vs 13 + 16 + 32. */
    private static final CipherSuite CBC_SHA = CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA;

    @Test
    void cbcSuiteUsesEncryptThenMacByDefaultAndItShowsInRecordSizes() {
        Harness h = new Harness(TestConfigs.pskClient(CBC_SHA).build(), TestConfigs.pskServer(CBC_SHA).build()).start();
        assertTrue(h.handshake());
        HandshakeResult c = h.clientEvents.completed.get(0);
        assertEquals(CBC_SHA, c.suite());
        assertTrue(c.session().encryptThenMac());
        assertTrue(h.serverEvents.completed.get(0).session().encryptThenMac());
        h.client.send(new byte[] {42}, h.now);
        h.drain();
        assertEquals(65, h.toServer.sent.get(h.toServer.sent.size() - 1).length, "EtM record of one byte");
        assertEquals(List.of("*"), h.serverEvents.dataAsStrings());
    }

    @Test
    void aeadSuiteNeverUsesEncryptThenMacEvenWhenCbcSuitesWereOffered() {
        Harness h = new Harness(TestConfigs.pskClient().build(),
                TestConfigs.pskServer(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).build()).start();
        assertTrue(h.handshake());
        HandshakeResult c = h.clientEvents.completed.get(0);
        assertEquals(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, c.suite());
        assertFalse(c.session().encryptThenMac());
        assertFalse(h.serverEvents.completed.get(0).session().encryptThenMac());
    }

    @Test
    void requiringEncryptThenMacStillNegotiatesItWithAnEtmPeer() {
        Harness h = new Harness(TestConfigs.pskClient(CBC_SHA).requireEncryptThenMac(true).build(),
                TestConfigs.pskServer(CBC_SHA).requireEncryptThenMac(true).build()).start();
        assertTrue(h.handshake());
        assertTrue(h.clientEvents.completed.get(0).session().encryptThenMac());
    }

    @Test
    void resumptionKeepsEncryptThenMac() {
        Harness h = cachedServer();
        HandshakeResult first = h.clientEvents.completed.get(0);
        Recorder second = new Recorder();
        h.newClient(first.session(), second).start(h.now);
        assertTrue(h.runUntil(() -> second.isComplete() && h.serverEvents.completed.size() == 2));
        assertTrue(second.completed.get(0).resumed());
        assertTrue(second.completed.get(0).session().encryptThenMac());
        h.client.send(new byte[] {7}, h.now);
        h.drain();
        assertEquals(65, h.toServer.sent.get(h.toServer.sent.size() - 1).length, "resumed records are EtM");
    }

    @Test
    void serverRunsAFullHandshakeRatherThanResumeAMacThenEncryptSessionWithEncryptThenMac() {
        SessionCache cache = new SessionCache(8);
        Harness h = new Harness(TestConfigs.pskClient(CBC_SHA).build(),
                TestConfigs.pskServer(CBC_SHA).sessionCache(cache).build()).start();
        assertTrue(h.handshake());
        Session etm = h.clientEvents.completed.get(0).session();
        cache.put(withEncryptThenMac(etm, false)); // as if the original session had used MAC-then-encrypt
        Recorder second = new Recorder();
        h.newClient(etm, second).start(h.now);
        assertTrue(h.runUntil(() -> second.isComplete() && h.serverEvents.completed.size() == 2));
        assertFalse(second.completed.get(0).resumed(), "RFC 7366 §3.1: no resumption across an EtM change");
        assertTrue(second.completed.get(0).session().encryptThenMac());
    }

    @Test
    void clientRefusesAResumptionThatTurnsOnEncryptThenMac() {
        Harness h = cachedServer();
        Session etm = h.clientEvents.completed.get(0).session();
        Recorder second = new Recorder();
        h.newClient(withEncryptThenMac(etm, false), second).start(h.now);
        h.runUntil(() -> second.closedCause != null);
        assertNotNull(second.closedCause);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, second.closedCause.alert());
    }

    private static Harness cachedServer() {
        Harness h = new Harness(TestConfigs.pskClient(CBC_SHA).build(),
                TestConfigs.pskServer(CBC_SHA).sessionCache(new SessionCache(8)).build()).start();
        assertTrue(h.handshake());
        return h;
    }

    private static Session withEncryptThenMac(Session s, boolean etm) {
        return new Session(s.sessionId(), s.suite(), s.masterSecret(), s.extendedMasterSecret(), s.peerCertificates(),
                s.pskIdentity(), s.serverName(), s.peerRawPublicKey(), etm);
    }
}
