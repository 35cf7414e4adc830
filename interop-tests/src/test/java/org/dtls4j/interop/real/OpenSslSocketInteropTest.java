package org.dtls4j.interop.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.dtls4j.DtlsConfig;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jClient;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jServer;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dtls4j against OpenSSL's command line ({@code openssl s_server -dtls1_2} and {@code openssl s_client
 * -dtls1_2}) over real loopback UDP: PSK, ECDHE_PSK, ECDSA and RSA suites with GCM, CCM, CCM_8,
 * ChaCha20 and CBC (with encrypt_then_mac, and without it through {@code -no_etm}), and client
 * certificates both ways. Each test handshakes, sends a line each way (our side as
 * a datagram, OpenSSL's typed on its standard input and read from its standard output), and closes with
 * close_notify, which OpenSSL reports by printing DONE (s_server) or closed (s_client).
 *
 * <p>OpenSSL is required: without it these tests fail with a message saying so.
 */
class OpenSslSocketInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String HOST = "localhost";
    /** A datagram budget (ours) and link MTU (OpenSSL's -mtu) below an RSA certificate's size. */
    private static final int SMALL_MTU = 548;
    private static final String PSK_IDENTITY = "client-1";
    private static final byte[] PSK = Hex.decode("00112233445566778899aabbccddeeff");
    private static final PskStore PSK_STORE =
            id -> Arrays.equals(id, PSK_IDENTITY.getBytes(StandardCharsets.UTF_8)) ? PSK.clone() : null;

    private static TestPki.Identity ecServer;
    private static TestPki.Identity rsaServer;
    private static TestPki.Identity ecClient;

    @TempDir
    static Path pemDir;
    private static Path ecServerCert;
    private static Path ecServerKey;
    private static Path ecServerRoot;
    private static Path rsaServerCert;
    private static Path rsaServerKey;
    private static Path ecClientCert;
    private static Path ecClientKey;

    @BeforeAll
    static void prepare() {
        OpenSslProcess.requireOpenSsl();
        ecServer = TestPki.chain(TestPki.KeyType.EC_P256, HOST, 2, 0);
        rsaServer = TestPki.selfSigned(TestPki.KeyType.RSA_2048, HOST);
        ecClient = TestPki.selfSigned(TestPki.KeyType.EC_P256, "client.dtls4j.test");
        ecServerCert = OpenSslProcess.writeCertificates(pemDir, "ec-server.pem", ecServer.chainWithoutRoot());
        ecServerKey = OpenSslProcess.writeKey(pemDir, "ec-server.key", ecServer.key());
        ecServerRoot = OpenSslProcess.writeCertificates(pemDir, "ec-root.pem", List.of(ecServer.root()));
        rsaServerCert = OpenSslProcess.writeCertificates(pemDir, "rsa-server.pem", rsaServer.chain());
        rsaServerKey = OpenSslProcess.writeKey(pemDir, "rsa-server.key", rsaServer.key());
        ecClientCert = OpenSslProcess.writeCertificates(pemDir, "ec-client.pem", ecClient.chain());
        ecClientKey = OpenSslProcess.writeKey(pemDir, "ec-client.key", ecClient.key());
    }

    /** OpenSSL's name and the IANA name of each suite tested. */
    static Stream<Arguments> suites() {
        return Stream.of(
                Arguments.of("PSK-AES128-GCM-SHA256", "TLS_PSK_WITH_AES_128_GCM_SHA256"),
                Arguments.of("PSK-AES128-CCM8", "TLS_PSK_WITH_AES_128_CCM_8"),
                Arguments.of("PSK-AES128-CCM", "TLS_PSK_WITH_AES_128_CCM"),
                Arguments.of("PSK-CHACHA20-POLY1305", "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256"),
                Arguments.of("ECDHE-PSK-CHACHA20-POLY1305", "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256"),
                Arguments.of("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
                Arguments.of("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
                Arguments.of("ECDHE-ECDSA-AES128-CCM8", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"),
                Arguments.of("ECDHE-ECDSA-AES128-CCM", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"),
                Arguments.of("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
                Arguments.of("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
                Arguments.of("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
                Arguments.of("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void dtls4jClientTalksToOpenSslServer(String opensslName, String ianaName) {
        CipherSuite suite = CipherSuite.byName(ianaName).orElseThrow();
        DtlsConfig.Builder config = DtlsConfig.builder().cipherSuites(suite);
        List<String> serverArgs = clientCredentials(suite, config); // before build(): it sets the credentials
        clientToOpenSslServer(config.build(), suite, opensslName, serverArgs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void openSslClientTalksToDtls4jServer(String opensslName, String ianaName) {
        CipherSuite suite = CipherSuite.byName(ianaName).orElseThrow();
        DtlsConfig.Builder config = DtlsConfig.builder().cipherSuites(suite);
        List<String> clientArgs = serverCredentials(suite, config); // before build(): it sets the credentials
        openSslClientToServer(config.build(), suite, opensslName, clientArgs);
    }

    @Test
    void dtls4jClientPresentsItsCertificateToOpenSslServerThatRequiresOne() {
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        DtlsConfig config = DtlsConfig.builder().cipherSuites(suite).trustedCertificates(ecServer.root())
                .serverName(HOST).certificate(ecClient.key(), ecClient.chainWithoutRoot()).build();
        String transcript = clientToOpenSslServer(config, suite, "ECDHE-ECDSA-AES128-GCM-SHA256",
                List.of("-cert", ecServerCert.toString(), "-key", ecServerKey.toString(),
                        "-Verify", "1", "-CAfile", ecClientCert.toString(), "-verify_return_error"));
        assertTrue(transcript.contains("subject=CN = client.dtls4j.test"),
                "s_server names our client certificate:\n" + transcript);
    }

    @Test
    void openSslClientPresentsItsCertificateToDtls4jServerThatRequiresOne() {
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        DtlsConfig config = DtlsConfig.builder().cipherSuites(suite)
                .certificate(ecServer.key(), ecServer.chainWithoutRoot())
                .clientAuth(ClientAuth.REQUIRED).trustedCertificates(ecClient.root()).build();
        HandshakeResult result = openSslClientToServer(config, suite, "ECDHE-ECDSA-AES128-GCM-SHA256",
                List.of("-CAfile", ecServerRoot.toString(), "-verify", "1", "-verify_return_error",
                        "-cert", ecClientCert.toString(), "-key", ecClientKey.toString()));
        assertEquals(ecClient.leaf(), result.peerCertificates().get(0));
    }

    @Test
    void smallMtuFragmentsFlightsBothWaysWithOpenSslServer() throws Exception {
        CipherSuite suite = CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
        DtlsConfig config = DtlsConfig.builder().cipherSuites(suite).trustedCertificates(rsaServer.root())
                .serverName(HOST).maxDatagramSize(SMALL_MTU).build();
        assertTrue(rsaServer.leaf().getEncoded().length > SMALL_MTU, "the Certificate message needs fragments");
        Dtls4jClient client = dtls4jClientToOpenSslServer(config, suite, "ECDHE-RSA-AES128-GCM-SHA256",
                List.of("-cert", rsaServerCert.toString(), "-key", rsaServerKey.toString(),
                        "-mtu", Integer.toString(SMALL_MTU))).client();
        assertTrue(client.largestReceived <= SMALL_MTU, "s_server's largest datagram " + client.largestReceived);
        assertTrue(client.largestSent <= SMALL_MTU, "our largest datagram " + client.largestSent);
    }

    @Test
    void smallMtuFragmentsFlightsBothWaysWithOpenSslClient() {
        CipherSuite suite = CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
        DtlsConfig config = DtlsConfig.builder().cipherSuites(suite).certificate(rsaServer.key(), rsaServer.chain())
                .maxDatagramSize(SMALL_MTU).build();
        Dtls4jServer server = openSslClientToDtls4jServer(config, suite, "ECDHE-RSA-AES128-GCM-SHA256",
                List.of("-CAfile", rsaServerCert.toString(), "-verify", "1", "-verify_return_error",
                        "-mtu", Integer.toString(SMALL_MTU)));
        assertTrue(server.largestReceived <= SMALL_MTU, "s_client's largest datagram " + server.largestReceived);
        assertTrue(server.largestSent <= SMALL_MTU, "our largest datagram " + server.largestSent);
    }

    @Test
    void dtls4jClientResumesItsSessionWithOpenSslServer() {
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        DtlsConfig config = DtlsConfig.builder().cipherSuites(suite).trustedCertificates(ecServer.root())
                .serverName(HOST).build();
        try (LoopbackDriver net = new LoopbackDriver();
             OpenSslProcess server = startServer(net, "ECDHE-ECDSA-AES128-GCM-SHA256", 2,
                     List.of("-cert", ecServerCert.toString(), "-key", ecServerKey.toString()))) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
            Dtls4jClient first = net.dtls4jClient(config, address);
            first.start();
            run(net, first.connection::isEstablished, "full handshake", server);
            assertFalse(first.result().resumed());
            first.close();
            run(net, () -> server.hasLine("DONE"), "s_server sees the first close_notify", server);

            Dtls4jClient second = net.dtls4jClient(config, address, first.result().session());
            second.start();
            run(net, second.connection::isEstablished, "abbreviated handshake", server);
            assertTrue(second.result().resumed(), () -> "resumed: " + second.trace());
            second.send("after resumption\n".getBytes(StandardCharsets.US_ASCII));
            run(net, () -> server.hasLine("after resumption"), "s_server prints our line", server);
            assertTrue(server.hasLine("Reused session-id"), server::transcript);
        }
    }

    @Test
    void openSslClientResumesItsSessionWithDtls4jServer() {
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        DtlsConfig config = DtlsConfig.builder().cipherSuites(suite)
                .certificate(ecServer.key(), ecServer.chainWithoutRoot()).sessionCache(new SessionCache(8)).build();
        Path session = pemDir.resolve("s_client.session");
        try (LoopbackDriver net = new LoopbackDriver()) {
            Dtls4jServer server = net.dtls4jServer(config);
            List<String> args = List.of("s_client", "-dtls1_2", "-connect", "127.0.0.1:" + server.address().getPort(),
                    "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-ign_eof", "-nocommands",
                    "-CAfile", ecServerRoot.toString(), "-verify", "1", "-verify_return_error");
            try (OpenSslProcess first = OpenSslProcess.start(concat(args, "-sess_out", session.toString()))) {
                run(net, () -> server.handshakes() == 1 && first.hasLine(l -> l.startsWith("New, ")),
                        "full handshake", first);
                assertFalse(server.result().resumed());
                server.connection().close(System.nanoTime());
                run(net, () -> first.hasLine("closed"), "s_client reports our close_notify", first);
            }
            try (OpenSslProcess second = OpenSslProcess.start(concat(args, "-sess_in", session.toString()))) {
                run(net, () -> server.handshakes() == 2, "abbreviated handshake", second);
                assertTrue(server.result().resumed(), "our server resumed the session");
                run(net, () -> second.hasLine(l -> l.startsWith("Reused, ")), "s_client reports reuse", second);
                second.type("after resumption");
                run(net, () -> !server.received.isEmpty(), "our server receives s_client's line", second);
                assertEquals("after resumption\n", new String(server.poll(), StandardCharsets.US_ASCII));
            }
        }
    }

    /**
     * OpenSSL's name, the IANA name, and whether OpenSSL refuses encrypt_then_mac ({@code -no_etm}) so the
     * suite runs MAC-then-encrypt: every key exchange and MAC with EtM (OpenSSL's default), and each key
     * exchange once without it.
     */
    static Stream<Arguments> cbcSuites() {
        return Stream.of(
                Arguments.of("PSK-AES128-CBC-SHA256", "TLS_PSK_WITH_AES_128_CBC_SHA256", false),
                Arguments.of("PSK-AES256-CBC-SHA384", "TLS_PSK_WITH_AES_256_CBC_SHA384", false),
                Arguments.of("PSK-AES128-CBC-SHA", "TLS_PSK_WITH_AES_128_CBC_SHA", false),
                Arguments.of("ECDHE-PSK-AES128-CBC-SHA256", "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", false),
                Arguments.of("ECDHE-PSK-AES256-CBC-SHA", "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", false),
                Arguments.of("ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", false),
                Arguments.of("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", false),
                Arguments.of("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", false),
                Arguments.of("ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", false),
                Arguments.of("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", false),
                Arguments.of("PSK-AES128-CBC-SHA256", "TLS_PSK_WITH_AES_128_CBC_SHA256", true),
                Arguments.of("ECDHE-PSK-AES128-CBC-SHA256", "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", true),
                Arguments.of("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", true),
                Arguments.of("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", true));
    }

    @ParameterizedTest(name = "{0} no_etm={2}")
    @MethodSource("cbcSuites")
    void dtls4jClientTalksCbcToOpenSslServer(String opensslName, String ianaName, boolean noEtm) {
        CipherSuite suite = CipherSuite.byName(ianaName).orElseThrow();
        DtlsConfig.Builder config = DtlsConfig.builder().cipherSuites(suite);
        List<String> serverArgs = clientCredentials(suite, config);
        if (noEtm) {
            serverArgs.add("-no_etm");
        }
        ClientRun run = dtls4jClientToOpenSslServer(config.build(), suite, opensslName, serverArgs);
        assertEquals(!noEtm, run.client().result().session().encryptThenMac(), run::serverOutput);
    }

    @ParameterizedTest(name = "{0} no_etm={2}")
    @MethodSource("cbcSuites")
    void openSslClientTalksCbcToDtls4jServer(String opensslName, String ianaName, boolean noEtm) {
        CipherSuite suite = CipherSuite.byName(ianaName).orElseThrow();
        DtlsConfig.Builder config = DtlsConfig.builder().cipherSuites(suite);
        List<String> clientArgs = serverCredentials(suite, config);
        if (noEtm) {
            clientArgs.add("-no_etm");
        }
        HandshakeResult result = openSslClientToServer(config.build(), suite, opensslName, clientArgs);
        assertEquals(!noEtm, result.session().encryptThenMac());
    }

    /** Sets our client's credentials for {@code suite}; returns s_server's matching arguments. */
    private static List<String> clientCredentials(CipherSuite suite, DtlsConfig.Builder config) {
        List<String> serverArgs = new ArrayList<>();
        if (suite.keyExchange().usesPsk()) {
            config.pskIdentity(PSK_IDENTITY.getBytes(StandardCharsets.UTF_8), PSK);
            serverArgs.addAll(List.of("-nocert", "-psk", Hex.encode(PSK), "-psk_identity", PSK_IDENTITY));
        } else {
            boolean rsa = suite.keyExchange() == KeyExchange.ECDHE_RSA;
            config.trustedCertificates((rsa ? rsaServer : ecServer).root()).serverName(HOST);
            serverArgs.addAll(List.of("-cert", (rsa ? rsaServerCert : ecServerCert).toString(),
                    "-key", (rsa ? rsaServerKey : ecServerKey).toString()));
        }
        return serverArgs;
    }

    /** Sets our server's credentials for {@code suite}; returns s_client's matching arguments. */
    private static List<String> serverCredentials(CipherSuite suite, DtlsConfig.Builder config) {
        List<String> clientArgs = new ArrayList<>();
        if (suite.keyExchange().usesPsk()) {
            config.pskStore(PSK_STORE);
            clientArgs.addAll(List.of("-psk", Hex.encode(PSK), "-psk_identity", PSK_IDENTITY));
        } else {
            boolean rsa = suite.keyExchange() == KeyExchange.ECDHE_RSA;
            TestPki.Identity id = rsa ? rsaServer : ecServer;
            config.certificate(id.key(), id.chainWithoutRoot());
            clientArgs.addAll(List.of("-CAfile", (rsa ? rsaServerCert : ecServerRoot).toString(),
                    "-verify", "1", "-verify_return_error"));
        }
        return clientArgs;
    }

    static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private static String clientToOpenSslServer(DtlsConfig config, CipherSuite suite, String opensslName,
                                                List<String> credentials) {
        return dtls4jClientToOpenSslServer(config, suite, opensslName, credentials).serverOutput();
    }

    /** Our client after a session with s_server, and what s_server printed. */
    private record ClientRun(Dtls4jClient client, String serverOutput) {
    }

    /** Handshake with s_server, a line each way, our close_notify. */
    private static ClientRun dtls4jClientToOpenSslServer(DtlsConfig config, CipherSuite suite,
                                                            String opensslName, List<String> credentials) {
        try (LoopbackDriver net = new LoopbackDriver();
             OpenSslProcess server = startServer(net, opensslName, 1, credentials)) {
            Dtls4jClient client = net.dtls4jClient(config,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            client.start();
            run(net, client.connection::isEstablished, "handshake", server);
            assertEquals(suite, client.result().suite());
            assertTrue(client.result().extendedMasterSecret(), "extended master secret negotiated");
            assertTrue(client.trace().stream().anyMatch(e -> e.startsWith("HelloVerifyRequest")),
                    () -> "s_server asked for a cookie: " + client.trace());

            client.send("hello from dtls4j\n".getBytes(StandardCharsets.US_ASCII));
            run(net, () -> server.hasLine("hello from dtls4j"), "s_server prints our line", server);
            assertEquals(opensslName, server.valueAfter("CIPHER is "), server::transcript);
            server.type("echo from openssl");
            run(net, () -> !client.received.isEmpty(), "our client receives s_server's line", server);
            assertEquals("echo from openssl\n", new String(client.poll(), StandardCharsets.US_ASCII));

            client.close();
            run(net, () -> server.hasLine("DONE"), "s_server sees close_notify", server);
            assertTrue(client.closedCleanly());
            return new ClientRun(client, server.transcript());
        }
    }

    private static HandshakeResult openSslClientToServer(DtlsConfig config, CipherSuite suite, String opensslName,
                                                         List<String> credentials) {
        return openSslClientToDtls4jServer(config, suite, opensslName, credentials).result();
    }

    /** Handshake with s_client, a line each way, our close_notify. */
    private static Dtls4jServer openSslClientToDtls4jServer(DtlsConfig config, CipherSuite suite,
                                                            String opensslName, List<String> credentials) {
        try (LoopbackDriver net = new LoopbackDriver()) {
            Dtls4jServer server = net.dtls4jServer(config);
            List<String> args = new ArrayList<>(List.of("s_client", "-dtls1_2",
                    "-connect", "127.0.0.1:" + server.address().getPort(), "-cipher", opensslName,
                    "-ign_eof", "-nocommands"));
            args.addAll(credentials);
            try (OpenSslProcess client = OpenSslProcess.start(args)) {
                run(net, () -> server.connection() != null, "handshake", client);
                assertEquals(suite, server.result().suite());
                assertTrue(server.result().extendedMasterSecret(), "extended master secret negotiated");
                assertTrue(server.acceptor.helloVerifyRequestsSent() >= 1, "s_client went through our cookie");

                client.type("hello from openssl");
                run(net, () -> !server.received.isEmpty(), "our server receives s_client's line", client);
                assertEquals("hello from openssl\n", new String(server.poll(), StandardCharsets.US_ASCII));
                server.send("echo from dtls4j\n".getBytes(StandardCharsets.US_ASCII));
                run(net, () -> client.hasLine("echo from dtls4j"), "s_client prints our line", client);
                assertTrue(client.hasLine(l -> l.contains("Cipher is " + opensslName)), client::transcript);
                assertTrue(client.hasLine(l -> l.contains("Extended master secret: yes")), client::transcript);

                server.connection().close(System.nanoTime());
                run(net, () -> client.hasLine("closed"), "s_client reports our close_notify", client);
                assertTrue(server.closedCleanly());
                return server;
            }
        }
    }

    /**
     * Starts s_server on a free port and waits for its ACCEPT. The port is found by binding and releasing
     * it, so another process may take it first: then s_server exits, and it is started again on another.
     */
    static OpenSslProcess startServer(LoopbackDriver net, String opensslName, int connections,
                                              List<String> credentials) {
        String failures = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = OpenSslProcess.freeUdpPort();
            List<String> args = new ArrayList<>(List.of("s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                    "-naccept", Integer.toString(connections), "-cipher", opensslName));
            args.addAll(credentials);
            OpenSslProcess server = OpenSslProcess.start(args, port);
            net.runUntil(() -> server.hasLine("ACCEPT") || !server.isAlive(), WAIT, "s_server starts");
            if (server.isAlive()) {
                return server;
            }
            server.close();
            failures += server.transcript();
        }
        throw new AssertionError("s_server did not start:\n" + failures);
    }

    /** {@link LoopbackDriver#runUntil}, adding OpenSSL's output to a failure. */
    static void run(LoopbackDriver net, java.util.function.BooleanSupplier done, String what,
                            OpenSslProcess openssl) {
        try {
            net.runUntil(done, WAIT, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + openssl.transcript(), e);
        }
    }
}
