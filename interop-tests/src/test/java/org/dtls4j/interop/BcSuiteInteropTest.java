package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.HandshakeResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AEAD suite dtls4j can negotiate (CBC suites: {@link BcCbcInteropTest}), against Bouncy Castle (on BC's own crypto) in both directions, each
 * over a seeded network that drops 30%, duplicates 10% and reorders: a full handshake, pings echoed both
 * ways, and a close_notify. Certificate suites use ECDSA P-256 or RSA 2048 chains as the key exchange
 * needs. Seeds are {@code 0x1_0000 + code} (dtls4j client) and {@code 0x2_0000 + code} (BC client).
 */
class BcSuiteInteropTest {
    static final int PINGS = 4;
    static final int MAX_BODY = 900;

    static List<CipherSuite> suites() {
        return CipherSuite.negotiable().stream().filter(CipherSuite::isAead).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void dtls4jClientCompletesHandshakeAndExchangesDataWithBouncyCastleServer(CipherSuite suite) throws Exception {
        Scenario scenario = Scenario.of(suite, 0x1_0000L + suite.code());
        try (Dtls4jClientRun run = new Dtls4jClientRun(scenario, null, null)) {
            HandshakeResult result = run.handshake();
            assertEquals(suite, result.suite(), run.why());
            assertFalse(result.resumed(), run.why());
            assertTrue(result.extendedMasterSecret(), "BC offers extended master secret; " + run.why());
            if (suite.keyExchange().usesCertificate()) {
                assertEquals(scenario.server().leaf(), result.peerCertificates().get(0), run.why());
            }
            run.pingPong(PINGS, MAX_BODY);
            run.closeCleanly();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void bouncyCastleClientCompletesHandshakeThroughAcceptorAndExchangesData(CipherSuite suite) throws Exception {
        Scenario scenario = Scenario.of(suite, 0x2_0000L + suite.code());
        try (BcClientRun run = new BcClientRun(scenario, null, null, 50_001)) {
            HandshakeResult result = run.handshake();
            assertEquals(suite, result.suite(), run.why());
            assertTrue(result.extendedMasterSecret(), run.why());
            if (suite.keyExchange().usesPsk()) {
                assertEquals(new String(Credentials.PSK_IDENTITY), new String(result.pskIdentity()), run.why());
            }
            run.pingPong(PINGS, MAX_BODY);
            run.closeCleanly();
        }
    }
}
