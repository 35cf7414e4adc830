package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.dtls4j.crypto.CipherSuite;
import org.junit.jupiter.api.Test;

/**
 * An established connection keeps only its last flight of the handshake (RFC 6347 §4.2.4): it still answers
 * the peer's retransmitted final flight, and lets the flight go once the peer's first application record
 * arrives or the previous-epoch retention has passed.
 */
class AfterHandshakeTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Runs a PSK handshake until the server completed, and loses the server's last flight on the way. */
    private static Harness serverLastFlightLost() {
        Harness h = new Harness(TestConfigs.pskClient(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8).build(),
                TestConfigs.pskServer(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8).build()).start();
        assertTrue(h.runUntil(() -> h.serverEvents.isComplete()));
        h.toClient.clear();
        assertFalse(h.clientEvents.isComplete());
        return h;
    }

    /** The client's last datagram so far: its final flight (one datagram for PSK), as sent. */
    private static byte[] clientFinalFlight(Harness h) {
        byte[] d = h.toServer.sent.get(h.toServer.sent.size() - 1);
        return d.clone();
    }

    @Test
    void theServerResendsItsLostLastFlightAfterDroppingTheHandshaker() {
        Harness h = serverLastFlightLost();
        DtlsConnection server = h.server();
        long sent = server.datagramsSent();
        assertTrue(h.handshake(), "the client's retransmission draws the server's last flight again");
        assertTrue(server.datagramsSent() > sent);
        assertTrue(h.client.isEstablished());
        h.client.send("after".getBytes(StandardCharsets.UTF_8), h.now);
        h.drain();
        assertEquals(java.util.List.of("after"), h.serverEvents.dataAsStrings());
    }

    @Test
    void theFirstApplicationRecordReleasesTheLastFlight() {
        Harness h = new Harness(TestConfigs.pskClient(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8).build(),
                TestConfigs.pskServer(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8).build()).start();
        assertTrue(h.handshake());
        byte[] finalFlight = clientFinalFlight(h);
        DtlsConnection server = h.server();
        long sent = server.datagramsSent();
        h.now += 2 * SECOND;
        h.acceptor.receive(finalFlight.clone(), 0, finalFlight.length, Harness.CLIENT_ADDRESS, h.now);
        assertEquals(sent + 1, server.datagramsSent(), "before the peer's data, its retransmission is answered");
        h.toClient.clear();

        h.client.send("done".getBytes(StandardCharsets.UTF_8), h.now);
        h.drain();
        sent = server.datagramsSent();
        h.now += 2 * SECOND;
        h.acceptor.receive(finalFlight.clone(), 0, finalFlight.length, Harness.CLIENT_ADDRESS, h.now);
        assertEquals(sent, server.datagramsSent(), "once the peer sent data it has our Finished: nothing to resend");
        assertTrue(server.isEstablished());
    }

    @Test
    void theLastFlightIsLetGoAfterThePreviousEpochRetention() {
        Harness h = new Harness(TestConfigs.pskClient(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8).build(),
                TestConfigs.pskServer(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8).build()).start();
        assertTrue(h.handshake());
        byte[] finalFlight = clientFinalFlight(h);
        DtlsConnection server = h.server();
        long retention = TestConfigs.pskServer(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8).build()
                .recordLayerConfig().previousEpochRetentionNanos();
        long sent = server.datagramsSent();
        h.now += retention + SECOND;
        h.acceptor.receive(finalFlight.clone(), 0, finalFlight.length, Harness.CLIENT_ADDRESS, h.now);
        assertEquals(sent, server.datagramsSent(), "past the retention the flight is gone");
        assertTrue(server.isEstablished());
        h.client.send("late".getBytes(StandardCharsets.UTF_8), h.now);
        h.drain();
        assertEquals(java.util.List.of("late"), h.serverEvents.dataAsStrings());
    }

    @Test
    void theResumedClientSentLastAndResendsItsFlight() {
        DtlsConfig serverConfig = TestConfigs.pskServer(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8)
                .sessionCache(new org.dtls4j.handshake.session.SessionCache(16)).build();
        Harness h = new Harness(TestConfigs.pskClient(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8).build(), serverConfig)
                .start();
        assertTrue(h.handshake());
        var session = h.clientEvents.completed.get(0).session();
        h.client.close(h.now);
        h.drain();
        Recorder events = new Recorder();
        DtlsConnection resumed = h.newClient(session, events);
        resumed.start(h.now);
        assertTrue(h.runUntil(events::isComplete));
        assertTrue(events.completed.get(0).resumed());
        // The client's CCS+Finished (its last flight) is lost: the server resends its flight, the client answers.
        h.toServer.clear();
        long sent = resumed.datagramsSent();
        assertTrue(h.runUntil(() -> h.server().isEstablished()),
                "the server completed from the client's resent last flight");
        assertTrue(resumed.datagramsSent() > sent);
    }
}
