package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.KeyPair;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.CertificateIdentity;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.auth.RawPublicKeyIdentity;
import org.dtls4j.handshake.auth.RawPublicKeyVerifier;
import org.dtls4j.handshake.machine.HandshakePairTest.Side;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 7250 raw public keys through both state machines: negotiation, both roles, refusals, resumption. */
class RawPublicKeyHandshakeTest {
    private static final CipherSuite SUITE = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    private static final KeyPair SERVER_KEY = TestPki.keyPair(TestPki.KeyType.EC_P256);
    private static final KeyPair CLIENT_KEY = TestPki.keyPair(TestPki.KeyType.ED25519);

    private final HandshakePairTest pair = new HandshakePairTest();

    /** {@code base} with a raw key identity and a raw key verifier (either may be null). */
    static HandshakeSettings withRawKeys(HandshakeSettings base, KeyPair own, RawPublicKeyVerifier verifier) {
        RawPublicKeyIdentity id = own == null ? null : new RawPublicKeyIdentity(own.getPrivate(), own.getPublic());
        return (HandshakeSettings) Proxy.newProxyInstance(HandshakeSettings.class.getClassLoader(),
                new Class<?>[] {HandshakeSettings.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "rawPublicKeyIdentity":
                            return id;
                        case "rawPublicKeyVerifier":
                            return verifier;
                        default:
                            try {
                                return method.invoke(base, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }

    private static TestSettings plain(ClientAuth auth, CertificateIdentity certificate,
                                      javax.net.ssl.X509TrustManager trust, SessionCache cache) {
        return new TestSettings(List.of(SUITE), null, null, certificate, trust, false, auth, cache, "localhost");
    }

    private static HandshakeSettings rawServer(KeyPair key, ClientAuth auth, RawPublicKeyVerifier verifier) {
        return withRawKeys(plain(auth, null, null, null), key, verifier);
    }

    private static HandshakeSettings pinningClient(KeyPair own, java.security.PublicKey... pins) {
        return withRawKeys(plain(ClientAuth.NONE, null, null, null), own, RawPublicKeyVerifier.pinned(pins));
    }

    @ParameterizedTest
    @EnumSource(value = TestPki.KeyType.class, names = {"EC_P256", "ED25519"})
    void serverRawKeyPinnedByTheClientCompletesAndIsReported(TestPki.KeyType type) throws DtlsException {
        KeyPair server = TestPki.keyPair(type);
        Side[] s = pair.handshake(pinningClient(null, server.getPublic()), rawServer(server, ClientAuth.NONE, null), null);
        assertTrue(s[0].handshaker.isEstablished() && s[1].handshaker.isEstablished(), type.name());
        HandshakeResult client = s[0].handshaker.result();
        assertTrue(client.peerUsedRawPublicKey());
        assertEquals(server.getPublic(), client.peerRawPublicKey());
        assertEquals(server.getPublic(), client.peerPublicKey());
        assertTrue(client.peerCertificates().isEmpty());
        assertNull(s[1].handshaker.result().peerPublicKey(), "the server asked for no client key");
    }

    @Test
    void clientAuthenticatesWithItsRawKeyToo() throws DtlsException {
        Side[] s = pair.handshake(pinningClient(CLIENT_KEY, SERVER_KEY.getPublic()),
                rawServer(SERVER_KEY, ClientAuth.REQUIRED, RawPublicKeyVerifier.pinned(CLIENT_KEY.getPublic())), null);
        assertTrue(s[0].handshaker.isEstablished() && s[1].handshaker.isEstablished());
        assertEquals(CLIENT_KEY.getPublic(), s[1].handshaker.result().peerRawPublicKey());
        assertEquals(SERVER_KEY.getPublic(), s[0].handshaker.result().peerRawPublicKey());
    }

    @Test
    void aServerKeyThatIsNotPinnedIsCertificateUnknown() {
        KeyPair other = TestPki.keyPair(TestPki.KeyType.EC_P256);
        DtlsException e = assertThrows(DtlsException.class, () -> pair.handshake(
                pinningClient(null, other.getPublic()), rawServer(SERVER_KEY, ClientAuth.NONE, null), null));
        assertEquals(AlertDescription.CERTIFICATE_UNKNOWN, e.alert());
    }

    @Test
    void aClientKeyThatIsNotPinnedIsCertificateUnknown() {
        KeyPair other = TestPki.keyPair(TestPki.KeyType.ED25519);
        DtlsException e = assertThrows(DtlsException.class, () -> pair.handshake(
                pinningClient(CLIENT_KEY, SERVER_KEY.getPublic()),
                rawServer(SERVER_KEY, ClientAuth.REQUIRED, RawPublicKeyVerifier.pinned(other.getPublic())), null));
        assertEquals(AlertDescription.CERTIFICATE_UNKNOWN, e.alert());
    }

    @Test
    void rawOnlyClientAgainstCertificateOnlyServerIsUnsupportedCertificate() {
        TestPki.Identity id = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        HandshakeSettings server = plain(ClientAuth.NONE, new CertificateIdentity(id.key(), id.chainWithoutRoot()), null, null);
        DtlsException e = assertThrows(DtlsException.class, () -> pair.handshake(
                pinningClient(null, SERVER_KEY.getPublic()), server, null));
        assertEquals(AlertDescription.UNSUPPORTED_CERTIFICATE, e.alert());
    }

    @Test
    void serverThatCannotVerifyTheOfferedClientTypeIsUnsupportedCertificate() {
        // The client can only present a raw key; the server requests a certificate but has no verifier for raw keys.
        HandshakeSettings client = withRawKeys(plain(ClientAuth.NONE, null, null, null), CLIENT_KEY,
                RawPublicKeyVerifier.pinned(SERVER_KEY.getPublic()));
        DtlsException e = assertThrows(DtlsException.class, () -> pair.handshake(client,
                withRawKeys(plain(ClientAuth.REQUIRED, null, null, null), SERVER_KEY, null), null));
        // X.509 is always acceptable to the server, but this client listed only RawPublicKey.
        assertEquals(AlertDescription.UNSUPPORTED_CERTIFICATE, e.alert());
    }

    @Test
    void clientOfferingBothTypesGetsX509FromACertificateOnlyServer() throws DtlsException {
        TestPki.Identity id = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        HandshakeSettings server = plain(ClientAuth.NONE, new CertificateIdentity(id.key(), id.chainWithoutRoot()), null, null);
        HandshakeSettings client = withRawKeys(plain(ClientAuth.NONE, null, HandshakePairTest.trustManager(id.root()), null),
                null, RawPublicKeyVerifier.pinned(SERVER_KEY.getPublic()));
        Side[] s = pair.handshake(client, server, null);
        assertTrue(s[0].handshaker.isEstablished());
        assertFalse(s[0].handshaker.result().peerUsedRawPublicKey());
        assertEquals(id.leaf(), s[0].handshaker.result().peerCertificates().get(0));
    }

    @Test
    void serverWithBothCredentialsFollowsTheClientsOrder() throws DtlsException {
        TestPki.Identity id = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        HandshakeSettings server = withRawKeys(
                plain(ClientAuth.NONE, new CertificateIdentity(id.key(), id.chainWithoutRoot()), null, null), SERVER_KEY, null);
        HandshakeSettings client = withRawKeys(plain(ClientAuth.NONE, null, HandshakePairTest.trustManager(id.root()), null),
                null, RawPublicKeyVerifier.pinned(SERVER_KEY.getPublic()));
        Side[] s = pair.handshake(client, server, null);
        assertEquals(SERVER_KEY.getPublic(), s[0].handshaker.result().peerRawPublicKey());
        // A client that does not know RFC 7250 still gets the certificate from the same server.
        Side[] legacy = pair.handshake(plain(ClientAuth.NONE, null, HandshakePairTest.trustManager(id.root()), null),
                server, null);
        assertEquals(id.leaf(), legacy[0].handshaker.result().peerCertificates().get(0));
    }

    @Test
    void resumptionReportsTheRawKeyOfTheOriginalHandshake() throws DtlsException {
        SessionCache cache = new SessionCache(4);
        HandshakeSettings server = withRawKeys(plain(ClientAuth.REQUIRED, null, null, cache), SERVER_KEY,
                RawPublicKeyVerifier.pinned(CLIENT_KEY.getPublic()));
        HandshakeSettings client = pinningClient(CLIENT_KEY, SERVER_KEY.getPublic());
        Session session = pair.handshake(client, server, null)[0].handshaker.result().session();
        Side[] again = pair.handshake(client, server, session);
        assertTrue(again[0].handshaker.result().resumed() && again[1].handshaker.result().resumed());
        assertEquals(SERVER_KEY.getPublic(), again[0].handshaker.result().peerRawPublicKey());
        assertEquals(CLIENT_KEY.getPublic(), again[1].handshaker.result().peerRawPublicKey());
    }
}
