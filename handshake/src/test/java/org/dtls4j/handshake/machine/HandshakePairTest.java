package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.cookie.CookieResult;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.CertificateIdentity;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.record.ContentType;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.record.RecordLayerConfig;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/**
 * The two state machines against each other through real record layers and the real cookie verifier,
 * with no engine in between: proves the machines' wire behaviour on their own.
 */
class HandshakePairTest {
    private static final InetSocketAddress CLIENT_ADDRESS = new InetSocketAddress("192.0.2.1", 40000);

    /** One side: its record layer, its handshaker, and the datagrams it has sent. */
    static final class Side extends TestConductor {
    }

    private final CookieVerifier verifier = CookieVerifier.create();
    /** Rewrites each client-to-server datagram; the identity by default. */
    private java.util.function.UnaryOperator<byte[]> clientToServer = d -> d;

    /** Runs client and server until both are established; the server starts behind the cookie verifier. */
    Side[] handshake(HandshakeSettings clientSettings, HandshakeSettings serverSettings, Session resume)
            throws DtlsException {
        Side client = new Side();
        Side server = new Side();
        client.handshaker = new ClientHandshaker(clientSettings, client.records::maxRecordOverhead, resume);
        client.start(0);
        for (int round = 0; round < 50 && !(client.handshaker.isEstablished() && server.handshaker != null
                && server.handshaker.isEstablished() && client.sent.isEmpty() && server.sent.isEmpty()); round++) {
            while (!client.sent.isEmpty()) {
                byte[] d = client.sent.poll();
                d = clientToServer.apply(d);
                if (server.handshaker == null) {
                    CookieResult r = verifier.verify(d, 0, d.length, CLIENT_ADDRESS, 0);
                    if (r instanceof CookieResult.SendHelloVerifyRequest hvr) {
                        client.receive(hvr.toByteArray(), 0);
                    } else if (r instanceof CookieResult.Verified v) {
                        server.records.continueEpoch0WriteSequenceAfterHello(v.recordSequenceNumber());
                        server.handshaker = new ServerHandshaker(serverSettings, server.records::maxRecordOverhead, v);
                        server.start(0);
                    }
                } else {
                    server.receive(d, 0);
                }
            }
            while (!server.sent.isEmpty()) {
                client.receive(server.sent.poll(), 0);
            }
        }
        return new Side[] {client, server};
    }

    @Test
    void pskHandshakeCompletesBehindTheCookieExchange() throws DtlsException {
        byte[] id = "client-1".getBytes();
        byte[] key = new byte[16];
        Arrays.fill(key, (byte) 7);
        Side[] s = handshake(TestSettings.psk(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, id, key, true),
                TestSettings.psk(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, id, key, false), null);
        assertTrue(s[0].handshaker.isEstablished());
        assertTrue(s[1].handshaker.isEstablished());
        assertEquals(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, s[0].handshaker.result().suite());
        assertTrue(s[1].handshaker.result().extendedMasterSecret());
        assertEquals(1, s[0].records.writeEpoch());
        assertEquals(1, s[1].records.readEpoch());
    }

    @Test
    void everyPskAndEcdhePskSuiteCompletes() throws DtlsException {
        byte[] id = "client-1".getBytes();
        byte[] key = new byte[32];
        for (CipherSuite suite : CipherSuite.negotiable()) {
            if (!suite.keyExchange().usesPsk()) {
                continue;
            }
            Side[] s = handshake(TestSettings.psk(suite, id, key, true), TestSettings.psk(suite, id, key, false), null);
            assertTrue(s[0].handshaker.isEstablished() && s[1].handshaker.isEstablished(), suite.name());
            assertEquals(suite, s[1].handshaker.result().suite());
        }
    }

    @Test
    void wrongPskLeavesTheServerUnestablishedAndCountsTheForgedFinished() throws DtlsException {
        byte[] id = "client-1".getBytes();
        Side[] s = handshake(
                TestSettings.psk(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, id, new byte[16], true),
                TestSettings.psk(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, id, new byte[] {1, 2, 3, 4}, false),
                null);
        // Keys differ, so the client's epoch-1 Finished fails authentication and the record layer drops it
        // (RFC 6347 4.1.2.7); the engine turns that into a fatal bad_record_mac during a handshake.
        assertFalse(s[1].handshaker.isEstablished());
        assertFalse(s[0].handshaker.isEstablished());
        assertTrue(s[1].records.authenticationFailures() > 0);
    }

