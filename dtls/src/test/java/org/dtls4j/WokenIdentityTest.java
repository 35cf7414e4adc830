package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.Test;

/**
 * A connection woken from rest ({@link DtlsAcceptor#restAfter}) is the same connection to its application: every
 * component of {@link DtlsConnection#handshakeResult()} — the peer's certificates and raw public key (an LwM2M
 * server authorises each request by them), the session and its ID — equals the original's, the exporter gives the
 * same bytes, and data flows both ways, whether a datagram or {@link DtlsAcceptor#connection} woke it.
 */
class WokenIdentityTest {
    private static final long REST = 2_000_000_000L;
    private static final String LABEL = "EXPERIMENTAL-woken";
    private static final CipherSuite ECDSA = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;

    /** How the resting connection is woken. */
    private enum Wake { BY_DATAGRAM, BY_LOOKUP }

    @Test
    void aPskConnectionWithCidAlpnSniAndASessionIdWakesTheSame() {
        for (Wake wake : Wake.values()) {
            Harness h = established(TestConfigs.pskClient().connectionIdLength(4).applicationProtocols("coap")
                    .serverName(TestConfigs.HOST), TestConfigs.pskServer().connectionIdLength(4)
                    .applicationProtocols("coap").sessionCache(new SessionCache(8)));
            HandshakeResult before = h.server().handshakeResult();
            assertNotNull(before.connectionId());
            assertEquals("coap", before.applicationProtocol());
            assertEquals(TestConfigs.HOST, before.serverName());
            assertEquals(32, before.session().sessionId().length);
            DtlsConnection woken = restAndWake(h, wake);
            assertSame(before.session(), woken.handshakeResult().session(),
                    "the session the cache holds, not a look-alike: an invalidation reaches the cache");
        }
    }

    @Test
    void anX509ClientWakesWithItsChain() {
        for (Wake wake : Wake.values()) {
            TestPki.Identity server = TestConfigs.ecServer();
            TestPki.Identity client = TestConfigs.ecClient();
            Harness h = established(TestConfigs.certClient(server, ECDSA).certificate(client.key(), client.chain()),
                    TestConfigs.withClientAuth(TestConfigs.certServer(server, ECDSA), ClientAuth.REQUIRED));
            assertEquals(encoded(client.chain()), encoded(h.server().handshakeResult().peerCertificates()));
            DtlsConnection woken = restAndWake(h, wake);
            assertEquals(client.leaf().getPublicKey(), woken.handshakeResult().peerPublicKey());
        }
    }

    @Test
    void aChainIsDecodedOnlyWhenAskedForAndSurvivesRestsInBetween() {
        TestPki.Identity server = TestConfigs.ecServer();
        TestPki.Identity client = TestConfigs.ecClient();
        Harness h = established(TestConfigs.certClient(server, ECDSA).certificate(client.key(), client.chain()),
                TestConfigs.withClientAuth(TestConfigs.certServer(server, ECDSA), ClientAuth.REQUIRED));
        HandshakeResult original = talk(h).handshakeResult();
        for (int i = 0; i < 3; i++) {
            passes(h, REST);
            assertEquals(1, h.acceptor.restingCount());
            h.client.send(utf8("tick " + i), h.now);
            h.drain();
            assertEquals("tick " + i, last(h.serverEvents.dataAsStrings()));
            DtlsConnection woken = h.server();
            assertNotNull(woken.identityAtRest(), "nobody asked: the chain is still the form's bytes");
            assertTrue(woken.resultSoFar().peerCertificates().isEmpty());
        }
        DtlsConnection woken = h.server();
        assertSameResult(original, woken.handshakeResult());
        assertNull(woken.identityAtRest(), "decoded once, at the first ask");
        assertSame(woken.handshakeResult(), woken.handshakeResult());
        passes(h, REST);
        assertEquals(1, h.acceptor.restingCount(), "a decoded connection rests again");
        assertSameResult(original, h.server().handshakeResult());
    }

