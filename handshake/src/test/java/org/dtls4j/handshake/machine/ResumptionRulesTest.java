package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.dtls4j.cookie.CookieResult;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.handshake.message.ClientHello;
import org.dtls4j.handshake.message.Extension;
import org.dtls4j.handshake.message.ExtensionType;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.record.ContentType;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.record.RecordLayerConfig;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.junit.jupiter.api.Test;

/**
 * The resumption rules of both state machines: server_name (RFC 6066 §3), extended master secret
 * (RFC 7627 §5.3) and invalidation after a fatal alert (RFC 5246 §7.2.2). A side that fails here is
 * invalidated the way the engine does it, through {@link Handshaker#invalidateSession()}.
 */
class ResumptionRulesTest {
    private static final InetSocketAddress CLIENT_ADDRESS = new InetSocketAddress("192.0.2.1", 40000);
    private static final CipherSuite SUITE = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;
    private static final byte[] ID = "client-1".getBytes();
    private static final byte[] KEY = new byte[16];

    /** One side: record layer, handshaker, what it sent and traced, and how it failed. */
    static final class Side extends TestConductor {
        /** Flips a bit of the peer's Finished after decryption: a Finished that does not verify. */
        boolean tamperPeerFinished;
        DtlsException failure;

        /** False when the side failed: then, as in the engine, its session is invalidated. */
        boolean receive(byte[] datagram) {
            try {
                receive(datagram, 0);
                return true;
            } catch (DtlsException e) {
                fail(e);
                return false;
            }
        }

        void fail(DtlsException e) {
            failure = e;
            try {
                apply(handshaker.invalidateSession(), 0);
            } catch (DtlsException notThrown) {
                throw new AssertionError(notThrown);
            }
        }

        @Override
        void onRecord(int type, int epoch, byte[] p, int off, int len, long now) throws DtlsException {
            if (tamperPeerFinished && type == ContentType.HANDSHAKE && epoch > 0
                    && (p[off] & 0xff) == HandshakeType.FINISHED) {
                p = Arrays.copyOfRange(p, off, off + len);
                off = 0;
                p[len - 1] ^= 1;
            }
            super.onRecord(type, epoch, p, off, len, now);
        }
    }

    /** A client and a server behind the cookie verifier, run until both are established or one fails. */
    static final class Pair {
        final Side client = new Side();
        final Side server = new Side();
        final List<byte[]> offeredSessionIds = new ArrayList<>();
        private final TestSettings serverSettings;
        private final CookieVerifier verifier = CookieVerifier.create();
        private UnaryOperator<byte[]> clientToServer = d -> d;

        Pair(TestSettings clientSettings, TestSettings serverSettings, Session resume) {
            this.serverSettings = serverSettings;
            client.handshaker = new ClientHandshaker(clientSettings, client.records::maxRecordOverhead, resume);
        }

        Pair stripExtendedMasterSecretFromClientHello() {
            clientToServer = ResumptionRulesTest::withoutExtendedMasterSecret;
            return this;
        }

        Pair run() {
            try {
                client.start(0);
            } catch (DtlsException e) {
                client.fail(e);
                return this;
            }
            for (int round = 0; round < 20; round++) {
                while (!client.sent.isEmpty()) {
                    byte[] d = clientToServer.apply(client.sent.poll());
                    sessionIdOf(d).ifPresent(offeredSessionIds::add);
                    if (!toServer(d)) {
                        return this;
                    }
                }
                while (!server.sent.isEmpty()) {
                    if (!client.receive(server.sent.poll())) {
                        return this;
                    }
                }
                if (client.sent.isEmpty() && established()) {
                    return this;
                }
            }
            return this;
        }

        private boolean toServer(byte[] d) {
            if (server.handshaker != null) {
                return server.receive(d);
            }
            CookieResult r = verifier.verify(d, 0, d.length, CLIENT_ADDRESS, 0);
            if (r instanceof CookieResult.SendHelloVerifyRequest hvr) {
                return client.receive(hvr.toByteArray());
            }
            if (r instanceof CookieResult.Verified v) {
                server.records.continueEpoch0WriteSequenceAfterHello(v.recordSequenceNumber());
                server.handshaker = new ServerHandshaker(serverSettings, server.records::maxRecordOverhead, v);
                try {
                    server.start(0);
                } catch (DtlsException e) {
                    server.fail(e);
                    return false;
                }
            }
            return true;
        }