    private static TestSettings certificates(CipherSuite suite, TestPki.Identity id, java.security.cert.X509Certificate trust,
                                             ClientAuth auth) {
        return new TestSettings(List.of(suite), null, null,
                id == null ? null : new CertificateIdentity(id.key(), id.chainWithoutRoot()),
                trust == null ? null : trustManager(trust), false, auth, null, "localhost");
    }

    static javax.net.ssl.X509TrustManager trustManager(java.security.cert.X509Certificate root) {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("root", root);
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            return (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0];
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyCertificateSuiteCompletesWithValidatedChains() throws DtlsException {
        TestPki.Identity ec = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        TestPki.Identity rsa = TestPki.chain(TestPki.KeyType.RSA_2048, "localhost", 2, 0);
        for (CipherSuite suite : CipherSuite.negotiable()) {
            if (!suite.keyExchange().usesCertificate()) {
                continue;
            }
            TestPki.Identity id = suite.keyExchange() == org.dtls4j.crypto.KeyExchange.ECDHE_RSA ? rsa : ec;
            Side[] s = handshake(certificates(suite, null, id.root(), ClientAuth.NONE),
                    certificates(suite, id, null, ClientAuth.NONE), null);
            assertTrue(s[0].handshaker.isEstablished() && s[1].handshaker.isEstablished(), suite.name());
            assertEquals(id.leaf(), s[0].handshaker.result().peerCertificates().get(0));
        }
    }

    @Test
    void requiredClientCertificateIsValidatedAndReported() throws DtlsException {
        TestPki.Identity server = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        TestPki.Identity client = TestPki.chain(TestPki.KeyType.EC_P256, "client", 2, 0);
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        Side[] s = handshake(certificates(suite, client, server.root(), ClientAuth.NONE),
                certificates(suite, server, client.root(), ClientAuth.REQUIRED), null);
        assertTrue(s[1].handshaker.isEstablished());
        assertEquals(client.leaf(), s[1].handshaker.result().peerCertificates().get(0));
    }

    @Test
    void requiredClientCertificateMissingFailsWithHandshakeFailure() {
        TestPki.Identity server = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        DtlsException e = assertThrows(DtlsException.class, () -> handshake(
                certificates(suite, null, server.root(), ClientAuth.NONE),
                certificates(suite, server, server.root(), ClientAuth.REQUIRED), null));
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, e.alert());
    }

    /** Drops epoch-0 handshake records that carry a message of {@code msgType} (one fragment per record). */
    private static byte[] withoutEpoch0Message(byte[] datagram, int msgType) {
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        int pos = 0;
        while (pos + 13 <= datagram.length) {
            int len = (datagram[pos + 11] & 0xff) << 8 | (datagram[pos + 12] & 0xff);
            int epoch = (datagram[pos + 3] & 0xff) << 8 | (datagram[pos + 4] & 0xff);
            boolean drop = datagram[pos] == ContentType.HANDSHAKE && epoch == 0 && (datagram[pos + 13] & 0xff) == msgType;
            if (!drop) {
                kept.write(datagram, pos, 13 + len);
            }
            pos += 13 + len;
        }
        return kept.toByteArray();
    }

    /**
     * Without its CertificateVerify, the client's ChangeCipherSpec looks like one that overtook a lost
     * message, so it is dropped (as OpenSSL does) and the server never reaches its Finished: it can only
     * end by the retransmission limit, as handshake_failure (the engine test covers the timeout).
     */
    @Test
    void requiredClientCertificateWithoutCertificateVerifyNeverEstablishes() throws DtlsException {
        TestPki.Identity server = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        TestPki.Identity client = TestPki.chain(TestPki.KeyType.EC_P256, "client", 2, 0);
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        clientToServer = d -> withoutEpoch0Message(d, org.dtls4j.handshake.message.HandshakeType.CERTIFICATE_VERIFY);
        Side[] s = handshake(certificates(suite, client, server.root(), ClientAuth.NONE),
                certificates(suite, server, client.root(), ClientAuth.REQUIRED), null);
        // Even after the client's flight is retransmitted (a timeout), still no CertificateVerify arrives.
        s[0].timeout(Long.MAX_VALUE / 2);
        while (!s[0].sent.isEmpty()) {
            s[1].receive(withoutEpoch0Message(s[0].sent.poll(), org.dtls4j.handshake.message.HandshakeType.CERTIFICATE_VERIFY), 0);
        }
        assertFalse(s[1].handshaker.isEstablished());
        assertEquals(0, s[1].records.readEpoch(), "keys must not change without CertificateVerify");
    }

