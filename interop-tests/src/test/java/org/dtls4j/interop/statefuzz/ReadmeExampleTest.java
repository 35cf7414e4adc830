package org.dtls4j.interop.statefuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.dtls4j.testing.PeerSettings;
import org.dtls4j.testing.ScriptedPeer;
import org.dtls4j.testing.UdpTransport;
import org.junit.jupiter.api.Test;

/** The README's "Testing your own DTLS stack" example, verbatim, against dtls4j's own server. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRunsAndDtls4jRefusesFinishedBeforeChangeCipherSpec() throws Exception {
        byte[] identity = Targets.PSK_IDENTITY.getBytes(StandardCharsets.US_ASCII);
        byte[] key = Targets.PSK;
        try (Targets.Dtls4j server = new Targets.Dtls4j()) {
            InetSocketAddress yourServer = server.address();
            // --- README example starts
            try (ScriptedPeer c = ScriptedPeer.client(UdpTransport.connect(yourServer), PeerSettings.psk(identity, key))) {
                c.send(c.clientHello());
                if (c.receive().stream().anyMatch(e -> e.symbol().equals("HELLO_VERIFY_REQUEST"))) {
                    c.send(c.clientHello());                      // the same hello, now with the cookie
                    c.receive();                                  // ServerHello .. ServerHelloDone
                }
                c.send(c.clientKeyExchange());
                c.send(c.finished());                             // no ChangeCipherSpec first
                assertTrue(c.receive().stream().noneMatch(e -> e.symbol().equals("FINISHED")));
            }
            // --- README example ends
        }
    }
}