        boolean established() {
            return client.handshaker.isEstablished() && server.handshaker != null && server.handshaker.isEstablished();
        }

        HandshakeResult clientResult() {
            return client.handshaker.result();
        }

        HandshakeResult serverResult() {
            return server.handshaker.result();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static TestSettings client(String serverName) {
        return TestSettings.psk(SUITE, ID, KEY, true).withServerName(serverName);
    }

    private static TestSettings server(SessionCache cache) {
        return TestSettings.psk(SUITE, ID, KEY, false).withSessionCache(cache);
    }

    /** A full handshake that puts a session in {@code cache}; returns the client's session. */
    private static Session firstSession(TestSettings client, SessionCache cache) {
        Pair p = new Pair(client, server(cache), null).run();
        assertTrue(p.established());
        assertFalse(p.clientResult().resumed());
        assertEquals(1, cache.size());
        return p.clientResult().session();
    }

    /** The same session (ID and secret) as another party might remember it: other EMS state or name. */
    private static Session copy(Session s, boolean ems, String serverName) {
        return new Session(s.sessionId(), s.suite(), s.masterSecret(), ems, s.peerCertificates(), s.pskIdentity(),
                serverName);
    }

    /** The session_id of a ClientHello datagram (one record, one fragment), if it is one. */
    private static Optional<byte[]> sessionIdOf(byte[] d) {
        if (d[0] != ContentType.HANDSHAKE || d[13] != HandshakeType.CLIENT_HELLO) {
            return Optional.empty();
        }
        try {
            return Optional.of(ClientHello.decode(new Reader(d, 25, d.length - 25)).sessionId().toByteArray());
        } catch (DtlsException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The ClientHello datagram without its extended_master_secret extension: what a legacy client sends, or
     * an active attacker makes of a real one. Its transcript no longer matches the client's, so only what
     * happens up to the ServerHello is meaningful.
     */
    private static byte[] withoutExtendedMasterSecret(byte[] d) {
        if (sessionIdOf(d).isEmpty()) {
            return d;
        }
        try {
            ClientHello ch = ClientHello.decode(new Reader(d, 25, d.length - 25));
            List<Extension> kept = ch.extensionsOrEmpty().list().stream()
                    .filter(e -> !e.type().equals(ExtensionType.EXTENDED_MASTER_SECRET)).toList();
            byte[] body = new ClientHello(ch.clientVersion(), ch.random(), ch.sessionId(), ch.cookie(),
                    ch.cipherSuites(), ch.compressionMethods(), Optional.of(Extensions.of(kept))).toByteArray();
            byte[] out = Arrays.copyOf(d, 25 + body.length);
            System.arraycopy(body, 0, out, 25, body.length);
            int recordLength = 12 + body.length;
            out[11] = (byte) (recordLength >>> 8);
            out[12] = (byte) recordLength;
            for (int at : new int[] {14, 22}) { // handshake length and fragment_length (offset stays 0)
                out[at] = (byte) (body.length >>> 16);
                out[at + 1] = (byte) (body.length >>> 8);
                out[at + 2] = (byte) body.length;
            }
            return out;
        } catch (DtlsException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- server_name, RFC 6066 §3

    @Test
    void sessionResumesUnderTheSameServerNameIgnoringAsciiCase() {
        SessionCache cache = new SessionCache(8);
        Session session = firstSession(client("a.example"), cache);
        assertEquals("a.example", session.serverName());
        Pair p = new Pair(client("A.Example"), server(cache), session).run();
        assertTrue(p.established());
        assertTrue(p.clientResult().resumed());
        assertTrue(p.serverResult().resumed());
    }

    @Test
    void serverRunsAFullHandshakeWhenTheClientHelloNamesAnotherServer() {
        SessionCache cache = new SessionCache(8);
        Session session = firstSession(client("a.example"), cache);
        // A client that offers the session anyway (a broken or hostile one): the server must not resume it.
        Pair p = new Pair(client("b.example"), server(cache), copy(session, true, "b.example")).run();
        assertTrue(p.established());
        assertArrayEquals(session.sessionId(), p.offeredSessionIds.get(0), "the session was offered");
        assertFalse(p.serverResult().resumed());
        assertFalse(p.clientResult().resumed());
        assertFalse(Arrays.equals(session.sessionId(), p.serverResult().session().sessionId()), "a new session ID");
        assertEquals("b.example", p.serverResult().session().serverName());
        assertTrue(p.server.traced("not resumed for b.example"), p.server.traces.toString());
        assertNotNull(cache.get(session.sessionId()), "the a.example session stays for a.example");
        assertEquals(2, cache.size());
    }

    @Test
    void serverRunsAFullHandshakeWhenOnlyOneOfSessionAndClientHelloHasAServerName() {
        SessionCache cache = new SessionCache(8);
        Session unnamed = firstSession(client(null), cache);
        assertNull(unnamed.serverName());
        Pair named = new Pair(client("a.example"), server(cache), copy(unnamed, true, "a.example")).run();
        assertTrue(named.established());
        assertFalse(named.serverResult().resumed());

        Session aSession = named.clientResult().session();
        Pair unnamedHello = new Pair(client(null), server(cache), copy(aSession, true, null)).run();
        assertTrue(unnamedHello.established());
        assertArrayEquals(aSession.sessionId(), unnamedHello.offeredSessionIds.get(0));
        assertFalse(unnamedHello.serverResult().resumed());
    }

    @Test
    void clientDoesNotOfferASessionMadeForAnotherServerName() {
        SessionCache cache = new SessionCache(8);
        Session session = firstSession(client("a.example"), cache);
        Pair p = new Pair(client("b.example"), server(cache), session).run();
        assertTrue(p.established());
        assertFalse(p.clientResult().resumed());
        assertTrue(p.offeredSessionIds.stream().allMatch(id -> id.length == 0), "no session ID offered");
        assertTrue(p.client.traced("session made for server_name a.example not offered to b.example"),
                p.client.traces.toString());
        assertTrue(session.isResumable(), "still good for a.example");
    }

    // ---------------------------------------------------------------- extended master secret, RFC 7627 §5.3

    @Test
    void serverAbortsWhenAClientHelloDropsTheExtendedMasterSecretOfItsSession() {
        SessionCache cache = new SessionCache(8);
        Session session = firstSession(client(null), cache);
        assertTrue(session.extendedMasterSecret());
        Pair p = new Pair(client(null), server(cache).withLegacyMasterSecret(), session)
                .stripExtendedMasterSecretFromClientHello().run();
        assertNotNull(p.server.failure);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, p.server.failure.alert());
        assertTrue(p.server.failure.getMessage().contains("does not offer it"), p.server.failure.getMessage());
        assertNull(cache.get(session.sessionId()), "the aborted session leaves the cache");
    }

    @Test
    void serverRunsAFullHandshakeWhenASessionWithoutExtendedMasterSecretMeetsAClientHelloWithIt() {
        SessionCache cache = new SessionCache(8);
        Session session = firstSession(client(null), cache);
        cache.remove(session.sessionId());
        cache.put(copy(session, false, null));
        Pair p = new Pair(client(null), server(cache).withLegacyMasterSecret(), session).run();
        assertTrue(p.established());
        assertArrayEquals(session.sessionId(), p.offeredSessionIds.get(0));
        assertFalse(p.serverResult().resumed());
        assertTrue(p.serverResult().extendedMasterSecret());
        assertFalse(Arrays.equals(session.sessionId(), p.serverResult().session().sessionId()));
        assertTrue(p.server.traced("without extended master secret not resumed"), p.server.traces.toString());
    }

    @Test
    void clientAbortsWhenTheServerResumesWithExtendedMasterSecretASessionMadeWithout() {
        SessionCache cache = new SessionCache(8);
        Session session = firstSession(client(null), cache);
        Session legacy = copy(session, false, null);
        Pair p = new Pair(client(null).withLegacyMasterSecret(), server(cache), legacy).run();
        assertNotNull(p.client.failure);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, p.client.failure.alert());
        assertTrue(p.client.failure.getMessage().contains("made without extended master secret, with it"));
        assertFalse(legacy.isResumable(), "a failed resumption attempt invalidates the session");
    }

    @Test
    void clientAbortsWhenTheServerResumesWithoutExtendedMasterSecretASessionMadeWithIt() {
        SessionCache cache = new SessionCache(8);
        Session session = firstSession(client(null), cache);
        cache.remove(session.sessionId());
        cache.put(copy(session, false, null));
        // The server sees a legacy ClientHello for a legacy session, so it resumes without the extension.
        Pair p = new Pair(client(null).withLegacyMasterSecret(), server(cache).withLegacyMasterSecret(), session)
                .stripExtendedMasterSecretFromClientHello().run();
        assertNotNull(p.client.failure);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, p.client.failure.alert());
        assertTrue(p.client.failure.getMessage().contains("made with extended master secret, without it"));
        assertFalse(session.isResumable());
    }

    @Test
    void clientThatRequiresExtendedMasterSecretDoesNotOfferASessionMadeWithout() {
        SessionCache cache = new SessionCache(8);
        Session legacy = copy(firstSession(client(null), cache), false, null);
        Pair p = new Pair(client(null), server(cache), legacy).run();
        assertTrue(p.established());
        assertFalse(p.clientResult().resumed());
        assertTrue(p.offeredSessionIds.stream().allMatch(id -> id.length == 0));
        assertTrue(p.client.traced("without extended master secret not offered"), p.client.traces.toString());
    }

    // ---------------------------------------------------------------- fatal alerts, RFC 5246 §7.2.2

    @Test
    void resumedHandshakeWhoseClientFinishedFailsRemovesTheSessionFromTheServerCache() {
        SessionCache cache = new SessionCache(8);
        Session session = firstSession(client(null), cache);
        Pair p = new Pair(client(null), server(cache), session);
        p.server.tamperPeerFinished = true;
        p.run();
        assertNotNull(p.server.failure);
        assertEquals(AlertDescription.DECRYPT_ERROR, p.server.failure.alert());
        assertNull(cache.get(session.sessionId()));
        assertEquals(0, cache.size());
    }

    @Test
    void resumedHandshakeWhoseServerFinishedFailsInvalidatesTheClientsSession() {
        SessionCache cache = new SessionCache(8);
        Session session = firstSession(client(null), cache);
        Pair p = new Pair(client(null), server(cache), session);
        p.client.tamperPeerFinished = true;
        p.run();
        assertNotNull(p.client.failure);
        assertEquals(AlertDescription.DECRYPT_ERROR, p.client.failure.alert());
        assertFalse(session.isResumable());
        Pair again = new Pair(client(null), server(cache), session).run();
        assertTrue(again.established());
        assertFalse(again.clientResult().resumed(), "an invalidated session is not offered again");
        assertTrue(again.offeredSessionIds.stream().allMatch(id -> id.length == 0));
    }

    @Test
    void failureAfterEstablishmentInvalidatesTheSessionOnEachSide() {
        SessionCache cache = new SessionCache(8);
        Session session = firstSession(client(null), cache);
        Pair resumed = new Pair(client(null), server(cache), session).run();
        assertTrue(resumed.clientResult().resumed());
        resumed.client.handshaker.invalidateSession();
        assertFalse(session.isResumable());
        assertFalse(resumed.clientResult().session().isResumable());
        assertEquals(1, cache.size(), "the server side is its own: only its failure removes the session");
        resumed.server.handshaker.invalidateSession();
        assertEquals(0, cache.size());
        assertFalse(resumed.serverResult().session().isResumable());
    }

    @Test
    void failedFullHandshakeLeavesTheSessionTheServerDeclinedResumable() {
        SessionCache elsewhere = new SessionCache(8);
        Session session = firstSession(client(null), elsewhere);
        // This server never saw the session: it declines it, and the full handshake then fails.
        Pair p = new Pair(client(null), server(new SessionCache(8)), session);
        p.server.tamperPeerFinished = true;
        p.run();
        assertEquals(AlertDescription.DECRYPT_ERROR, p.server.failure.alert());
        assertTrue(p.client.traced("server declined session"), p.client.traces.toString());
        p.client.handshaker.invalidateSession();
        assertTrue(session.isResumable(), "the declined session took no part in the failed handshake");
    }
}
