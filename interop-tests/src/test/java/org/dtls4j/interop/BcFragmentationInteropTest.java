package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.tls.Certificate;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three-certificate chains of about 3 KB, sent whole (root included) by both server and client (client
 * authentication required), across a 576-byte MTU: every datagram of both sides at most 548 bytes (576
 * minus IPv4 and UDP headers), so each chain is fragmented by its sender and reassembled by dtls4j or
 * Bouncy Castle, in both directions. Seeds 0x8_0001 and 0x8_0002.
 *
 * <p>The network here drops 10% (still duplicating and reordering 10%), not the 30% of the suite matrix:
 * these flights are about ten datagrams each way, so at 30% a flight rarely arrives whole and recovery
 * leans on Bouncy Castle's own retransmission timer, which backs off towards its fixed 60 s cap and
 * makes the test's duration a matter of luck. Loss tolerance is what {@link BcSuiteInteropTest} proves;
 * this test proves fragmentation and reassembly, with enough loss that fragments go missing and return.
 */
class BcFragmentationInteropTest {
    static final int DATAGRAM = 548;
    static final CipherSuite SUITE = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    private static TestPki.Identity serverChain;
    private static TestPki.Identity clientChain;

    @BeforeAll
    static void makeChains() {
        serverChain = TestPki.chain(TestPki.KeyType.EC_P256, Credentials.HOST, 3, 700);
        clientChain = TestPki.chain(TestPki.KeyType.EC_P256, "big-client.dtls4j.test", 3, 700);
        for (TestPki.Identity id : new TestPki.Identity[] {serverChain, clientChain}) {
            int size = Credentials.encodedSize(id.chain());
            assertTrue(size > 2800 && size < 3600, "a chain of about 3 KB: " + size + " bytes");
        }
    }

    @Test
    void dtls4jClientReassemblesBouncyCastleChainAndFragmentsItsOwnWithinA576ByteMtu() throws Exception {
        Scenario scenario = Scenario.of(SUITE, 0x8_0001L).withWholeChains(serverChain, clientChain, DATAGRAM);
        try (Dtls4jClientRun run = new Dtls4jClientRun(scenario, null, null, network(scenario))) {
            HandshakeResult result = run.handshake();
            assertEquals(3, result.peerCertificates().size(), "dtls4j reassembled BC's chain; " + run.why());
            assertEquals(serverChain.leaf(), result.peerCertificates().get(0), run.why());
            Certificate seenByBc = run.bc.get().getSecurityParametersConnection().getPeerCertificate();
            assertEquals(3, seenByBc.getLength(), "BC reassembled dtls4j's chain; " + run.why());
            assertArrayEquals(Credentials.encoded(clientChain.leaf()), seenByBc.getCertificateAt(0).getEncoded(), run.why());
            run.pingPong(3, 300);
            assertFits(run.network, run.why());
            run.closeCleanly();
        }
    }

    @Test
    void bouncyCastleClientReassemblesDtls4jChainAndFragmentsItsOwnWithinA576ByteMtu() throws Exception {
        Scenario scenario = Scenario.of(SUITE, 0x8_0002L).withWholeChains(serverChain, clientChain, DATAGRAM);
        try (BcClientRun run = new BcClientRun(scenario, null, null, 50_401, network(scenario))) {
            HandshakeResult result = run.handshake();
            assertEquals(3, result.peerCertificates().size(), "dtls4j reassembled BC's chain; " + run.why());
            assertEquals(clientChain.leaf(), result.peerCertificates().get(0), run.why());
            Certificate seenByBc = run.bc.get().getSecurityParametersConnection().getPeerCertificate();
            assertEquals(3, seenByBc.getLength(), "BC reassembled dtls4j's chain; " + run.why());
            assertArrayEquals(Credentials.encoded(serverChain.leaf()), seenByBc.getCertificateAt(0).getEncoded(), run.why());
            run.pingPong(3, 300);
            assertFits(run.network, run.why());
            run.closeCleanly();
        }
    }

    private static Network network(Scenario scenario) {
        return new Network(scenario.seed(), scenario.datagramSize(), 0.10, Network.DUPLICATE, Network.REORDER, d -> false);
    }

    private static void assertFits(Network network, String why) {
        assertTrue(network.largestFromDtls4j() <= DATAGRAM, "dtls4j sent " + network.largestFromDtls4j() + " bytes; " + why);
        assertTrue(network.largestFromBc() <= DATAGRAM, "BC sent " + network.largestFromBc() + " bytes; " + why);
        // Full-size datagrams on both sides show that the chains really were split across datagrams.
        assertTrue(network.largestFromDtls4j() > DATAGRAM - 100, "dtls4j fragmented; " + why);
        assertTrue(network.largestFromBc() > DATAGRAM - 100, "BC fragmented; " + why);
    }
}