    @Test
    void aRawPublicKeyClientWakesWithItsKey() {
        KeyPair serverKeys = TestPki.keyPair(TestPki.KeyType.EC_P256);
        KeyPair clientKeys = TestPki.keyPair(TestPki.KeyType.EC_P256);
        for (Wake wake : Wake.values()) {
            Harness h = rawKeys(serverKeys, clientKeys);
            DtlsConnection woken = restAndWake(h, wake);
            PublicKey key = woken.handshakeResult().peerRawPublicKey();
            assertNotNull(key, "an RFC 7250 peer is still known by its key after the rest");
            assertArrayEquals(clientKeys.getPublic().getEncoded(), key.getEncoded());
            assertEquals(clientKeys.getPublic(), key);
        }
    }

    @Test
    void anEd25519RawPublicKeyClientWakesWithItsKey() {
        KeyPair serverKeys = TestPki.keyPair(TestPki.KeyType.ED25519);
        KeyPair clientKeys = TestPki.keyPair(TestPki.KeyType.ED25519);
        Harness h = rawKeys(serverKeys, clientKeys);
        DtlsConnection woken = restAndWake(h, Wake.BY_DATAGRAM);
        assertArrayEquals(clientKeys.getPublic().getEncoded(), woken.handshakeResult().peerRawPublicKey().getEncoded());
    }

    @Test
    void anSrtpConnectionWakesWithItsProfileAndMki() {
        byte[] mki = {7, 7, 7};
        for (Wake wake : Wake.values()) {
            Harness h = established(TestConfigs.pskClient().srtpProfiles(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80)
                    .srtpMki(mki), TestConfigs.pskServer().srtpProfiles(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80)
                    .srtpAcceptMki(true));
            assertArrayEquals(mki, h.server().handshakeResult().srtpMki());
            restAndWake(h, wake);
        }
    }

    @Test
    void aResumedSessionWakesResumedAndCanBeResumedAgain() {
        for (Wake wake : Wake.values()) {
            Harness h = established(TestConfigs.pskClient(), TestConfigs.pskServer().sessionCache(new SessionCache(8)));
            Session session = h.client.handshakeResult().session();
            Recorder events = new Recorder();
            h.newClient(session, events).start(h.now);
            assertTrue(h.runUntil(events::isComplete));
            assertTrue(h.client.handshakeResult().resumed());
            DtlsConnection woken = restAndWake(h, wake, events);
            assertTrue(woken.handshakeResult().resumed());

            Recorder third = new Recorder();
            h.newClient(session, third).start(h.now);
            assertTrue(h.runUntil(third::isComplete));
            assertTrue(h.client.handshakeResult().resumed(), "the session cache still resumes it after a wake");
            DtlsConnection replacement = talk(h);
            assertTrue(replacement.handshakeResult().resumed());
            assertSame(woken.handshakeResult().session(), replacement.handshakeResult().session());
        }
    }

    @Test
    void aWokenConnectionThatFailsInvalidatesItsCachedSession() {
        SessionCache cache = new SessionCache(8);
        Harness h = established(TestConfigs.pskClient(), TestConfigs.pskServer().sessionCache(cache).badMacLimit(1));
        Session session = h.server().handshakeResult().session();
        talk(h);
        passes(h, REST);
        assertEquals(1, h.acceptor.restingCount());
        h.client.send(utf8("to forge"), h.now);
        byte[] forged = h.toServer.poll();
        forged[forged.length - 1] ^= 1;
        h.acceptor.receive(forged, 0, forged.length, h.clientFrom, h.now);
        assertEquals(1, h.serverEvents.closedCount, "the bad-MAC limit of one ended the woken connection");
        assertNull(cache.get(session.sessionId()), "RFC 5246 §7.2.2: a fatal alert ends the session's resumption");
        assertFalse(session.isResumable());
    }

