package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import javax.net.ssl.SSLContext;
import org.dtls4j.testkit.JdkDtlsPeer;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.Test;

/** Proves the JDK SSLEngine driver: two JDK engines handshake and exchange data, driven datagram by datagram. */
class JdkHarnessSelfTest {
    @Test
    void twoJdkEnginesHandshakeThroughTheDriver() throws Exception {
        TestPki.Identity server = TestPki.selfSigned(TestPki.KeyType.EC_P256, "localhost");
        SSLContext serverCtx = JdkDtlsPeer.context(server, null);
        SSLContext clientCtx = JdkDtlsPeer.context(null, server.root());
        String[] suites = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
        ArrayDeque<byte[]> toServer = new ArrayDeque<>();
        ArrayDeque<byte[]> toClient = new ArrayDeque<>();
        JdkDtlsPeer c = new JdkDtlsPeer(JdkDtlsPeer.engine(clientCtx, true, suites, 1400, false), toServer::add);
        JdkDtlsPeer s = new JdkDtlsPeer(JdkDtlsPeer.engine(serverCtx, false, suites, 1400, false), toClient::add);
        c.begin();
        s.begin();
        for (int i = 0; i < 200 && !(c.handshakeDone() && s.handshakeDone() && toServer.isEmpty() && toClient.isEmpty()); i++) {
            if (!toServer.isEmpty()) {
                s.receive(toServer.poll());
            } else if (!toClient.isEmpty()) {
                c.receive(toClient.poll());
            }
        }
        assertTrue(c.handshakeDone() && s.handshakeDone(), "handshake did not finish");
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        c.send(hello);
        s.receive(toServer.poll());
        assertArrayEquals(hello, s.poll());
    }
}