    @Test
    void dtls10ClientHelloIsRefusedWithProtocolVersion() {
        byte[] id = "client-1".getBytes();
        clientToServer = d -> {
            byte[] c = d.clone();
            if (c[0] == ContentType.HANDSHAKE && c[13] == org.dtls4j.handshake.message.HandshakeType.CLIENT_HELLO) {
                c[26] = (byte) 0xff; // client_version {254,253} -> {254,255}: DTLS 1.0
            }
            return c;
        };
        DtlsException e = assertThrows(DtlsException.class, () -> handshake(
                TestSettings.psk(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, id, new byte[16], true),
                TestSettings.psk(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, id, new byte[16], false), null));
        assertEquals(AlertDescription.PROTOCOL_VERSION, e.alert());
    }

    @Test
    void trustedServerWithAWeakRsaKeyIsRefusedWithInsufficientSecurity() {
        TestPki.Identity weak = TestPki.chain(TestPki.KeyType.RSA_1024, "localhost", 2, 0);
        CipherSuite suite = CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
        DtlsException e = assertThrows(DtlsException.class, () -> handshake(
                certificates(suite, null, weak.root(), ClientAuth.NONE),
                certificates(suite, weak, null, ClientAuth.NONE), null));
        assertEquals(AlertDescription.INSUFFICIENT_SECURITY, e.alert());
    }

    @Test
    void serverCertificateForAnotherHostIsRefused() {
        TestPki.Identity server = TestPki.chain(TestPki.KeyType.EC_P256, "example.org", 2, 0);
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        DtlsException e = assertThrows(DtlsException.class, () -> handshake(
                certificates(suite, null, server.root(), ClientAuth.NONE),
                certificates(suite, server, null, ClientAuth.NONE), null));
        assertEquals(AlertDescription.CERTIFICATE_UNKNOWN, e.alert());
    }

    @Test
    void untrustedServerCertificateIsRefused() {
        TestPki.Identity server = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        TestPki.Identity other = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        DtlsException e = assertThrows(DtlsException.class, () -> handshake(
                certificates(suite, null, other.root(), ClientAuth.NONE),
                certificates(suite, server, null, ClientAuth.NONE), null));
        assertEquals(AlertDescription.CERTIFICATE_UNKNOWN, e.alert());
    }

    @Test
    void unknownPskIdentityIsRefusedWithUnknownPskIdentity() {
        DtlsException e = assertThrows(DtlsException.class, () -> handshake(
                TestSettings.psk(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, "who".getBytes(), new byte[16], true),
                TestSettings.psk(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, "me".getBytes(), new byte[16], false),
                null));
        assertEquals(AlertDescription.UNKNOWN_PSK_IDENTITY, e.alert());
    }

    @Test
    void secondHandshakeResumesTheCachedSession() throws DtlsException {
        byte[] id = "client-1".getBytes();
        byte[] key = new byte[16];
        SessionCache cache = new SessionCache(8);
        TestSettings server = TestSettings.psk(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, id, key, false)
                .withSessionCache(cache);
        TestSettings client = TestSettings.psk(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, id, key, true);
        Side[] first = handshake(client, server, null);
        Session session = first[0].handshaker.result().session();
        assertTrue(session.isResumable());
        assertFalse(first[0].handshaker.result().resumed());
        Side[] second = handshake(client, server, session);
        assertTrue(second[0].handshaker.result().resumed());
        assertTrue(second[1].handshaker.result().resumed());
        assertTrue(second[0].handshaker.isEstablished() && second[1].handshaker.isEstablished());
    }
}