    @Test
    void aRestingConnectionsResultIsReadFromItsFormWithoutWakingIt() {
        TestPki.Identity server = TestConfigs.ecServer();
        TestPki.Identity client = TestConfigs.ecClient();
        List<Harness> harnesses = List.of(
                established(TestConfigs.pskClient().connectionIdLength(4).applicationProtocols("coap")
                        .serverName(TestConfigs.HOST), TestConfigs.pskServer().connectionIdLength(4)
                        .applicationProtocols("coap").sessionCache(new SessionCache(8))),
                established(TestConfigs.certClient(server, ECDSA).certificate(client.key(), client.chain()),
                        TestConfigs.withClientAuth(TestConfigs.certServer(server, ECDSA), ClientAuth.REQUIRED)),
                rawKeys(TestPki.keyPair(TestPki.KeyType.EC_P256), TestPki.keyPair(TestPki.KeyType.ED25519)));
        for (Harness h : harnesses) {
            HandshakeResult original = talk(h).handshakeResult();
            assertSame(original, h.acceptor.handshakeResult(Harness.CLIENT_ADDRESS), "a live connection's own result");
            passes(h, REST);
            assertEquals(1, h.acceptor.restingCount());
            long wakes = h.acceptor.wakes();
            HandshakeResult read = h.acceptor.handshakeResult(Harness.CLIENT_ADDRESS);
            assertSameResult(original, read);
            assertEquals(wakes, h.acceptor.wakes(), "read where it rests");
            assertEquals(1, h.acceptor.restingCount());
            assertSameResult(original, h.acceptor.handshakeResult(Harness.CLIENT_ADDRESS));
            // The form is intact: the connection wakes as itself afterwards.
            assertSameResult(original, h.server().handshakeResult());
            assertNull(h.acceptor.handshakeResult(new java.net.InetSocketAddress(Harness.CLIENT_ADDRESS.getAddress(), 9)));
        }
    }

    @Test
    void aRawPublicKeyFormStaysSmall() {
        KeyPair serverKeys = TestPki.keyPair(TestPki.KeyType.EC_P256);
        KeyPair clientKeys = TestPki.keyPair(TestPki.KeyType.EC_P256);
        Harness h = rawKeys(serverKeys, clientKeys);
        DtlsConnection live = talk(h);
        assertTrue(live.canRest(h.now));
        int spki = clientKeys.getPublic().getEncoded().length;
        int form = ConnectionAtRest.freeze(live).length;
        assertTrue(form <= 200 + spki + 8, "form of " + form + " bytes for a " + spki + "-byte key");
    }

    @Test
    void aChainOverTheBoundKeepsItsConnectionLive() {
        TestPki.Identity client = TestConfigs.ecClient();
        HandshakeResult small = result(client.chain());
        assertTrue(ConnectionAtRest.identityFits(small, null));
        int certificate = encodedList(client.chain()).get(0).length;
        List<X509Certificate> huge = new ArrayList<>(Collections.nCopies(
                ConnectionAtRest.MAX_IDENTITY_BYTES / certificate + 1, client.leaf()));
        assertFalse(ConnectionAtRest.identityFits(result(huge), null), "a peer's chain cannot make a form unbounded");
        huge.remove(0);
        assertTrue(ConnectionAtRest.identityFits(result(huge), null), "right at the bound it still rests");
    }

