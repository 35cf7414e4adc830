package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Provider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.Test;

/** A caller's JCA provider does the ECDHE and signature work of a whole handshake, on both ends. */
class JcaProviderTest {

    /** Hands out Bouncy Castle's services and counts every look-up, so a test sees which provider worked. */
    static final class CountingProvider extends Provider {
        private static final long serialVersionUID = 1L;
        private final transient Provider delegate = new BouncyCastleProvider();
        private final transient Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

        CountingProvider() {
            super("CountingBC", "1", "counts look-ups on Bouncy Castle");
        }

        @Override
        public Service getService(String type, String algorithm) {
            Service s = delegate.getService(type, algorithm);
            if (s != null) {
                lookups.computeIfAbsent(type + "." + algorithm, k -> new AtomicInteger()).incrementAndGet();
            }
            return s;
        }

        int count(String key) {
            AtomicInteger n = lookups.get(key);
            return n == null ? 0 : n.get();
        }
    }

    @Test
    void p256EcdsaHandshakeWithClientAuthRunsKeyExchangeAndSignaturesOnTheGivenProvider() {
        CountingProvider clientSide = new CountingProvider();
        CountingProvider serverSide = new CountingProvider();
        TestPki.Identity server = TestConfigs.ecServer();
        TestPki.Identity client = TestConfigs.ecClient();
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        DtlsConfig c = TestConfigs.certClient(server, suite).namedGroups(NamedGroup.SECP256R1)
                .certificate(client.key(), client.chainWithoutRoot())
                .keyExchangeProvider(clientSide).signatureProvider(clientSide).build();
        DtlsConfig s = TestConfigs.certServer(server, suite).namedGroups(NamedGroup.SECP256R1)
                .clientAuth(ClientAuth.REQUIRED).trustedCertificates(client.root())
                .keyExchangeProvider(serverSide).signatureProvider(serverSide).build();
        Harness h = new Harness(c, s).start();

        assertTrue(h.handshake());

        assertEquals(suite, h.clientEvents.completed.get(0).suite());
        for (CountingProvider p : new CountingProvider[] {clientSide, serverSide}) {
            assertEquals(1, p.count("KeyPairGenerator.EC"), "one ephemeral key per side");
            assertEquals(1, p.count("KeyAgreement.ECDH"));
            assertTrue(p.count("KeyFactory.EC") >= 1, "the peer's share becomes a key of the provider's");
            assertEquals(2, p.count("Signature.SHA256withECDSA"), "one signature made, one checked per side");
        }
    }

    @Test
    void x25519HandshakeRunsOnTheGivenProviderAndSignaturesStayOnTheJdk() {
        CountingProvider clientSide = new CountingProvider();
        CountingProvider serverSide = new CountingProvider();
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        DtlsConfig c = TestConfigs.certClient(TestConfigs.ecServer(), suite).namedGroups(NamedGroup.X25519)
                .keyExchangeProvider(clientSide).build();
        DtlsConfig s = TestConfigs.certServer(TestConfigs.ecServer(), suite).namedGroups(NamedGroup.X25519)
                .keyExchangeProvider(serverSide).build();
        Harness h = new Harness(c, s).start();

        assertTrue(h.handshake());

        for (CountingProvider p : new CountingProvider[] {clientSide, serverSide}) {
            assertEquals(1, p.count("KeyPairGenerator.X25519"));
            assertEquals(1, p.count("KeyAgreement.X25519"));
            assertEquals(0, p.count("Signature.SHA256withECDSA"), "no signature provider was given");
        }
    }

    @Test
    void signingKeyIsConvertedOnceToTheSignatureProvidersOwn() {
        TestPki.Identity server = TestConfigs.ecServer();
        DtlsConfig config = TestConfigs.certServer(server).signatureProvider(new BouncyCastleProvider()).build();
        java.security.PrivateKey key = config.certificateIdentity().privateKey();
        assertTrue(key.getClass().getName().startsWith("org.bouncycastle."), key.getClass().getName());
        assertEquals(((java.security.interfaces.ECPrivateKey) server.key()).getS(),
                ((java.security.interfaces.ECPrivateKey) key).getS());
        assertSame(server.key(), TestConfigs.certServer(server).build().certificateIdentity().privateKey());
    }

    @Test
    void providerByNameMustBeInstalled() {
        assertThrows(IllegalArgumentException.class, () -> DtlsConfig.builder().keyExchangeProvider("NoSuchProvider"));
        assertThrows(IllegalArgumentException.class, () -> DtlsConfig.builder().signatureProvider("NoSuchProvider"));
        Provider sun = java.security.Security.getProvider("SunEC");
        DtlsConfig config = DtlsConfig.builder().pskIdentity(TestConfigs.PSK_IDENTITY, TestConfigs.PSK_KEY)
                .keyExchangeProvider("SunEC").signatureProvider("SunEC").build();
        assertSame(sun, config.keyExchangeProvider());
        assertSame(sun, config.signatureProvider());
    }

    @Test
    void withoutAProviderTheSettingsSayJdkDefault() {
        DtlsConfig config = TestConfigs.pskClient().build();
        assertNull(config.keyExchangeProvider());
        assertNull(config.signatureProvider());
    }
}
