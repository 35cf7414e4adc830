package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.testkit.BcPeers;
import org.junit.jupiter.api.Test;

/**
 * Bouncy Castle sends each handshake record in a datagram of its own, so losing one datagram of a flight
 * can deliver the flight's ChangeCipherSpec before the messages that precede it. DTLS stacks drop such a
 * ChangeCipherSpec and let the retransmitted flight deliver it again in order (OpenSSL: "we can't
 * process a CCS now, because previous handshake messages are still missing, so just drop it"); failing
 * the handshake with unexpected_message turns ordinary loss into a failed handshake. These runs lose
 * exactly the one datagram that matters on an otherwise perfect network.
 */
class BcEarlyChangeCipherSpecTest {
    private static final CipherSuite SUITE = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;

    @Test
    void dtls4jServerWaitsForRetransmissionWhenClientKeyExchangeIsLostButChangeCipherSpecArrives() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        Scenario scenario = Scenario.of(SUITE, 0x7_0001L);
        Network network = new Network(scenario.seed(), scenario.datagramSize(), 0, 0, 0,
                Wire.dropFirst(Wire.CLIENT_KEY_EXCHANGE, dropped));
        try (BcClientRun run = new BcClientRun(scenario, null, null, 50_101, network)) {
            HandshakeResult result = run.handshake();
            assertEquals(1, dropped.get(), "the ClientKeyExchange datagram was dropped; " + run.why());
            assertEquals(SUITE, result.suite(), run.why());
            run.pingPong(2, 100);
            run.closeCleanly();
        }
    }

    @Test
    void bouncyCastleSendsChangeCipherSpecInADatagramOfItsOwn() throws Exception {
        // The premise of the test above: were CCS and ClientKeyExchange in one datagram, they would be lost together.
        AtomicInteger separate = new AtomicInteger();
        Scenario scenario = Scenario.of(SUITE, 0x7_0002L);
        Network network = new Network(scenario.seed(), scenario.datagramSize(), 0, 0, 0, d -> {
            if (Wire.carriesChangeCipherSpec(d) && !Wire.carriesHandshake(d, Wire.CLIENT_KEY_EXCHANGE)) {
                separate.incrementAndGet();
            }
            return false;
        });
        try (BcClientRun run = new BcClientRun(scenario, null, null, 50_102, network)) {
            run.handshake();
            assertTrue(separate.get() > 0, "BC's ChangeCipherSpec travelled apart from its ClientKeyExchange; " + run.why());
        }
    }
}
