package org.dtls4j;

import java.nio.charset.StandardCharsets;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.handshake.config.RetransmitConfig;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.testkit.TestPki;

/** Ready-made client and server configs over the test PKI; keys are made once per test run. */
final class TestConfigs {
    static final String HOST = "server.dtls4j.test";
    static final byte[] PSK_IDENTITY = "client-1".getBytes(StandardCharsets.UTF_8);
    static final byte[] PSK_KEY = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    static final PskStore PSK_STORE = id -> java.util.Arrays.equals(id, PSK_IDENTITY) ? PSK_KEY.clone() : null;

    private static TestPki.Identity ecServer;
    private static TestPki.Identity rsaServer;
    private static TestPki.Identity ecClient;

    private TestConfigs() {
    }

    static synchronized TestPki.Identity ecServer() {
        if (ecServer == null) {
            ecServer = TestPki.chain(TestPki.KeyType.EC_P256, HOST, 2, 0);
        }
        return ecServer;
    }

    static synchronized TestPki.Identity rsaServer() {
        if (rsaServer == null) {
            rsaServer = TestPki.selfSigned(TestPki.KeyType.RSA_2048, HOST);
        }
        return rsaServer;
    }

    static synchronized TestPki.Identity ecClient() {
        if (ecClient == null) {
            ecClient = TestPki.selfSigned(TestPki.KeyType.EC_P256, "client.dtls4j.test");
        }
        return ecClient;
    }

    /** Retransmission as in RFC 6347 (1 s doubling to 60 s), which the manual clock makes free. */
    static RetransmitConfig timers() {
        return RetransmitConfig.defaults();
    }

    static DtlsConfig.Builder pskClient(CipherSuite... suites) {
        DtlsConfig.Builder b = DtlsConfig.builder().pskIdentity(PSK_IDENTITY, PSK_KEY);
        return suites.length > 0 ? b.cipherSuites(suites) : b;
    }

    static DtlsConfig.Builder pskServer(CipherSuite... suites) {
        DtlsConfig.Builder b = DtlsConfig.builder().pskStore(PSK_STORE);
        return suites.length > 0 ? b.cipherSuites(suites) : b;
    }

    static DtlsConfig.Builder certClient(TestPki.Identity server, CipherSuite... suites) {
        DtlsConfig.Builder b = DtlsConfig.builder().trustedCertificates(server.root()).serverName(HOST);
        return suites.length > 0 ? b.cipherSuites(suites) : b;
    }

    static DtlsConfig.Builder certServer(TestPki.Identity server, CipherSuite... suites) {
        DtlsConfig.Builder b = DtlsConfig.builder().certificate(server.key(), server.chainWithoutRoot());
        return suites.length > 0 ? b.cipherSuites(suites) : b;
    }

    /** A client and server config pair that can negotiate exactly {@code suite}. */
    static DtlsConfig[] pairFor(CipherSuite suite) {
        KeyExchange kx = suite.keyExchange();
        if (kx.usesPsk()) {
            return new DtlsConfig[] {pskClient(suite).build(), pskServer(suite).build()};
        }
        TestPki.Identity id = kx == KeyExchange.ECDHE_RSA ? rsaServer() : ecServer();
        return new DtlsConfig[] {certClient(id, suite).build(), certServer(id, suite).build()};
    }

    static DtlsConfig.Builder withClientAuth(DtlsConfig.Builder server, ClientAuth auth) {
        return server.clientAuth(auth).trustedCertificates(ecClient().root());
    }
}
