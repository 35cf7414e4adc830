package org.dtls4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dtls server --shared-secret/--secrets}: two servers with one secret resume each other's tickets. */
class SharedSecretServerTest {
    private static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final String PSK = "cli:0102030405060708090a0b0c0d0e0f10";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static InetSocketAddress address(MainTest.Server s) throws Exception {
        String[] hp = s.address().split(":");
        return new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
    }

    private static DtlsConfig client() {
        return DtlsConfig.builder().pskIdentity("cli".getBytes(StandardCharsets.UTF_8), Hex.decode("0102030405060708090a0b0c0d0e0f10"))
                .offerSessionTickets(true).build();
    }

    @Test
    void aTicketFromOneServerResumesOnAnotherWithTheSameSecret(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret.hex"), SECRET + "\n");
        try (MainTest.Server a = new MainTest.Server("--psk", PSK, "--shared-secret", SECRET);
             MainTest.Server b = new MainTest.Server("--psk", PSK, "--secrets", file.toString())) {
            HandshakeResult first;
            try (DtlsClient c = DtlsClient.connect(client(), address(a), TIMEOUT)) {
                first = c.handshakeResult();
            }
            assertFalse(first.resumed());
            assertNotNull(first.session().ticket(), "--shared-secret turns tickets on");
            try (DtlsClient c = DtlsClient.builder(client(), address(b)).resume(first.session()).connect(TIMEOUT)) {
                assertTrue(c.handshakeResult().resumed(), "server B resumed server A's ticket");
                c.send("ping".getBytes(StandardCharsets.US_ASCII));
                assertEquals("ping", new String(c.receive(TIMEOUT), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void aTicketFromAServerWithItsOwnKeysDoesNotResumeElsewhere() throws Exception {
        try (MainTest.Server a = new MainTest.Server("--psk", PSK, "--tickets");
             MainTest.Server b = new MainTest.Server("--psk", PSK, "--tickets")) {
            HandshakeResult first;
            try (DtlsClient c = DtlsClient.connect(client(), address(a), TIMEOUT)) {
                first = c.handshakeResult();
            }
            assertNotNull(first.session().ticket());
            try (DtlsClient c = DtlsClient.builder(client(), address(b)).resume(first.session()).connect(TIMEOUT)) {
                assertFalse(c.handshakeResult().resumed());
            }
            try (DtlsClient c = DtlsClient.builder(client(), address(a)).resume(first.session()).connect(TIMEOUT)) {
                assertTrue(c.handshakeResult().resumed());
            }
        }
    }

    @Test
    void shortOrNonHexSecretsAreUsageErrors() {
        assertEquals(2, MainTest.run("", "server", "--port", "0", "--psk", PSK, "--shared-secret", "0011").code());
        assertEquals(2, MainTest.run("", "server", "--port", "0", "--psk", PSK, "--shared-secret", "xyz").code());
    }
}
