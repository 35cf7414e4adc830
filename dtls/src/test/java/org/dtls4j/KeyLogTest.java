package org.dtls4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyBlock;
import org.dtls4j.crypto.KeySchedule;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NSS key log: format, the ClientHello's random, and a master secret that really decrypts the traffic. */
class KeyLogTest {
    private static final Pattern LINE = Pattern.compile("CLIENT_RANDOM ([0-9a-f]{64}) ([0-9a-f]{96})");
    private static final CipherSuite SUITE = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;

    @Test
    void keyLogLineNamesTheClientRandomAndDecryptsACapturedRecord(@TempDir Path dir) throws Exception {
        Path clientLog = dir.resolve("client.keys");
        Path serverLog = dir.resolve("server.keys");
        List<byte[]> fromClient = new CopyOnWriteArrayList<>();
        List<byte[]> fromServer = new CopyOnWriteArrayList<>();
        byte[] message = "a secret for wireshark".getBytes(UTF_8);
        try (KeyLogWriter clientKeys = KeyLogWriter.open(clientLog);
             KeyLogWriter serverKeys = KeyLogWriter.open(serverLog);
             DtlsServer server = DtlsServer.builder(TestConfigs.pskServer(SUITE).keyLog(serverKeys).build())
                     .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                     .handler((srv, peer, data) -> srv.send(peer, data))
                     .sendFilter(capture(fromServer)).start();
             DtlsClient client = DtlsClient.builder(TestConfigs.pskClient(SUITE).keyLog(clientKeys).build(),
                     server.localAddress()).sendFilter(capture(fromClient)).connect(Duration.ofSeconds(10))) {
            client.send(message);
            assertNotNull(client.receive(Duration.ofSeconds(10)));
        }
        List<String> lines = Files.readAllLines(clientLog);
        assertEquals(1, lines.size());
        assertEquals(lines, Files.readAllLines(serverLog), "both sides log the same session");
        Matcher m = LINE.matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        byte[] clientRandom = Hex.decode(m.group(1));
        byte[] masterSecret = Hex.decode(m.group(2));

        byte[] clientHello = first(fromClient, 22, 1);
        assertEquals(Hex.encode(Arrays.copyOfRange(clientHello, 27, 59)), m.group(1), "the ClientHello's random");
        byte[] serverHello = first(fromServer, 22, 2);
        byte[] serverRandom = Arrays.copyOfRange(serverHello, 27, 59);

        byte[] record = fromClient.stream().filter(d -> d[0] == 23).findFirst().orElseThrow();
        KeyBlock keys = KeySchedule.keyBlock(SUITE, masterSecret, clientRandom, serverRandom);
        RecordCipher cipher = RecordCipher.create(SUITE.aead(), keys.clientWriteKey(), keys.clientWriteIv());
        int fragment = ((record[11] & 0xff) << 8) | (record[12] & 0xff);
        byte[] aad = new byte[13];
        System.arraycopy(record, 3, aad, 0, 8);                  // epoch || sequence_number
        System.arraycopy(record, 0, aad, 8, 3);                  // type, version
        int plainLength = fragment - SUITE.aead().overhead();
        aad[11] = (byte) (plainLength >>> 8);
        aad[12] = (byte) plainLength;
        long seq = 0;
        for (int i = 3; i < 11; i++) {
            seq = (seq << 8) | (record[i] & 0xff);
        }
        byte[] plain = new byte[fragment];
        int n = cipher.open(seq, aad, 0, aad.length, record, 13, fragment, plain, 0);
        assertEquals(new String(message, UTF_8), new String(plain, 0, n, UTF_8));
    }

    private static DatagramFilter capture(List<byte[]> into) {
        return (buf, off, len, peer) -> {
            into.add(Arrays.copyOfRange(buf, off, off + len));
            return true;
        };
    }

    /** The first captured datagram whose first record is an epoch-0 {@code type} record starting {@code msgType}. */
    private static byte[] first(List<byte[]> datagrams, int type, int msgType) {
        return datagrams.stream()
                .filter(d -> d.length > 59 && d[0] == type && d[3] == 0 && d[4] == 0 && d[13] == msgType)
                .findFirst().orElseThrow();
    }

    @Test
    void newKeyLogFileIsReadableByItsOwnerOnlyAndLinesAreAppended(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys");
        try (KeyLogWriter w = KeyLogWriter.open(file)) {
            w.accept("CLIENT_RANDOM 00 11");
        }
        try (KeyLogWriter w = KeyLogWriter.open(file)) {
            w.accept("CLIENT_RANDOM 22 33");
        }
        assertEquals(List.of("CLIENT_RANDOM 00 11", "CLIENT_RANDOM 22 33"), Files.readAllLines(file));
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file)));
        }
    }
}
