package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.CertificateIdentity;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.AlertDescription;
import org.junit.jupiter.api.Test;

/** A server checks client certificates against its configured trust only, never the JDK's default store. */
class ClientCertificateTrustTest {
    private static final CipherSuite SUITE = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;

    @Test
    void serverWithoutTrustRefusesAClientCertificateInsteadOfUsingTheDefaultTrustStore() {
        TestPki.Identity server = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        TestPki.Identity client = TestPki.chain(TestPki.KeyType.EC_P256, "client", 2, 0);
        TestSettings clientSettings = new TestSettings(List.of(SUITE), null, null,
                new CertificateIdentity(client.key(), client.chainWithoutRoot()),
                HandshakePairTest.trustManager(server.root()), false, ClientAuth.NONE, null, "localhost");
        TestSettings serverSettings = new TestSettings(List.of(SUITE), null, null,
                new CertificateIdentity(server.key(), server.chainWithoutRoot()), null, false, ClientAuth.REQUIRED,
                null, null);
        ResumptionRulesTest.Pair p = new ResumptionRulesTest.Pair(clientSettings, serverSettings, null).run();
        assertFalse(p.established());
        assertNotNull(p.server.failure);
        // With the old fallback this was certificate_unknown from the JDK's cacerts; now it is our own refusal.
        assertEquals(AlertDescription.INTERNAL_ERROR, p.server.failure.alert());
        assertTrue(p.server.failure.getMessage().contains("no trust is configured"), p.server.failure.getMessage());
    }
}
