package org.dtls4j.interop.real;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.dtls4j.DtlsConfig;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jClient;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jServer;
import org.dtls4j.interop.real.LoopbackDriver.JdkPeer;
import org.dtls4j.testkit.JdkDtlsPeer;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dtls4j against the JDK's DTLS 1.2 {@link SSLEngine} over real loopback UDP sockets, both directions,
 * for every suite both implement: handshake (the JDK server's HelloVerifyRequest, or ours), application
 * data both ways, close_notify.
 */
class JdkSocketInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String HOST = "localhost";

    private static TestPki.Identity ecServer;
    private static TestPki.Identity rsaServer;
    private static TestPki.Identity ecClient;

    @BeforeAll
    static void makeIdentities() {
        ecServer = TestPki.chain(TestPki.KeyType.EC_P256, HOST, 2, 0);
        rsaServer = TestPki.selfSigned(TestPki.KeyType.RSA_2048, HOST);
        ecClient = TestPki.selfSigned(TestPki.KeyType.EC_P256, "client.dtls4j.test");
    }

    /** The suites the JDK's DTLS engine enables by default that dtls4j can negotiate. */
    static Stream<String> sharedSuites() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("DTLSv1.2");
        ctx.init(null, null, null);
        return Arrays.stream(ctx.createSSLEngine().getEnabledCipherSuites())
                .filter(n -> CipherSuite.byName(n).map(CipherSuite::isNegotiable).orElse(false));
    }

    @Test
    void jdkOffersTheEcdheAeadSuitesThisTestCovers() throws GeneralSecurityException {
        List<String> shared = sharedSuites().toList();
        for (String expected : List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")) {
            assertTrue(shared.contains(expected), expected + " missing from " + shared);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedSuites")
    void dtls4jClientTalksToJdkServer(String suiteName) {
        CipherSuite suite = CipherSuite.byName(suiteName).orElseThrow();
        TestPki.Identity id = identityFor(suite);
        SSLEngine engine = JdkDtlsPeer.engine(JdkDtlsPeer.context(id, null), false, new String[] {suiteName},
                1400, false);
        DtlsConfig config = DtlsConfig.builder().cipherSuites(suite).trustedCertificates(id.root())
                .serverName(HOST).build();
        clientToJdkServer(engine, config, suite);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedSuites")
    void jdkClientTalksToDtls4jServer(String suiteName) {
        CipherSuite suite = CipherSuite.byName(suiteName).orElseThrow();
        TestPki.Identity id = identityFor(suite);
        SSLEngine engine = JdkDtlsPeer.engine(JdkDtlsPeer.context(null, id.root()), true, new String[] {suiteName},
                1400, false);
        DtlsConfig config = DtlsConfig.builder().cipherSuites(suite).certificate(id.key(), id.chainWithoutRoot())
                .build();
        jdkClientToServer(engine, config, suite);
    }

    @Test
    void dtls4jClientPresentsItsCertificateToJdkServerThatNeedsOne() throws Exception {
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        SSLEngine engine = JdkDtlsPeer.engine(JdkDtlsPeer.context(ecServer, ecClient.root()), false,
                new String[] {suite.name()}, 1400, true);
        DtlsConfig config = DtlsConfig.builder().cipherSuites(suite).trustedCertificates(ecServer.root())
                .serverName(HOST).certificate(ecClient.key(), ecClient.chainWithoutRoot()).build();
        JdkPeer server = clientToJdkServer(engine, config, suite);
        assertEquals(ecClient.leaf(), server.peer.engine().getSession().getPeerCertificates()[0]);
    }

    @Test
    void jdkClientPresentsItsCertificateToDtls4jServerThatRequiresOne() {
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        SSLEngine engine = JdkDtlsPeer.engine(JdkDtlsPeer.context(ecClient, ecServer.root()), true,
                new String[] {suite.name()}, 1400, false);
        DtlsConfig config = DtlsConfig.builder().cipherSuites(suite)
                .certificate(ecServer.key(), ecServer.chainWithoutRoot())
                .clientAuth(ClientAuth.REQUIRED).trustedCertificates(ecClient.root()).build();
        Dtls4jServer server = jdkClientToServer(engine, config, suite);
        assertEquals(ecClient.leaf(), server.result().peerCertificates().get(0));
    }

    private static JdkPeer clientToJdkServer(SSLEngine engine, DtlsConfig config, CipherSuite suite) {
        try (LoopbackDriver net = new LoopbackDriver()) {
            JdkPeer server = net.jdkPeer(engine, null);
            server.begin();
            Dtls4jClient client = net.dtls4jClient(config, server.address());
            client.start();
            net.runUntil(() -> client.connection.isEstablished() && server.handshakeDone(), WAIT, "handshake");
            assertEquals(suite, client.result().suite());
            assertEquals(suite.name(), engine.getSession().getCipherSuite());
            assertTrue(client.result().extendedMasterSecret(), "extended master secret negotiated");
            assertTrue(client.trace().stream().anyMatch(e -> e.startsWith("HelloVerifyRequest")),
                    "the JDK server asked for a cookie: " + client.trace());

            byte[] ping = "ping from dtls4j".getBytes(StandardCharsets.US_ASCII);
            client.send(ping);
            net.runUntil(() -> !server.received.isEmpty(), WAIT, "JDK server receives data");
            assertArrayEquals(ping, server.poll());
            byte[] pong = "pong from the JDK".getBytes(StandardCharsets.US_ASCII);
            server.send(pong);
            net.runUntil(() -> !client.received.isEmpty(), WAIT, "dtls4j client receives data");
            assertArrayEquals(pong, client.poll());

            client.close();
            net.runUntil(server::inboundDone, WAIT, "JDK server sees close_notify");
            assertTrue(client.closedCleanly());
            return server;
        }
    }

    private static Dtls4jServer jdkClientToServer(SSLEngine engine, DtlsConfig config, CipherSuite suite) {
        try (LoopbackDriver net = new LoopbackDriver()) {
            Dtls4jServer server = net.dtls4jServer(config);
            JdkPeer client = net.jdkPeer(engine, server.address());
            client.begin();
            net.runUntil(() -> server.connection() != null && client.handshakeDone(), WAIT, "handshake");
            assertEquals(suite, server.result().suite());
            assertEquals(suite.name(), engine.getSession().getCipherSuite());
            assertTrue(server.result().extendedMasterSecret(), "extended master secret negotiated");
            assertTrue(server.acceptor.helloVerifyRequestsSent() >= 1, "the JDK client went through our cookie");

            byte[] ping = "ping from the JDK".getBytes(StandardCharsets.US_ASCII);
            client.send(ping);
            net.runUntil(() -> !server.received.isEmpty(), WAIT, "dtls4j server receives data");
            assertArrayEquals(ping, server.poll());
            byte[] pong = "pong from dtls4j".getBytes(StandardCharsets.US_ASCII);
            server.send(pong);
            net.runUntil(() -> !client.received.isEmpty(), WAIT, "JDK client receives data");
            assertArrayEquals(pong, client.poll());

            client.closeOutbound();
            net.runUntil(server::closedCleanly, WAIT, "dtls4j server sees close_notify");
            assertEquals(0, server.acceptor.connectionCount());
            return server;
        }
    }

    private static TestPki.Identity identityFor(CipherSuite suite) {
        return suite.keyExchange() == KeyExchange.ECDHE_RSA ? rsaServer : ecServer;
    }
}
