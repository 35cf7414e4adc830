package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.concurrent.atomic.AtomicReference;
import org.dtls4j.DtlsConfig;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Raw public keys (RFC 7250) against Bouncy Castle across the lossy network: an ECDSA P-256 or Ed25519
 * server key in both directions (each side pins the other's SubjectPublicKeyInfo), and mutual raw-key
 * authentication both ways. Seeds are {@code 0x5_0000} plus a per-test offset.
 */
class BcRawPublicKeyInteropTest {
    private static final CipherSuite SUITE = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    private static final KeyPair CLIENT_KEY = TestPki.keyPair(TestPki.KeyType.ED25519);

    private static Scenario scenario(long offset) {
        return Scenario.of(SUITE, 0x5_0000L + offset);
    }

    private static DtlsConfig.Builder dtls4j() {
        return DtlsConfig.builder().cipherSuites(SUITE).retransmit(Scenario.TIMERS)
                .maxDatagramSize(Scenario.DEFAULT_DATAGRAM_SIZE);
    }

    @ParameterizedTest(name = "{0} server key")
    @EnumSource(value = TestPki.KeyType.class, names = {"EC_P256", "ED25519"})
    void dtls4jClientPinsTheRawKeyOfABouncyCastleServer(TestPki.KeyType type) throws Exception {
        KeyPair server = TestPki.keyPair(type);
        DtlsConfig config = dtls4j().trustedRawPublicKeys(server.getPublic()).build();
        try (Dtls4jClientRun run = Dtls4jClientRun.against(scenario(type.ordinal()), config,
                hook -> BcRawKeyPeers.server(SUITE.code(), server, null, null, hook))) {
            HandshakeResult result = run.handshake();
            assertTrue(result.peerUsedRawPublicKey(), run.why());
            assertEquals(server.getPublic(), result.peerRawPublicKey(), run.why());
            run.pingPong(3, 600);
            run.closeCleanly();
        }
    }

    @ParameterizedTest(name = "{0} server key")
    @EnumSource(value = TestPki.KeyType.class, names = {"EC_P256", "ED25519"})
    void bouncyCastleClientPinsTheRawKeyOfADtls4jServer(TestPki.KeyType type) throws Exception {
        KeyPair server = TestPki.keyPair(type);
        DtlsConfig config = dtls4j().rawPublicKey(server.getPrivate(), server.getPublic()).build();
        AtomicReference<byte[]> seenByBc = new AtomicReference<>();
        try (BcClientRun run = BcClientRun.against(scenario(0x10 + type.ordinal()), config,
                hook -> BcRawKeyPeers.client(SUITE.code(), server.getPublic(), seenByBc, null, hook), 50_501)) {
            HandshakeResult result = run.handshake();
            assertArrayEquals(server.getPublic().getEncoded(), seenByBc.get(), "BC received our SPKI; " + run.why());
            assertEquals(null, result.peerPublicKey(), "no client key was asked for; " + run.why());
            run.pingPong(3, 600);
            run.closeCleanly();
        }
    }

    @Test
    void dtls4jClientAuthenticatesWithItsRawKeyToABouncyCastleServer() throws Exception {
        KeyPair server = TestPki.keyPair(TestPki.KeyType.EC_P256);
        DtlsConfig config = dtls4j().trustedRawPublicKeys(server.getPublic())
                .rawPublicKey(CLIENT_KEY.getPrivate(), CLIENT_KEY.getPublic()).build();
        AtomicReference<byte[]> seenByBc = new AtomicReference<>();
        try (Dtls4jClientRun run = Dtls4jClientRun.against(scenario(0x20), config,
                hook -> BcRawKeyPeers.server(SUITE.code(), server, CLIENT_KEY.getPublic(), seenByBc, hook))) {
            HandshakeResult result = run.handshake();
            assertEquals(server.getPublic(), result.peerRawPublicKey(), run.why());
            assertArrayEquals(CLIENT_KEY.getPublic().getEncoded(), seenByBc.get(), "BC received our SPKI; " + run.why());
            run.pingPong(3, 600);
            run.closeCleanly();
        }
    }

    @Test
    void dtls4jServerRequiresAndPinsTheRawKeyOfABouncyCastleClient() throws Exception {
        KeyPair server = TestPki.keyPair(TestPki.KeyType.ED25519);
        DtlsConfig config = dtls4j().rawPublicKey(server.getPrivate(), server.getPublic())
                .clientAuth(ClientAuth.REQUIRED).trustedRawPublicKeys(CLIENT_KEY.getPublic()).build();
        AtomicReference<byte[]> seenByBc = new AtomicReference<>();
        try (BcClientRun run = BcClientRun.against(scenario(0x30), config,
                hook -> BcRawKeyPeers.client(SUITE.code(), server.getPublic(), seenByBc, CLIENT_KEY, hook), 50_502)) {
            HandshakeResult result = run.handshake();
            assertTrue(result.peerUsedRawPublicKey(), run.why());
            assertEquals(CLIENT_KEY.getPublic(), result.peerRawPublicKey(), run.why());
            assertArrayEquals(server.getPublic().getEncoded(), seenByBc.get(), run.why());
            run.pingPong(3, 600);
            run.closeCleanly();
        }
    }
}
