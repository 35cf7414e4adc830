package org.dtls4j.interop.real;

import static org.dtls4j.interop.real.OpenSslSocketInteropTest.concat;
import static org.dtls4j.interop.real.OpenSslSocketInteropTest.run;
import static org.dtls4j.interop.real.OpenSslSocketInteropTest.startServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.DtlsConfig;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionTickets;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jClient;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jServer;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 5077 session tickets against OpenSSL's command line over loopback UDP, both ways. The servers keep no
 * session cache (s_server {@code -no_cache}; ours has none), so the second handshake can only resume by
 * ticket.
 */
class OpenSslTicketInteropTest {
    private static final String PSK_IDENTITY = "client-1";
    private static final byte[] PSK = Hex.decode("00112233445566778899aabbccddeeff");
    private static final PskStore PSK_STORE =
            id -> Arrays.equals(id, PSK_IDENTITY.getBytes(StandardCharsets.UTF_8)) ? PSK.clone() : null;
    private static final CipherSuite SUITE = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;
    private static final String OPENSSL_SUITE = "PSK-AES128-GCM-SHA256";

    @TempDir
    static Path dir;

    @BeforeAll
    static void prepare() {
        OpenSslProcess.requireOpenSsl();
    }

    @Test
    void dtls4jClientResumesByTicketWithOpenSslServer() {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(SUITE)
                .pskIdentity(PSK_IDENTITY.getBytes(StandardCharsets.UTF_8), PSK).offerSessionTickets(true).build();
        try (LoopbackDriver net = new LoopbackDriver();
             OpenSslProcess server = startServer(net, OPENSSL_SUITE, 2, List.of("-nocert", "-psk", Hex.encode(PSK),
                     "-psk_identity", PSK_IDENTITY, "-no_cache"))) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
            Dtls4jClient first = net.dtls4jClient(config, address);
            first.start();
            run(net, first.connection::isEstablished, "full handshake", server);
            assertFalse(first.result().resumed());
            Session session = first.result().session();
            assertNotNull(session.ticket(), () -> "s_server issued a ticket: " + first.trace());
            first.close();
            run(net, () -> server.hasLine("DONE"), "s_server sees the first close_notify", server);

            Dtls4jClient second = net.dtls4jClient(config, address, session);
            second.start();
            run(net, second.connection::isEstablished, "abbreviated handshake", server);
            assertTrue(second.result().resumed(), () -> "resumed: " + second.trace());
            second.send("after ticket\n".getBytes(StandardCharsets.US_ASCII));
            run(net, () -> server.hasLine("after ticket"), "s_server prints our line", server);
            assertTrue(server.hasLine("Reused session-id"), server::transcript);
        }
    }

    @Test
    void openSslClientResumesByTicketWithDtls4jServer() {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(SUITE).pskStore(PSK_STORE)
                .sessionTickets(SessionTickets.random(Duration.ofHours(1))).build();
        Path session = dir.resolve("s_client.session");
        try (LoopbackDriver net = new LoopbackDriver()) {
            Dtls4jServer server = net.dtls4jServer(config);
            List<String> args = List.of("s_client", "-dtls1_2", "-connect", "127.0.0.1:" + server.address().getPort(),
                    "-cipher", OPENSSL_SUITE, "-ign_eof", "-nocommands", "-psk", Hex.encode(PSK),
                    "-psk_identity", PSK_IDENTITY);
            try (OpenSslProcess first = OpenSslProcess.start(concat(args, "-sess_out", session.toString()))) {
                run(net, () -> server.handshakes() == 1 && first.hasLine(l -> l.startsWith("New, ")),
                        "full handshake", first);
                assertFalse(server.result().resumed());
                run(net, () -> first.hasLine(l -> l.contains("TLS session ticket:")), "s_client got a ticket", first);
                server.connection().close(System.nanoTime());
                run(net, () -> first.hasLine("closed"), "s_client reports our close_notify", first);
            }
            try (OpenSslProcess second = OpenSslProcess.start(concat(args, "-sess_in", session.toString()))) {
                run(net, () -> server.handshakes() == 2, "abbreviated handshake", second);
                assertTrue(server.result().resumed(), "our server resumed from the ticket alone");
                run(net, () -> second.hasLine(l -> l.startsWith("Reused, ")), "s_client reports reuse", second);
                second.type("after ticket");
                run(net, () -> !server.received.isEmpty(), "our server receives s_client's line", second);
                assertEquals("after ticket\n", new String(server.poll(), StandardCharsets.US_ASCII));
            }
        }
    }
}
