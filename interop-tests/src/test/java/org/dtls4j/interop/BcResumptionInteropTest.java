package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsSession;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.testkit.BcPeers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Session resumption by session ID against Bouncy Castle across the lossy network, both ways: a full
 * handshake, then a second connection that offers the session and runs the abbreviated handshake. Both
 * sides must agree that it resumed: our {@link HandshakeResult#resumed()}, BC's
 * {@code isResumedSession()}, and the same session ID. A representative subset of one suite per key
 * exchange. Seeds are {@code 0x5_0000 + code} (dtls4j client) and {@code 0x6_0000 + code} (BC client),
 * plus one for the resuming handshake.
 */
class BcResumptionInteropTest {
    static List<CipherSuite> suites() {
        return List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void dtls4jClientResumesSessionWithBouncyCastleServer(CipherSuite suite) throws Exception {
        Map<String, TlsSession> bcCache = BcPeers.newSessionCache();
        Scenario first = Scenario.of(suite, 0x5_0000L + suite.code());
        Session session;
        try (Dtls4jClientRun run = new Dtls4jClientRun(first, bcCache, null)) {
            HandshakeResult result = run.handshake();
            assertFalse(result.resumed(), run.why());
            session = result.session();
            assertTrue(session != null && session.isResumable(), "BC issued a resumable session; " + run.why());
            run.pingPong(2, 300);
            run.closeCleanly();
        }
        assertTrue(session.isResumable(), "closing the connection left the session resumable: " + first);
        TlsSession cachedByBc = bcCache.get(org.bouncycastle.util.encoders.Hex.toHexString(session.sessionId()));
        assertNotNull(cachedByBc, "BC cached the session dtls4j holds: " + first);
        assertTrue(cachedByBc.isResumable(), "BC's cached session is still resumable after close_notify: " + first);
        try (Dtls4jClientRun run = new Dtls4jClientRun(first.withSeed(first.seed() + 1), bcCache, session)) {
            HandshakeResult result = run.handshake();
            SecurityParameters bc = run.bc.get().getSecurityParametersConnection();
            assertTrue(result.resumed(), "dtls4j resumed; " + run.why());
            assertTrue(bc.isResumedSession(), "BC resumed; " + run.why());
            assertArrayEquals(session.sessionId(), run.bc.get().getSession().getSessionID(), run.why());
            assertArrayEquals(session.sessionId(), result.session().sessionId(), run.why());
            run.pingPong(2, 300);
            run.closeCleanly();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void bouncyCastleClientResumesSessionWithDtls4jServer(CipherSuite suite) throws Exception {
        SessionCache cache = new SessionCache(8);
        Scenario first = Scenario.of(suite, 0x6_0000L + suite.code());
        TlsSession bcSession;
        try (BcClientRun run = new BcClientRun(first, cache, null, 50_301)) {
            HandshakeResult result = run.handshake();
            assertFalse(result.resumed(), run.why());
            assertEquals(1, cache.size(), "the full handshake's session is cached; " + run.why());
            bcSession = run.bc.get().getResumableSession();
            assertNotNull(bcSession, "BC holds a resumable session; " + run.why());
            assertArrayEquals(result.session().sessionId(), bcSession.getSessionID(), run.why());
            run.pingPong(2, 300);
            run.closeCleanly();
        }
        try (BcClientRun run = new BcClientRun(first.withSeed(first.seed() + 1), cache, bcSession, 50_302)) {
            HandshakeResult result = run.handshake();
            SecurityParameters bc = run.bc.get().getSecurityParametersConnection();
            assertTrue(result.resumed(), "dtls4j resumed; " + run.why());
            assertTrue(bc.isResumedSession(), "BC offered the session and resumed; " + run.why());
            assertArrayEquals(bcSession.getSessionID(), run.bc.get().getSession().getSessionID(), run.why());
            assertArrayEquals(bcSession.getSessionID(), result.session().sessionId(), run.why());
            run.pingPong(2, 300);
            run.closeCleanly();
        }
    }
}
