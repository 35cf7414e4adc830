package org.dtls4j.interop.statefuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.dtls4j.DtlsConfig;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.interop.real.OpenSslPskServer;
import org.dtls4j.testing.PeerSettings;
import org.dtls4j.testing.ScriptedPeer;
import org.dtls4j.testkit.BcPeers;
import org.dtls4j.testkit.JdkDtlsPeer;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client-authentication rows of the misbehaviour matrix: a scripted ECDHE_ECDSA client with a
 * certificate (leaf and CA from {@link TestPki}) against servers that require one, writing
 * {@code target/misbehaviours/<server>-client-auth.md}. For dtls4j it asserts the RFC 5246 answers; for
 * the other stacks that the baseline completes and every scenario was classified.
 */
class ClientAuthMatrixTest {
    private static final CipherSuite SUITE = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    private static final TestPki.Identity SERVER = TestPki.selfSigned(TestPki.KeyType.EC_P256, "localhost");
    private static final TestPki.Identity CLIENT = TestPki.chain(TestPki.KeyType.EC_P256, "client.dtls4j.test", 2, 0);
    private static final PrivateKey OTHER_KEY = TestPki.keyPair(TestPki.KeyType.EC_P256).getPrivate();

    private static PeerSettings settings(long firstMillis, long settleMillis) {
        return PeerSettings.ecdheEcdsa().withTimeouts(Duration.ofMillis(firstMillis), Duration.ofMillis(settleMillis));
    }

    private static Map<ClientAuthMisbehaviour, Outcome> runAll(Target target) throws Exception {
        Map<ClientAuthMisbehaviour, Outcome> results = new EnumMap<>(ClientAuthMisbehaviour.class);
        try (target) {
            for (ClientAuthMisbehaviour m : ClientAuthMisbehaviour.values()) {
                try (ScriptedPeer peer = target.connect()) {
                    results.put(m, m.play(new Misbehaviour.Run(peer, target), CLIENT, OTHER_KEY));
                }
            }
        }
        MisbehaviourMatrixTest.write(target.name(), "-client-auth", results, m -> m.description);
        assertEquals(ClientAuthMisbehaviour.values().length, results.size());
        Outcome baseline = results.get(ClientAuthMisbehaviour.BASELINE);
        assertTrue(baseline.completed() && baseline.markerAccepted(),
                "the scripted client authenticates with its certificate: " + baseline);
        results.values().forEach(o -> assertFalse(o.summary().isEmpty()));
        return results;
    }

    @Test
    void dtls4jServerRequiringClientCertificatesAnswersEachMisbehaviourAsRfc5246Says() throws Exception {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(SUITE).certificate(SERVER.key(), SERVER.chain())
                .clientAuth(ClientAuth.REQUIRED).trustedCertificates(CLIENT.root()).build();
        Map<ClientAuthMisbehaviour, Outcome> results = runAll(new Targets.Dtls4j(config, settings(400, 60)));
        results.forEach((m, o) -> assertTrue(m.rfcAllows.test(o), m + ": " + o));
    }

    @Test
    void bouncyCastleServerRequiringClientCertificatesOutcomesAreRecorded() throws Exception {
        BcPeers.Setup setup = BcPeers.Setup.certificates(SUITE.code(), SERVER, CLIENT.root(), BcPeers.ClientAuth.REQUIRED);
        runAll(new Targets.BouncyCastle(setup, settings(600, 60)));
    }

    @Test
    void jdkSslEngineNeedingClientAuthOutcomesAreRecorded() throws Exception {
        runAll(new Targets.Jdk(JdkDtlsPeer.context(SERVER, CLIENT.root()), true));
    }

    @Test
    void openSslServerWithVerifyOutcomesAreRecorded(@TempDir Path pemDir) throws Exception {
        runAll(new Targets.OpenSsl(() -> OpenSslPskServer.startWithClientAuth("ECDHE-ECDSA-AES128-GCM-SHA256", pemDir,
                SERVER, CLIENT.root()), settings(400, 80)));
    }
}
