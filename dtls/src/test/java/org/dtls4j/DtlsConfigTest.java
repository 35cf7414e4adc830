package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.handshake.config.ReassemblyLimits;
import org.dtls4j.handshake.config.RetransmitConfig;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

class DtlsConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        DtlsConfig c = DtlsConfig.builder().build();
        assertEquals(List.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1), c.namedGroups());
        assertEquals(SignatureScheme.supported(), c.signatureSchemes());
        assertTrue(c.requireExtendedMasterSecret());
        assertTrue(c.requireCookieExchange());
        assertEquals(1400, c.maxDatagramSize());
        assertEquals(RetransmitConfig.defaults(), c.retransmitConfig());
        assertEquals(ReassemblyLimits.defaults(), c.reassemblyLimits());
        assertEquals(0, c.recordSizeLimit(), "nothing to advertise at the 2^14 maximum");
        assertEquals(64, c.recordLayerConfig().replayWindowSize());
        assertTrue(c.secureRandom() != null);
    }

    @Test
    void withoutCredentialsTheDefaultSuitesAreTheCertificateSuites() {
        DtlsConfig c = DtlsConfig.builder().build();
        assertFalse(c.cipherSuites().isEmpty());
        assertTrue(c.cipherSuites().stream().allMatch(s -> s.keyExchange().usesCertificate()));
    }

    @Test
    void withOnlyAPskTheDefaultSuitesAreThePskSuitesInPreferenceOrder() {
        DtlsConfig c = TestConfigs.pskClient().build();
        List<CipherSuite> expected = new ArrayList<>(CipherSuite.defaultPreference());
        expected.removeIf(s -> !s.keyExchange().usesPsk());
        assertEquals(expected, c.cipherSuites());
    }

    @Test
    void withAnEcKeyTheDefaultSuitesAreTheEcdsaSuites() {
        TestPki.Identity id = TestConfigs.ecServer();
        DtlsConfig c = TestConfigs.certServer(id).build();
        assertTrue(c.cipherSuites().stream().allMatch(s -> s.keyExchange() == KeyExchange.ECDHE_ECDSA));
        assertEquals(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, c.cipherSuites().get(0));
    }

    @Test
    void pskSuiteWithoutPskCredentialsIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> DtlsConfig.builder().cipherSuites(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).build());
    }

    @Test
    void unknownOrSignallingSuiteIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DtlsConfig.builder().cipherSuites(CipherSuite.of(0x1234)).build());
        assertThrows(IllegalArgumentException.class,
                () -> DtlsConfig.builder().cipherSuites(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV).build());
        assertThrows(IllegalArgumentException.class, () -> DtlsConfig.builder().cipherSuites(List.of()).build());
    }

    @Test
    void certificateChainLengthIsBoundedByWhatATicketCarries() {
        assertEquals(10, DtlsConfig.builder().build().maxCertificateChainLength(), "the default is the most");
        assertEquals(DtlsConfig.MAX_CERTIFICATE_CHAIN_LENGTH, DtlsConfig.builder().build().maxCertificateChainLength());
        assertEquals(1, DtlsConfig.builder().maxCertificateChainLength(1).build().maxCertificateChainLength());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> DtlsConfig.builder().maxCertificateChainLength(11).build());
        assertTrue(tooLong.getMessage().contains("1..10"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DtlsConfig.builder().maxCertificateChainLength(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> DtlsConfig.builder().maxCertificateChainLength(Integer.MAX_VALUE).build());
    }

    @Test
    void datagramSizeOutsideItsRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DtlsConfig.builder().maxDatagramSize(547).build());
        assertThrows(IllegalArgumentException.class, () -> DtlsConfig.builder().maxDatagramSize(65_508).build());
        assertEquals(548, DtlsConfig.builder().maxDatagramSize(548).build().maxDatagramSize());
    }

    @Test
    void recordLayerSettingsReachTheRecordLayerConfig() {
        DtlsConfig c = DtlsConfig.builder().replayWindow(128).badMacLimit(5).maxPlaintext(1024).heldRecords(4, 4096).build();
        assertEquals(128, c.recordLayerConfig().replayWindowSize());
        assertEquals(5, c.recordLayerConfig().badMacLimit());
        assertEquals(1024, c.recordSizeLimit(), "a smaller plaintext limit is advertised (RFC 8449)");
        assertEquals(4, c.recordLayerConfig().maxHeldRecords());
        assertThrows(IllegalArgumentException.class, () -> DtlsConfig.builder().replayWindow(0).build());
    }

    @Test
    void toStringNamesIdentitiesButNeverKeys() {
        TestPki.Identity id = TestConfigs.ecServer();
        DtlsConfig c = TestConfigs.pskClient().certificate(id.key(), id.chainWithoutRoot()).build();
        String s = c.toString();
        assertTrue(s.contains("client-1"), s);
        assertFalse(s.toLowerCase().contains(Hex.encode(TestConfigs.PSK_KEY)), s);
        assertFalse(s.contains(Hex.encode(id.key().getEncoded())), s);
    }

    @Test
    void serverRoleNeedsAKeyForCertificateSuitesAndAStoreForPskSuites() {
        DtlsConfig noKey = DtlsConfig.builder().build();
        assertThrows(IllegalStateException.class, noKey::checkServerRole);
        DtlsConfig clientPsk = TestConfigs.pskClient().build();
        assertThrows(IllegalStateException.class, clientPsk::checkServerRole);
        DtlsConfig serverPsk = TestConfigs.pskServer().build();
        assertThrows(IllegalStateException.class, serverPsk::checkClientRole);
    }

    @Test
    void serverWithoutCookieIsRefusedUnlessTheConfigOptsOut() {
        DtlsConfig strict = TestConfigs.pskServer().build();
        assertThrows(IllegalStateException.class,
                () -> DtlsConnection.serverWithoutCookie(strict, null, (b, o, l) -> { }, new Recorder()));
    }

    @Test
    void serverWithoutCookieHandshakesWhenTheConfigAllowsIt() {
        DtlsConfig server = TestConfigs.pskServer().requireCookieExchange(false).build();
        Recorder clientEvents = new Recorder();
        Recorder serverEvents = new Recorder();
        java.util.ArrayDeque<byte[]> toServer = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<byte[]> toClient = new java.util.ArrayDeque<>();
        DtlsConnection s = DtlsConnection.serverWithoutCookie(server, null,
                (b, o, l) -> toClient.add(java.util.Arrays.copyOfRange(b, o, o + l)), serverEvents);
        DtlsConnection c = DtlsConnection.client(TestConfigs.pskClient().build(), null,
                (b, o, l) -> toServer.add(java.util.Arrays.copyOfRange(b, o, o + l)), clientEvents);
        s.start(0);
        c.start(0);
        for (int i = 0; i < 50 && (!toServer.isEmpty() || !toClient.isEmpty()); i++) {
            byte[] d = toServer.poll();
            if (d != null) {
                s.receive(d, 0, d.length, 0);
            }
            d = toClient.poll();
            if (d != null) {
                c.receive(d, 0, d.length, 0);
            }
        }
        assertTrue(c.isEstablished());
        assertTrue(s.isEstablished());
    }

    @Test
    void trustedCertificatesRejectAServerFromAnotherRoot() {
        TestPki.Identity real = TestConfigs.ecServer();
        TestPki.Identity other = TestPki.selfSigned(TestPki.KeyType.EC_P256, TestConfigs.HOST);
        Harness h = new Harness(TestConfigs.certClient(other).build(), TestConfigs.certServer(real).build()).start();
        assertFalse(h.handshake());
        assertEquals(AlertDescription.CERTIFICATE_UNKNOWN, h.clientEvents.closedCause.alert());
        assertTrue(h.serverEvents.closedCause.receivedFromPeer());
    }

    @Test
    void serverNameThatTheCertificateDoesNotNameFailsTheHandshake() {
        TestPki.Identity id = TestConfigs.ecServer();
        Harness h = new Harness(TestConfigs.certClient(id).serverName("other.example").build(),
                TestConfigs.certServer(id).build()).start();
        assertFalse(h.handshake());
        assertEquals(AlertDescription.CERTIFICATE_UNKNOWN, h.clientEvents.closedCause.alert());
    }

    @Test
    void clientCertificatesWithoutConfiguredTrustFailAtBuildInsteadOfUsingTheDefaultTrustStore() {
        TestPki.Identity id = TestConfigs.ecServer();
        for (ClientAuth auth : List.of(ClientAuth.REQUIRED, ClientAuth.OPTIONAL)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TestConfigs.certServer(id).clientAuth(auth).build());
            assertTrue(e.getMessage().contains("clientAuth(" + auth + ") needs trustedCertificates(...), trustManager(...)"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("never checked against the JDK's default trust store"), e.getMessage());
            // A client's switch to skip validation is no trust for a server.
            assertThrows(IllegalArgumentException.class,
                    () -> TestConfigs.certServer(id).clientAuth(auth).insecureSkipCertificateValidation(true).build());
            assertEquals(auth, TestConfigs.withClientAuth(TestConfigs.certServer(id), auth).build().clientAuth());
        }
        assertEquals(ClientAuth.NONE, TestConfigs.certServer(id).build().clientAuth(), "no client certificates: no trust needed");
    }
}
