package org.dtls4j.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code dtls} command run in-process with captured streams. */
class MainTest {
    private static final String PSK = "id:0102030405060708090a0b0c0d0e0f10";

    /** One run's exit code and streams. */
    record Run(int code, String out, String err) {
    }

    static Run run(String stdin, String... args) {
        return run(stdin, null, args);
    }

    static Run run(String stdin, java.util.function.Consumer<DtlsServer> started, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(UTF_8));
        int code = Main.run(args, in, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8), started);
        return new Run(code, out.toString(UTF_8), err.toString(UTF_8));
    }

    /** A `dtls server` on 127.0.0.1, port 0, running on another thread until the test closes it. */
    static final class Server implements AutoCloseable {
        final CompletableFuture<DtlsServer> server = new CompletableFuture<>();
        final CompletableFuture<Run> result;

        Server(String... options) {
            String[] args = new String[options.length + 5];
            args[0] = "server";
            args[1] = "--port";
            args[2] = "0";
            args[3] = "--bind";
            args[4] = "127.0.0.1";
            System.arraycopy(options, 0, args, 5, options.length);
            result = CompletableFuture.supplyAsync(() -> run("", server::complete, args));
        }

        String address() throws Exception {
            CompletableFuture.anyOf(server, result).get(10, TimeUnit.SECONDS);
            InetSocketAddress a = server.getNow(null).localAddress();
            return "127.0.0.1:" + a.getPort();
        }

        @Override
        public void close() throws Exception {
            server.get(10, TimeUnit.SECONDS).close();
            assertEquals(0, result.get(10, TimeUnit.SECONDS).code());
        }
    }

    @Test
    void noArgumentsPrintsUsageAndExits2() {
        Run r = run("");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("usage: dtls"));
    }

    @Test
    void helpOfEachCommandExplainsEveryFlag() {
        Run server = run("", "server", "--help");
        assertEquals(0, server.code());
        for (String flag : new String[] {"--port", "--bind", "--psk", "--cert", "--key", "--ciphers",
                "--require-client-cert", "--ca", "--srtp", "--srtp-keys", "--rpk", "--rpk-pub", "--rpk-trust", "--cid"}) {
            assertTrue(server.out().contains(flag), flag);
        }
        Run client = run("", "client", "--help");
        assertEquals(0, client.code());
        for (String flag : new String[] {"--connect", "--psk", "--ca", "--cert", "--key", "--ciphers", "--insecure",
                "--timeout", "--srtp", "--srtp-keys", "--rpk-trust", "--rpk", "--rpk-pub", "--cid"}) {
            assertTrue(client.out().contains(flag), flag);
        }
        Run demo = run("", "demo", "--help");
        assertEquals(0, demo.code());
        assertTrue(demo.out().contains("20%"));
    }

    @Test
    void argumentErrorsExit2WithAOneLineReason() {
        assertUsageError(run("", "bogus"), "unknown command");
        assertUsageError(run("", "server", "--psk", PSK), "--port is required");
        assertUsageError(run("", "server", "--port", "0"), "--psk");
        assertUsageError(run("", "server", "--port", "0", "--psk", "id:zz"), "not hex");
        assertUsageError(run("", "server", "--port", "0", "--psk", PSK, "--frobnicate"), "unknown option --frobnicate");
        assertUsageError(run("", "client", "--connect", "127.0.0.1:1", "--psk", PSK, "--ciphers", "TLS_NOPE"),
                "unknown cipher suite");
        assertUsageError(run("", "client", "--connect", "127.0.0.1"), "HOST:PORT");
        assertUsageError(run("", "client", "--connect=127.0.0.1:99999"), "port");
        assertUsageError(run("", "server", "--port", "0", "--cert", "x.pem"), "--cert and --key go together");
        assertUsageError(run("", "demo", "extra"), "no arguments");
        assertUsageError(run("", "server", "--port", "0", "--psk", PSK, "--require-client-cert"),
                "--require-client-cert needs --ca");
    }

    private static void assertUsageError(Run r, String reason) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(reason), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void clientSendsEachLineAndPrintsEachEchoOverLoopback() throws Exception {
        try (Server server = new Server("--psk", PSK)) {
            Run r = run("first line\nsecond line\n", "client", "--connect", server.address(), "--psk", PSK);
            assertEquals(0, r.code(), r.err());
            assertEquals("first line\nsecond line\n", r.out().replace("\r\n", "\n"));
        }
    }

    @Test
    void traceFlagPrintsTheEventsOneALineOnBothSides() throws Exception {
        Server server = new Server("--psk", PSK, "--trace");
        Run client;
        try (server) {
            client = run("traced\n", "client", "--connect", server.address(), "--psk", PSK, "--trace");
            assertEquals(0, client.code(), client.err());
        }
        List<String> events = client.err().lines().filter(l -> l.startsWith("event ")).toList();
        assertTrue(events.get(0).startsWith("event HandshakeStarted[peer=/127.0.0.1:"), client.err());
        assertTrue(events.get(1).startsWith("event HandshakeCompleted["), client.err());
        assertTrue(events.get(1).contains("_PSK_WITH_"), client.err());
        assertTrue(events.stream().anyMatch(l -> l.contains("AlertSent") && l.contains("close_notify")), client.err());
        String serverLog = server.result.get(10, TimeUnit.SECONDS).err();
        assertTrue(serverLog.contains("event HandshakeCompleted["), serverLog);
    }

    @Test
    void cidFlagNegotiatesConnectionIdsOfTheAskedLengths() throws Exception {
        Server server = new Server("--psk", PSK, "--trace", "--cid", "8");
        Run client;
        try (server) {
            client = run("with cid\n", "client", "--connect", server.address(), "--psk", PSK, "--trace", "--cid", "4");
            assertEquals(0, client.code(), client.err());
            assertEquals("with cid\n", client.out().replace("\r\n", "\n"));
        }
        assertTrue(client.err().contains("HandshakeCompleted[") && client.err().contains("cid=4 bytes"), client.err());
        String serverLog = server.result.get(10, TimeUnit.SECONDS).err();
        assertTrue(serverLog.contains("cid=8 bytes"), serverLog);
        assertUsageError(run("", "client", "--connect", "127.0.0.1:1", "--psk", PSK, "--cid", "256"), "--cid must be 0..255");
        assertUsageError(run("", "server", "--port", "0", "--psk", PSK, "--cid", "eight"), "--cid must be a number");
    }

    @Test
    void demoWithCidShowsARebindingUnderTheSameConnection() {
        Run r = run("", "demo", "--cid");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("REBINDING"), r.out());
        assertTrue(r.out().contains("server peer moved from /127.0.0.1:"), r.out());
        assertTrue(r.out().contains("echo \"goodbye\""), r.out());
        assertTrue(r.out().contains("1 handshake(s)"), "no second handshake; " + r.out());
    }

    @Test
    void srtpProfileAndKeyingMaterialArePrintedAlikeByClientAndServer() throws Exception {
        Server server = new Server("--psk", PSK, "--srtp", "SRTP_AEAD_AES_128_GCM,SRTP_AES128_CM_HMAC_SHA1_80",
                "--srtp-keys");
        Run client;
        try (server) {
            client = run("ping\n", "client", "--connect", server.address(), "--psk", PSK,
                    "--srtp", "SRTP_AES128_CM_SHA1_80,SRTP_AES128_CM_SHA1_32", "--srtp-keys");
            assertEquals(0, client.code(), client.err());
            assertEquals("ping\n", client.out().replace("\r\n", "\n"));
        }
        assertTrue(client.err().contains("srtp profile: SRTP_AES128_CM_HMAC_SHA1_80"), client.err());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("srtp keying material: ([0-9a-f]+)")
                .matcher(client.err());
        assertTrue(m.find(), client.err());
        assertEquals(120, m.group(1).length(), "60 bytes for a CM profile");
        String serverLog = server.result.get(10, TimeUnit.SECONDS).err();
        assertTrue(serverLog.contains("srtp profile: SRTP_AES128_CM_HMAC_SHA1_80"), serverLog);
        assertTrue(serverLog.contains("srtp keying material: " + m.group(1)), "both sides export the same bytes");

        assertUsageError(run("", "client", "--connect", "127.0.0.1:1", "--psk", PSK, "--srtp-keys"), "--srtp-keys needs");
        assertUsageError(run("", "server", "--port", "0", "--psk", PSK, "--srtp", "SRTP_NOPE"), "unknown SRTP profile");
    }

    @Test
    void certificateServerAndClientFromPemFiles(@TempDir Path dir) throws Exception {
        SelfSignedCertificate.Identity id = SelfSignedCertificate.create("localhost", Duration.ofDays(1));
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, Pem.encode("CERTIFICATE", id.certificate().getEncoded()));
        Files.writeString(key, Pem.encode("PRIVATE KEY", id.keyPair().getPrivate().getEncoded()));
        try (Server server = new Server("--cert", cert.toString(), "--key", key.toString(),
                "--ciphers", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
            String port = server.address().substring("127.0.0.1:".length());
            Run r = run("signed\n", "client", "--connect", "localhost:" + port, "--ca", cert.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals("signed", r.out().strip());
            assertTrue(r.err().contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        }
    }

    /** Writes a fresh key pair of {@code algorithm} (EC P-256 or Ed25519): PKCS#8 key and PUBLIC KEY files. */
    private static java.security.KeyPair writeKeyPair(Path key, Path pub, String algorithm) throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        }
        java.security.KeyPair pair = g.generateKeyPair();
        Files.writeString(key, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(pub, Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()));
        return pair;
    }

    @Test
    void rawPublicKeyServerPinnedByTheClient(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Path pub = dir.resolve("pub.pem");
        writeKeyPair(key, pub, "EC");
        try (Server server = new Server("--rpk", key.toString(), "--rpk-pub", pub.toString())) {
            Run r = run("raw\n", "client", "--connect", server.address(), "--rpk-trust", pub.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals("raw", r.out().strip());
            assertTrue(r.err().contains("raw EC key, SPKI SHA-256"), r.err());
            // Another pinned key: the client refuses the server's key.
            Path other = dir.resolve("other.pem");
            writeKeyPair(dir.resolve("other-key.pem"), other, "EC");
            Run refused = run("x\n", "client", "--connect", server.address(), "--rpk-trust", other.toString());
            assertEquals(1, refused.code());
            assertTrue(refused.err().contains("certificate_unknown"), refused.err());
        }
    }

    @Test
    void rawPublicKeysBothWaysWithEd25519AndTheKeyFileHoldingItsPublicKey(@TempDir Path dir) throws Exception {
        Path serverKey = dir.resolve("server-key.pem");
        Path serverPub = dir.resolve("server-pub.pem");
        writeKeyPair(serverKey, serverPub, "Ed25519");
        Files.writeString(serverKey, Files.readString(serverKey) + Files.readString(serverPub));
        Path clientKey = dir.resolve("client-key.pem");
        Path clientPub = dir.resolve("client-pub.pem");
        writeKeyPair(clientKey, clientPub, "Ed25519");
        try (Server server = new Server("--rpk", serverKey.toString(), "--rpk-trust", clientPub.toString())) {
            Run r = run("both\n", "client", "--connect", server.address(), "--rpk-trust", serverPub.toString(),
                    "--rpk", clientKey.toString(), "--rpk-pub", clientPub.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals("both", r.out().strip());
            // Without its own key the client cannot satisfy the server.
            Run anonymous = run("x\n", "client", "--connect", server.address(), "--rpk-trust", serverPub.toString());
            assertEquals(1, anonymous.code());
            assertTrue(anonymous.err().contains("handshake_failure"), anonymous.err());
        }
        assertUsageError(run("", "server", "--port", "0", "--rpk", clientKey.toString()), "no PUBLIC KEY block");
        assertUsageError(run("", "server", "--port", "0", "--rpk", clientKey.toString(), "--rpk-pub",
                serverPub.toString()), "does not belong");
    }

    @Test
    void wrongPskExits1WithTheAlert() throws Exception {
        try (Server server = new Server("--psk", PSK)) {
            Run r = run("x\n", "client", "--connect", server.address(), "--psk", "id:ffffffffffffffffffffffffffffffff");
            assertEquals(1, r.code());
            assertTrue(r.err().contains("alert"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void silentServerExits1WithTimeout() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Run r = run("x\n", "client", "--connect", "127.0.0.1:" + silent.getLocalPort(), "--psk", PSK,
                    "--timeout", "1");
            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("dtls client: timeout"), r.err());
        }
    }

    @Test
    void demoExits0AndTracesFlightsLossAndRetransmissions() {
        Run r = run("", "demo");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sending flight: client_hello"), r.out());
        assertTrue(r.out().contains("LOST"), r.out());
        assertTrue(r.out().contains("retransmitting flight"), r.out());
        assertTrue(r.out().contains("echo \"goodbye\""), r.out());
    }

    @Test
    void serverExitsNonZeroWhenItsLoopStopsOtherwiseThanByClose() throws Exception {
        CompletableFuture<DtlsServer> started = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<Run> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread loop = new Thread(() -> result.set(run("", started::complete,
                "server", "--port", "0", "--bind", "127.0.0.1", "--psk", PSK)), "dtls-server-under-test");
        loop.start();
        started.get(10, TimeUnit.SECONDS);
        // Anything but close() ending the loop: here an interrupt of the thread that runs it.
        loop.interrupt();
        loop.join(10_000);
        assertTrue(!loop.isAlive(), "the command returned");
        assertEquals(1, result.get().code(), result.get().err());
        assertTrue(result.get().err().contains("stopped unexpectedly"), result.get().err());
    }

    @Test
    void serverTakesTheHalfOpenShareOfOneAddress() throws Exception {
        try (Server server = new Server("--psk", PSK, "--half-open-per-address", "4")) {
            server.address();
            assertEquals(4, server.server.get(10, TimeUnit.SECONDS).stats().maxHalfOpenPerAddress());
        }
        Run r = run("", "server", "--port", "0", "--psk", PSK, "--half-open-per-address", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--half-open-per-address must be 1..64"), r.err());
    }

    @Test
    void serverTakesItsCapsAndWorkerThreads() throws Exception {
        try (Server server = new Server("--psk", PSK, "--max-connections", "100000", "--max-half-open", "20000",
                "--threads", "2")) {
            server.address();
            org.dtls4j.DtlsServer s = server.server.get(10, TimeUnit.SECONDS);
            assertEquals(100_000, s.stats().maxConnections());
            assertEquals(20_000, s.stats().maxHalfOpen());
            assertEquals(5_000, s.stats().maxHalfOpenPerAddress(), "a quarter of the half-open slots");
            assertEquals(2, s.workers());
        }
        Run r = run("", "server", "--port", "0", "--psk", PSK, "--threads", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--threads must be 1..1024"), r.err());
    }
}