    @Test
    void aConnectionWhoseChainIsOverTheBoundDoesNotRest() {
        TestPki.Identity server = TestConfigs.ecServer();
        TestPki.Identity client = TestPki.chain(TestPki.KeyType.EC_P256, "big.dtls4j.test", 3,
                ConnectionAtRest.MAX_IDENTITY_BYTES / 2);
        Harness h = established(TestConfigs.certClient(server, ECDSA).certificate(client.key(), client.chainWithoutRoot()),
                TestConfigs.certServer(server, ECDSA).clientAuth(ClientAuth.REQUIRED).trustedCertificates(client.root())
                        .reassemblyLimits(new org.dtls4j.handshake.config.ReassemblyLimits(64 * 1024, 128 * 1024, 8, 64)));
        assertEquals(2, h.server().handshakeResult().peerCertificates().size());
        talk(h);
        passes(h, REST);
        assertEquals(0, h.acceptor.restingCount(), "its identity would not fit a form: it stays live");
        assertTrue(h.server().isEstablished());
    }

    // ---------------------------------------------------------------- the scenario and its checks

    private static Harness established(DtlsConfig.Builder client, DtlsConfig.Builder server) {
        Harness h = new Harness(client.build(), server.build());
        h.acceptor.restAfter(REST);
        h.start();
        assertTrue(h.handshake(), "handshake");
        return h;
    }

    /** Both sides authenticate with a raw public key (RFC 7250), the server requiring the client's. */
    private static Harness rawKeys(KeyPair serverKeys, KeyPair clientKeys) {
        return established(DtlsConfig.builder().cipherSuites(ECDSA).trustedRawPublicKeys(serverKeys.getPublic())
                        .rawPublicKey(clientKeys.getPrivate(), clientKeys.getPublic()),
                DtlsConfig.builder().cipherSuites(ECDSA).rawPublicKey(serverKeys.getPrivate(), serverKeys.getPublic())
                        .clientAuth(ClientAuth.REQUIRED).trustedRawPublicKeys(clientKeys.getPublic()));
    }

    /**
     * Talks both ways, notes what the application sees, lets the connection rest, wakes it, and checks the woken
     * connection against the notes and that data flows both ways.
     */
    private static DtlsConnection restAndWake(Harness h, Wake wake) {
        return restAndWake(h, wake, h.clientEvents);
    }

    /** {@link #restAndWake(Harness, Wake)} for a harness whose current client reports to {@code clientEvents}. */
    private static DtlsConnection restAndWake(Harness h, Wake wake, Recorder clientEvents) {
        DtlsConnection live = talk(h);
        HandshakeResult before = live.handshakeResult();
        byte[] exported = live.exportKeyingMaterial(LABEL, null, 48);
        byte[] withContext = live.exportKeyingMaterial(LABEL, utf8("context"), 20);
        int maxPlaintext = live.maxSendPlaintext();
        passes(h, REST);
        assertEquals(1, h.acceptor.restingCount(), "quiet for restAfter: at rest");

        int received = h.serverEvents.dataAsStrings().size();
        if (wake == Wake.BY_DATAGRAM) {
            h.client.send(utf8("wake up"), h.now);
            h.drain();
            assertEquals("wake up", last(h.serverEvents.dataAsStrings()));
            assertEquals(received + 1, h.serverEvents.dataAsStrings().size());
        }
        DtlsConnection woken = h.server();
        assertEquals(0, h.acceptor.restingCount(), wake + " woke it");
        assertNotSame(live, woken);
        assertSameResult(before, woken.handshakeResult());
        assertArrayEquals(exported, woken.exportKeyingMaterial(LABEL, null, 48), "the exporter gives the same bytes");
        assertArrayEquals(withContext, woken.exportKeyingMaterial(LABEL, utf8("context"), 20));
        assertEquals(maxPlaintext, woken.maxSendPlaintext());
        assertEquals(h.clientFrom, woken.peer());
        assertTrue(woken.isEstablished());
        assertFalse(woken.isClient());

        woken.send(utf8("from the woken server"), h.now);
        h.drain();
        assertEquals("from the woken server", last(clientEvents.dataAsStrings()));
        h.client.send(utf8("and back"), h.now);
        h.drain();
        assertEquals("and back", last(h.serverEvents.dataAsStrings()));
        return woken;
    }

