package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.bouncycastle.tls.Certificate;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client authentication against Bouncy Castle across the lossy network, both ways: a dtls4j server that
 * requires a certificate gets and validates BC's, and a BC server that requires one gets dtls4j's. A
 * representative subset: every certificate key exchange, each with an ECDSA P-256 and an RSA 2048
 * client certificate, across the AEADs (the suite matrix itself is {@link BcSuiteInteropTest}).
 * Seeds are {@code 0x3_0000 + code} (dtls4j client) and {@code 0x4_0000 + code} (BC client), plus 0x100
 * for RSA client certificates.
 */
class BcClientAuthInteropTest {
    static Stream<Arguments> suitesAndClientKeys() {
        return Stream.of(
                Arguments.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TestPki.KeyType.EC_P256),
                Arguments.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, TestPki.KeyType.RSA_2048),
                Arguments.of(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TestPki.KeyType.RSA_2048),
                Arguments.of(CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TestPki.KeyType.EC_P256));
    }

    private static TestPki.Identity client(TestPki.KeyType type) {
        return type == TestPki.KeyType.RSA_2048 ? Credentials.rsaClient() : Credentials.ecClient();
    }

    private static long seed(long base, CipherSuite suite, TestPki.KeyType type) {
        return base + suite.code() + (type == TestPki.KeyType.RSA_2048 ? 0x100 : 0);
    }

    @ParameterizedTest(name = "{0} with {1} client certificate")
    @MethodSource("suitesAndClientKeys")
    void bouncyCastleServerRequiringClientCertificateAcceptsDtls4jCertificate(CipherSuite suite, TestPki.KeyType key)
            throws Exception {
        TestPki.Identity clientId = client(key);
        Scenario scenario = Scenario.of(suite, seed(0x3_0000L, suite, key)).withClientCertificate(clientId);
        try (Dtls4jClientRun run = new Dtls4jClientRun(scenario, null, null)) {
            HandshakeResult result = run.handshake();
            assertEquals(scenario.server().leaf(), result.peerCertificates().get(0), run.why());
            Certificate seenByBc = run.bc.get().getSecurityParametersConnection().getPeerCertificate();
            assertEquals(clientId.chainWithoutRoot().size(), seenByBc.getLength(), run.why());
            assertArrayEquals(Credentials.encoded(clientId.leaf()), seenByBc.getCertificateAt(0).getEncoded(),
                    "BC received dtls4j's client certificate; " + run.why());
            run.pingPong(3, 600);
            run.closeCleanly();
        }
    }

    @ParameterizedTest(name = "{0} with {1} client certificate")
    @MethodSource("suitesAndClientKeys")
    void dtls4jServerRequiringClientCertificateValidatesBouncyCastleCertificate(CipherSuite suite, TestPki.KeyType key)
            throws Exception {
        TestPki.Identity clientId = client(key);
        Scenario scenario = Scenario.of(suite, seed(0x4_0000L, suite, key)).withClientCertificate(clientId);
        try (BcClientRun run = new BcClientRun(scenario, null, null, 50_201)) {
            HandshakeResult result = run.handshake();
            assertEquals(clientId.leaf(), result.peerCertificates().get(0),
                    "dtls4j validated BC's client certificate; " + run.why());
            run.pingPong(3, 600);
            run.closeCleanly();
        }
    }
}
