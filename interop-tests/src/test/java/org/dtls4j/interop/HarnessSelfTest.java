package org.dtls4j.interop;

import org.dtls4j.testkit.BcEndpoint;
import org.dtls4j.testkit.BcPeers;
import org.dtls4j.testkit.LossyLink;
import org.dtls4j.testkit.QueueTransport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSTransport;
import org.junit.jupiter.api.Test;

/**
 * Proves the interop harness itself before dtls4j is measured with it: two Bouncy Castle peers
 * complete a handshake and exchange data across the same lossy links the interop tests use.
 */
class HarnessSelfTest {
    @Test
    void bouncyCastlePeersHandshakeAcrossThirtyPercentLoss() throws Exception {
        byte[] identity = "harness".getBytes(StandardCharsets.US_ASCII);
        byte[] psk = new byte[16];
        BcPeers.Setup setup = BcPeers.Setup.psk(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, identity, psk);
        QueueTransport clientSide = new QueueTransport(1400);
        QueueTransport serverSide = new QueueTransport(1400);
        LossyLink toServer = new LossyLink(1, 0.3, 0.1, 0.1, serverSide::deliver);
        LossyLink toClient = new LossyLink(2, 0.3, 0.1, 0.1, clientSide::deliver);
        clientSide.connect(toServer);
        serverSide.connect(toClient);
        try (BcEndpoint server = BcEndpoint.echoServer(BcPeers.server(setup, null), serverSide);
             BcEndpoint client = BcEndpoint.client(BcPeers.client(setup, null), clientSide)) {
            DTLSTransport c = client.awaitHandshake(30);
            server.awaitHandshake(30);
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            byte[] buf = new byte[1500];
            int n = -1;
            for (int attempt = 0; attempt < 50 && n < 0; attempt++) {
                c.send(ping, 0, ping.length);
                n = c.receive(buf, 0, buf.length, 200);
            }
            assertEquals(ping.length, n, "no echo in 50 attempts: " + toServer.stats());
            assertArrayEquals(ping, java.util.Arrays.copyOf(buf, n));
        }
    }
}
