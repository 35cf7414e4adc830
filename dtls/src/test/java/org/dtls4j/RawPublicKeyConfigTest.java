package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

/** Raw public keys (RFC 7250) in {@link DtlsConfig}: default suites, role checks, and the engine end to end. */
class RawPublicKeyConfigTest {
    private static final KeyPair SERVER = TestPki.keyPair(TestPki.KeyType.ED25519);
    private static final KeyPair CLIENT = TestPki.keyPair(TestPki.KeyType.EC_P256);

    private static DtlsConfig.Builder rawServer() {
        return DtlsConfig.builder().rawPublicKey(SERVER.getPrivate(), SERVER.getPublic());
    }

    @Test
    void aServerWithOnlyARawKeyServesTheSuitesItsKeyFits() {
        DtlsConfig c = rawServer().build();
        assertFalse(c.cipherSuites().isEmpty());
        assertTrue(c.cipherSuites().stream().allMatch(s -> s.keyExchange() == KeyExchange.ECDHE_ECDSA), c.toString());
        c.checkServerRole();
        DtlsConfig rsaOnly = rawServer().cipherSuites(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).build();
        assertThrows(IllegalStateException.class, rsaOnly::checkServerRole);
    }

    @Test
    void aClientThatOnlyPinsKeysOffersTheCertificateSuites() {
        DtlsConfig c = DtlsConfig.builder().pskIdentity(TestConfigs.PSK_IDENTITY, TestConfigs.PSK_KEY)
                .trustedRawPublicKeys(SERVER.getPublic()).build();
        assertTrue(c.cipherSuites().stream().anyMatch(s -> s.keyExchange().usesCertificate()),
                "pinned raw keys count as trust, as a trust manager does");
        c.checkClientRole();
    }

    @Test
    void toStringNamesTheRawKeyButNeverItsBytes() {
        String s = rawServer().trustedRawPublicKeys(CLIENT.getPublic()).build().toString();
        assertTrue(s.contains("rawPublicKey=RawPublicKeyIdentity[" + SERVER.getPublic().getAlgorithm() + "]"), s);
        assertFalse(s.contains(Hex.encode(SERVER.getPrivate().getEncoded())), s);
        assertThrows(IllegalArgumentException.class,
                () -> DtlsConfig.builder().rawPublicKey(SERVER.getPrivate(), CLIENT.getPublic()));
    }

    @Test
    void mutualRawKeysThroughTheEngine() {
        DtlsConfig client = DtlsConfig.builder().trustedRawPublicKeys(SERVER.getPublic())
                .rawPublicKey(CLIENT.getPrivate(), CLIENT.getPublic()).build();
        DtlsConfig server = rawServer().clientAuth(ClientAuth.REQUIRED).trustedRawPublicKeys(CLIENT.getPublic()).build();
        Harness h = new Harness(client, server).start();
        assertTrue(h.handshake());
        HandshakeResult seenByClient = h.clientEvents.completed.get(0);
        HandshakeResult seenByServer = h.serverEvents.completed.get(0);
        assertEquals(SERVER.getPublic(), seenByClient.peerRawPublicKey());
        assertEquals(CLIENT.getPublic(), seenByServer.peerRawPublicKey());
        assertTrue(seenByServer.toString().contains("peer raw EC key"), seenByServer.toString());
    }

    @Test
    void anUnpinnedServerKeyEndsTheEngineHandshakeWithCertificateUnknown() {
        KeyPair other = TestPki.keyPair(TestPki.KeyType.ED25519);
        Harness h = new Harness(DtlsConfig.builder().trustedRawPublicKeys(other.getPublic()).build(),
                rawServer().build()).start();
        assertFalse(h.handshake());
        assertEquals(AlertDescription.CERTIFICATE_UNKNOWN, h.clientEvents.closedCause.alert());
        assertTrue(h.serverEvents.closedCause.receivedFromPeer(), "the server heard the client's alert");
    }
}