    /** Every component of {@link HandshakeResult}, certificates and keys by their encodings. */
    static void assertSameResult(HandshakeResult a, HandshakeResult b) {
        assertEquals(a.suite(), b.suite());
        assertEquals(encoded(a.peerCertificates()), encoded(b.peerCertificates()), "peerCertificates");
        assertArrayEquals(a.pskIdentity(), b.pskIdentity(), "pskIdentity");
        assertEquals(a.applicationProtocol(), b.applicationProtocol());
        assertEquals(a.serverName(), b.serverName());
        assertSameSession(a.session(), b.session());
        assertEquals(a.resumed(), b.resumed());
        assertEquals(a.extendedMasterSecret(), b.extendedMasterSecret());
        assertEquals(a.peerRecordSizeLimit(), b.peerRecordSizeLimit());
        assertKeyEquals(a.peerRawPublicKey(), b.peerRawPublicKey());
        assertEquals(a.peerUsedRawPublicKey(), b.peerUsedRawPublicKey());
        assertKeyEquals(a.peerPublicKey(), b.peerPublicKey());
        assertEquals(a.srtpProfile(), b.srtpProfile());
        assertArrayEquals(a.srtpMki(), b.srtpMki(), "srtpMki");
        assertEquals(a.connectionId() == null, b.connectionId() == null, "connectionId");
        if (a.connectionId() != null) {
            assertArrayEquals(a.connectionId().read(), b.connectionId().read());
            assertArrayEquals(a.connectionId().write(), b.connectionId().write());
        }
        assertEquals(a.toString(), b.toString());
    }

    private static void assertSameSession(Session a, Session b) {
        assertArrayEquals(a.sessionId(), b.sessionId(), "the session ID");
        assertEquals(a.suite(), b.suite());
        assertArrayEquals(a.masterSecret(), b.masterSecret());
        assertEquals(a.extendedMasterSecret(), b.extendedMasterSecret());
        assertEquals(a.encryptThenMac(), b.encryptThenMac());
        assertEquals(encoded(a.peerCertificates()), encoded(b.peerCertificates()));
        assertKeyEquals(a.peerRawPublicKey(), b.peerRawPublicKey());
        assertArrayEquals(a.pskIdentity(), b.pskIdentity());
        assertEquals(a.serverName(), b.serverName());
        assertEquals(a.isResumable(), b.isResumable());
        assertEquals(a.toString(), b.toString());
    }

    private static void assertKeyEquals(PublicKey a, PublicKey b) {
        assertEquals(a == null, b == null, "a key on one side only");
        if (a != null) {
            assertEquals(a.getAlgorithm(), b.getAlgorithm());
            assertArrayEquals(a.getEncoded(), b.getEncoded());
        }
    }

    private static List<byte[]> encodedList(List<X509Certificate> chain) {
        List<byte[]> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            try {
                out.add(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** The chain's encodings as hex strings, so lists compare by content. */
    private static List<String> encoded(List<X509Certificate> chain) {
        List<String> out = new ArrayList<>();
        for (byte[] der : encodedList(chain)) {
            out.add(java.util.HexFormat.of().formatHex(der));
        }
        return out;
    }

    private static HandshakeResult result(List<X509Certificate> chain) {
        Session s = new Session(new byte[0], ECDSA, new byte[48], true, chain, null, null);
        return new HandshakeResult(ECDSA, chain, null, null, null, s, false, true, 0);
    }

    /** The client talks, the server answers (so it lets its last flight go); returns the server's connection. */
    private static DtlsConnection talk(Harness h) {
        h.client.send(utf8("hello"), h.now);
        h.drain();
        DtlsConnection live = h.server();
        live.send(utf8("hello back"), h.now);
        h.drain();
        return live;
    }

    private static void passes(Harness h, long nanos) {
        h.now += nanos;
        h.acceptor.onTimeout(h.now);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T last(List<T> l) {
        return l.get(l.size() - 1);
    }
}
