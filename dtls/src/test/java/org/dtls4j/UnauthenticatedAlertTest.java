package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.wire.AlertDescription;
import org.junit.jupiter.api.Test;

/**
 * Epoch-0 alerts during a handshake carry no MAC: a forged one (a number no reply to our flight could
 * carry, or another address) is counted and ignored and the handshake completes; a genuine refusal from the
 * real peer still ends the handshake at once, without waiting for a timer.
 */
class UnauthenticatedAlertTest {
    /** A fatal handshake_failure alert record in epoch 0 with this record sequence number. */
    private static byte[] forgedAlert(long seq) {
        return Records.record(21, 0, seq, new byte[] {2, (byte) AlertDescription.HANDSHAKE_FAILURE.code()});
    }

    /** ClientHello, HelloVerifyRequest, ClientHello with cookie: the server's first flight is on its way. */
    private static Harness midHandshake() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        h.step();
        h.step();
        h.step();
        assertEquals(1, h.acceptor.connectionCount());
        return h;
    }

    @Test
    void forgedAlertsIntoAClientMidHandshakeAreIgnoredAndTheHandshakeCompletes() {
        Harness h = midHandshake();
        for (long seq : new long[] {0, 1_000, (1L << 48) - 1}) {
            byte[] forged = forgedAlert(seq);
            h.client.receive(forged, 0, forged.length, h.now);
        }
        assertEquals(ConnectionState.HANDSHAKING, h.client.state());
        assertEquals(3, h.client.drops(EngineDropReason.UNTRUSTED_ALERT));
        assertTrue(h.handshake());
        assertNull(h.clientEvents.closedCause);
    }

    @Test
    void forgedAlertsIntoAServerMidHandshakeAreIgnoredAndTheHandshakeCompletes() {
        Harness h = midHandshake();
        DtlsConnection server = h.server();
        for (long seq : new long[] {0, 1, 1_000, (1L << 48) - 1}) {
            byte[] forged = forgedAlert(seq);
            h.acceptor.receive(forged, 0, forged.length, Harness.CLIENT_ADDRESS, h.now);
        }
        // From another port of the same host it does not even reach the connection.
        byte[] forged = forgedAlert(2);
        InetSocketAddress neighbour = new InetSocketAddress(Harness.CLIENT_ADDRESS.getAddress(), 40002);
        h.acceptor.receive(forged, 0, forged.length, neighbour, h.now);
        assertEquals(1, h.acceptor.cookieDrops());
        assertEquals(ConnectionState.HANDSHAKING, server.state());
        assertEquals(4, server.drops(EngineDropReason.UNTRUSTED_ALERT),
                "0 and 1 are not newer than its ClientHello (1); the others are implausibly far");
        assertTrue(h.handshake());
        assertNull(h.serverEvents.closedCause);
    }

    @Test
    void serverRefusingTheClientsSuitesStillFailsTheClientAtOnce() {
        Harness h = new Harness(TestConfigs.pskClient(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8).build(),
                TestConfigs.pskServer(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).build()).start();
        long start = h.now;
        h.drain(); // the network, with the clock standing still
        assertTrue(h.clientEvents.isClosed());
        assertTrue(h.clientEvents.closedCause.receivedFromPeer());
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, h.clientEvents.closedCause.alert());
        assertEquals(start, h.now, "no timer had to expire");
        assertEquals(0, h.client.drops(EngineDropReason.UNTRUSTED_ALERT));
    }

    @Test
    void serverRefusingAnUnknownPskIdentityStillFailsTheClientAtOnce() {
        DtlsConfig stranger = DtlsConfig.builder().pskIdentity("nobody".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                TestConfigs.PSK_KEY).build();
        Harness h = new Harness(stranger, TestConfigs.pskServer().build()).start();
        h.drain();
        assertTrue(h.clientEvents.isClosed());
        assertTrue(h.clientEvents.closedCause.receivedFromPeer());
        assertEquals(h.serverEvents.closedCause.alert(), h.clientEvents.closedCause.alert());
        assertEquals(1_000_000_000L, h.now, "no timer had to expire");
    }

    @Test
    void clientRefusingTheServersCertificateStillFailsTheServerAtOnce() {
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        // The client trusts another root than the one that issued the server's certificate.
        Harness h = new Harness(TestConfigs.certClient(TestConfigs.rsaServer(), suite).build(),
                TestConfigs.certServer(TestConfigs.ecServer(), suite).build()).start();
        h.drain();
        assertTrue(h.clientEvents.isClosed());
        assertTrue(h.serverEvents.isClosed(), "the server believed the client's epoch-0 alert");
        assertTrue(h.serverEvents.closedCause.receivedFromPeer());
        assertEquals(h.clientEvents.closedCause.alert(), h.serverEvents.closedCause.alert());
        assertEquals(1_000_000_000L, h.now, "no timer had to expire");
    }
}
