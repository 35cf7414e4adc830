package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** dtls4j client against dtls4j server through the in-memory harness: handshakes, data, close. */
class HandshakeEndToEndTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends a line each way and closes from the client; asserts both sides saw everything. */
    private static void exchangeDataAndClose(Harness h) {
        h.client.send(utf8("hello from client"), h.now);
        h.server().send(utf8("hello from server"), h.now);
        h.drain();
        assertEquals(List.of("hello from client"), h.serverEvents.dataAsStrings());
        assertEquals(List.of("hello from server"), h.clientEvents.dataAsStrings());
        DtlsConnection server = h.server();
        h.client.close(h.now);
        h.drain();
        assertTrue(h.client.isClosed());
        assertTrue(server.isClosed());
        assertEquals(ConnectionState.CLOSED, server.state());
        assertEquals(1, h.clientEvents.closedCount);
        assertNull(h.clientEvents.closedCause);
        assertEquals(1, h.serverEvents.closedCount);
        assertNull(h.serverEvents.closedCause, "a clean close_notify");
        assertEquals(0, h.acceptor.connectionCount(), "closed connections are removed");
    }

    @Test
    void pskHandshakeCarriesDataBothWaysAndClosesWithCloseNotify() {
        Harness h = new Harness(TestConfigs.pskClient(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).build(),
                TestConfigs.pskServer(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).build()).start();
        assertTrue(h.handshake());
        HandshakeResult c = h.clientEvents.completed.get(0);
        HandshakeResult s = h.serverEvents.completed.get(0);
        assertEquals(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, c.suite());
        assertEquals(c.suite(), s.suite());
        assertArrayEquals(TestConfigs.PSK_IDENTITY, s.pskIdentity());
        assertTrue(c.extendedMasterSecret() && s.extendedMasterSecret());
        assertEquals(1, h.acceptor.helloVerifyRequestsSent(), "the server demanded a cookie first");
        assertTrue(h.client.isEstablished());
        assertEquals(c, h.client.handshakeResult());
        assertEquals(Long.MAX_VALUE, h.client.nextTimeoutNanos(), "no timer runs once established");
        assertEquals(Long.MAX_VALUE, h.server().nextTimeoutNanos(), "the last flight waits for a retransmission, not a timer");
        exchangeDataAndClose(h);
    }

    @Test
    void closeFromTheServerIsAnsweredAndEndsBothSidesCleanly() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        assertTrue(h.handshake());
        DtlsConnection server = h.server();
        server.close(h.now);
        h.drain();
        assertTrue(h.client.isClosed());
        assertNull(h.clientEvents.closedCause);
        assertEquals(1, h.serverEvents.closedCount, "the reply close_notify after close is ignored");
        assertEquals(0, h.acceptor.connectionCount());
        assertEquals(1, h.acceptor.cookieDrops(), "the client's reply finds no connection and is dropped");
        assertTrue(server.isClosed());
    }

    @Test
    void ecdheEcdsaHandshakeValidatesTheServerChainAndReportsIt() {
        TestPki.Identity id = TestConfigs.ecServer();
        Harness h = new Harness(TestConfigs.certClient(id, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)
                .applicationProtocols("coap", "h2").build(),
                TestConfigs.certServer(id).applicationProtocols("h2").build()).start();
        assertTrue(h.handshake());
        HandshakeResult c = h.clientEvents.completed.get(0);
        assertEquals(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, c.suite());
        assertEquals(id.leaf(), c.peerCertificates().get(0));
        assertEquals("h2", c.applicationProtocol());
        assertEquals("h2", h.serverEvents.completed.get(0).applicationProtocol());
        assertEquals(TestConfigs.HOST, h.serverEvents.completed.get(0).serverName());
        assertTrue(h.serverEvents.completed.get(0).peerCertificates().isEmpty(), "no client auth asked");
        exchangeDataAndClose(h);
    }

    @Test
    void clientAuthenticationRequiredDeliversTheClientChainToTheServer() {
        TestPki.Identity id = TestConfigs.ecServer();
        TestPki.Identity cid = TestConfigs.ecClient();
        Harness h = new Harness(TestConfigs.certClient(id).certificate(cid.key(), cid.chain()).build(),
                TestConfigs.withClientAuth(TestConfigs.certServer(id), ClientAuth.REQUIRED).build()).start();
        assertTrue(h.handshake());
        assertEquals(cid.leaf(), h.serverEvents.completed.get(0).peerCertificates().get(0));
        exchangeDataAndClose(h);
    }

    @Test
    void clientAuthenticationOptionalLetsAClientWithoutCertificateIn() {
        TestPki.Identity id = TestConfigs.ecServer();
        Harness h = new Harness(TestConfigs.certClient(id).build(),
                TestConfigs.withClientAuth(TestConfigs.certServer(id), ClientAuth.OPTIONAL).build()).start();
        assertTrue(h.handshake());
        assertTrue(h.serverEvents.completed.get(0).peerCertificates().isEmpty());
        exchangeDataAndClose(h);
    }

    @Test
    void clientAuthenticationRequiredRefusesAClientWithoutCertificate() {
        TestPki.Identity id = TestConfigs.ecServer();
        Harness h = new Harness(TestConfigs.certClient(id).build(),
                TestConfigs.withClientAuth(TestConfigs.certServer(id), ClientAuth.REQUIRED).build()).start();
        assertFalse(h.handshake());
        assertEquals("handshake_failure", h.serverEvents.closedCause.alert().name());
        assertFalse(h.serverEvents.closedCause.receivedFromPeer());
        assertTrue(h.clientEvents.closedCause.receivedFromPeer(), "the server's alert reached the client");
        assertEquals("handshake_failure", h.clientEvents.closedCause.alert().name());
    }

    @Test
    void ecdheRsaHandshakeCompletes() {
        TestPki.Identity id = TestConfigs.rsaServer();
        Harness h = new Harness(TestConfigs.certClient(id).build(), TestConfigs.certServer(id).build()).start();
        assertTrue(h.handshake());
        assertEquals(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, h.clientEvents.completed.get(0).suite());
        exchangeDataAndClose(h);
    }

    @Test
    void ecdhePskHandshakeCompletes() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        assertTrue(h.handshake());
        assertEquals(CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256, h.clientEvents.completed.get(0).suite(),
                "forward-secret PSK is preferred by default");
        exchangeDataAndClose(h);
    }

    static Stream<CipherSuite> negotiableSuites() {
        return CipherSuite.negotiable().stream();
    }

    @ParameterizedTest
    @MethodSource("negotiableSuites")
    void everyNegotiableSuiteHandshakesAndCarriesData(CipherSuite suite) {
        DtlsConfig[] pair = TestConfigs.pairFor(suite);
        Harness h = new Harness(pair[0], pair[1]).start();
        assertTrue(h.handshake(), () -> "handshake with " + suite + ": " + h.clientEvents.closedCause
                + " / " + h.serverEvents.closedCause);
        assertEquals(suite, h.clientEvents.completed.get(0).suite());
        exchangeDataAndClose(h);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void handshakeSurvivesLossDuplicationAndReordering(long seed) {
        TestPki.Identity id = TestConfigs.ecServer();
        Harness h = new Harness(TestConfigs.certClient(id).build(), TestConfigs.certServer(id).build(),
                seed, 0.30, 0.10, 0.20).start();
        assertTrue(h.handshake(), () -> "seed " + seed + " " + h.toServer + " " + h.toClient + ": "
                + h.clientEvents.closedCause + " / " + h.serverEvents.closedCause);
        // Data over the lossy path: send until each side has received something (loss is the network's).
        h.runUntil(() -> {
            if (h.serverEvents.data.isEmpty()) {
                h.client.send(utf8("ping"), h.now);
            }
            if (h.clientEvents.data.isEmpty()) {
                h.server().send(utf8("pong"), h.now);
            }
            h.drain();
            return !h.serverEvents.data.isEmpty() && !h.clientEvents.data.isEmpty();
        });
        assertEquals("ping", h.serverEvents.dataAsStrings().get(0));
        assertEquals("pong", h.clientEvents.dataAsStrings().get(0));
        h.heal();
        exchangeClose(h);
    }

    /**
     * Flips a byte in 10% of datagrams during the handshake. Tampering in epoch 0 changes the transcript, so
     * the handshake may fail; what must hold is that it either completes on both sides with the same keys
     * (data flows) or ends with an alert on the side that noticed, never with an exception.
     */
    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25, 26})
    void tamperedHandshakeEitherCompletesConsistentlyOrFailsWithAnAlert(long seed) {
        java.util.Random r = new java.util.Random(seed);
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build(), seed, 0.1, 0, 0);
        java.util.function.UnaryOperator<byte[]> tamper = d -> {
            if (r.nextInt(10) == 0) {
                d[r.nextInt(d.length)] ^= (byte) (1 + r.nextInt(255));
            }
            return d;
        };
        h.toServer.mutator = tamper;
        h.toClient.mutator = tamper;
        h.start();
        boolean done = h.runUntil(() -> (h.clientEvents.isComplete() && h.serverEvents.isComplete())
                || h.client.isClosed());
        assertTrue(done);
        if (h.client.isEstablished()) {
            h.heal();
            h.toServer.mutator = java.util.function.UnaryOperator.identity();
            h.toClient.mutator = java.util.function.UnaryOperator.identity();
            h.client.send(utf8("after tampering"), h.now);
            h.drain();
            assertEquals(List.of("after tampering"), h.serverEvents.dataAsStrings());
        } else {
            assertNotNull(h.client.failure(), "a failed handshake carries its alert");
        }
    }

    private static void exchangeClose(Harness h) {
        DtlsConnection server = h.server();
        h.client.close(h.now);
        h.drain();
        assertTrue(server.isClosed());
        assertNull(h.serverEvents.closedCause);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12})
    void threeCertificateChainOfThreeKilobytesCrossesA576ByteMtuUnderLoss(long seed) {
        TestPki.Identity id = TestPki.chain(TestPki.KeyType.EC_P256, TestConfigs.HOST, 3, 700);
        int chainBytes = id.chain().stream().mapToInt(c -> {
            try {
                return c.getEncoded().length;
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new AssertionError(e);
            }
        }).sum();
        assertTrue(chainBytes > 2800, "chain of " + chainBytes + " bytes");
        Harness h = new Harness(TestConfigs.certClient(id).maxDatagramSize(548).build(),
                DtlsConfig.builder().certificate(id.key(), id.chain()).maxDatagramSize(548).build(),
                seed, 0.2, 0.1, 0.2).start();
        assertTrue(h.handshake(), () -> h.clientEvents.closedCause + " / " + h.serverEvents.closedCause);
        assertEquals(3, h.clientEvents.completed.get(0).peerCertificates().size());
        assertTrue(h.toClient.sent.stream().allMatch(d -> d.length <= 548), "every datagram fits the MTU");
    }

    @Test
    void resumptionWithServerSessionCacheRunsAnAbbreviatedHandshake() {
        SessionCache cache = new SessionCache(8);
        TestPki.Identity id = TestConfigs.ecServer();
        Harness h = new Harness(TestConfigs.certClient(id).build(),
                TestConfigs.certServer(id).sessionCache(cache).build()).start();
        assertTrue(h.handshake());
        HandshakeResult first = h.clientEvents.completed.get(0);
        assertFalse(first.resumed());
        assertTrue(first.session().isResumable());
        assertEquals(1, cache.size());
        exchangeDataAndClose(h);

        Recorder second = new Recorder();
        h.newClient(first.session(), second).start(h.now);
        assertTrue(h.runUntil(() -> second.isComplete() && h.serverEvents.completed.size() == 2));
        assertTrue(second.completed.get(0).resumed());
        assertTrue(h.serverEvents.completed.get(1).resumed());
        assertEquals(first.suite(), second.completed.get(0).suite());
        assertEquals(id.leaf(), second.completed.get(0).peerCertificates().get(0));
        h.client.send(utf8("again"), h.now);
        h.drain();
        assertEquals("again", h.serverEvents.dataAsStrings().get(1));
    }

    @Test
    void keyLogReceivesOneNssLinePerSideWithoutTheListenerSeeingSecrets() {
        List<String> lines = new java.util.ArrayList<>();
        Harness h = new Harness(TestConfigs.pskClient().keyLog(lines::add).build(),
                TestConfigs.pskServer().keyLog(lines::add).build()).start();
        assertTrue(h.handshake());
        assertEquals(2, lines.size());
        assertEquals(lines.get(0), lines.get(1), "both sides log the same client random and master secret");
        assertTrue(lines.get(0).matches("CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}"), lines.get(0));
        String secret = lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1);
        assertTrue(h.clientEvents.traces.stream().noneMatch(t -> t.contains(secret)));
        assertNotNull(h.clientEvents.traces.stream().filter(t -> t.contains("sending flight")).findFirst().orElse(null));
    }
}
