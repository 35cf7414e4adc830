package org.dtls4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DatagramFilter;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.DtlsServer;
import org.dtls4j.KeyLogWriter;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.handshake.config.RetransmitConfig;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.RecordPeek;

/**
 * {@code dtls demo}: a server and a client on loopback, an in-memory self-signed ECDSA certificate, 20% of
 * the datagrams dropped in each direction by a seeded dropper, a trace of flights and retransmissions, and
 * an echo. Needs no arguments and no files.
 */
final class DemoCommand {
    static final String HELP = """
            usage: dtls demo [--cid]

            Runs a DTLS 1.2 server and client on 127.0.0.1 in this process: the server has a self-signed
            ECDSA P-256 certificate for "localhost" made in memory, which the client trusts; a seeded
            dropper loses 20% of the datagrams in each direction, so the trace shows flights being
            retransmitted; then the client sends three messages and waits for their echoes (resending a
            message whose echo was lost). Exits 0 when every echo came back. No files.

              --cid    negotiate Connection IDs (RFC 9146) and put a toy NAT between client and server
                       that moves the client to a new port after the second echo: the server's trace
                       shows the peer moving under its CID, and the third message needs no new handshake
            """;

    static final double LOSS = 0.20;
    private static final Duration HANDSHAKE_TIMER = Duration.ofMillis(250);
    private static final Duration ECHO_WAIT = Duration.ofMillis(500);
    /** Seeds whose first draws lose the server's second flight and the client's final flight. */
    private static final long SERVER_SEED = 5;
    private static final long CLIENT_SEED = 10;
    private static final List<String> MESSAGES = List.of("hello, DTLS", "each line is one datagram", "goodbye");

    private DemoCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        boolean cid = args.length == 2 && args[1].equals("--cid");
        if (args.length > 1 && !cid) {
            if (args.length == 2 && args[1].equals("--help")) {
                out.print(HELP);
                return 0;
            }
            throw new UsageException("dtls demo takes no arguments but --cid");
        }
        SelfSignedCertificate.Identity id;
        try {
            id = SelfSignedCertificate.create("localhost", Duration.ofDays(1));
        } catch (GeneralSecurityException e) {
            err.println("dtls demo: cannot make a certificate: " + e);
            return 1;
        }
        out.println("dtls demo: a DTLS 1.2 server and client on 127.0.0.1; " + (int) (LOSS * 100)
                + "% of datagrams lost each way (seeded); handshake timer starts at " + HANDSHAKE_TIMER.toMillis() + " ms");
        out.println("certificate: " + id.certificate().getSubjectX500Principal().getName()
                + ", ECDSA P-256, self-signed in memory");
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        RetransmitConfig timers = RetransmitConfig.defaults().withInitialTimeoutNanos(HANDSHAKE_TIMER.toNanos());
        KeyLogWriter keyLog = KeyLogWriter.fromEnvironment();
        DtlsConfig serverConfig = DtlsConfig.builder().certificate(id.keyPair().getPrivate(), id.certificate())
                .cipherSuites(suite).retransmit(timers).keyLog(keyLog).connectionIdLength(cid ? 8 : -1).build();
        DtlsConfig clientConfig = DtlsConfig.builder().trustedCertificates(id.certificate()).serverName("localhost")
                .cipherSuites(suite).retransmit(timers).keyLog(keyLog).connectionIdLength(cid ? 4 : -1).build();
        Trace trace = new Trace(out, System.nanoTime());
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (DtlsServer server = DtlsServer.builder(serverConfig).bind(loopback)
                .handler((srv, peer, data) -> srv.send(peer, data))
                .observer(trace.listener("server")).sendFilter(trace.dropper("server", SERVER_SEED)).start()) {
            int code;
            if (cid) {
                try (NatRelay nat = new NatRelay(server.localAddress())) {
                    trace.event("nat", "client appears to the server as " + nat.outsideAddress());
                    code = clientSide(clientConfig, nat.insideAddress(), nat, trace, out, err);
                }
            } else {
                code = clientSide(clientConfig, server.localAddress(), null, trace, out, err);
            }
            DtlsServer.Stats s = server.stats();
            trace.event("server", "stats: " + s.handshakesCompleted() + " handshake(s), " + s.helloVerifyRequests()
                    + " HelloVerifyRequest(s), " + s.datagramsIn() + " datagrams in, " + s.datagramsOut() + " out");
            out.println("dropped by the simulated loss: " + trace.dropped + " datagram(s)");
            return code;
        } finally {
            if (keyLog != null) {
                keyLog.close();
            }
        }
    }

    private static int clientSide(DtlsConfig config, InetSocketAddress server, NatRelay nat, Trace trace,
                                  PrintStream out, PrintStream err) throws IOException {
        try (DtlsClient client = DtlsClient.builder(config, server).observer(trace.listener("client"))
                .sendFilter(trace.dropper("client", CLIENT_SEED)).connect(Duration.ofSeconds(60))) {
            out.println("handshake complete: " + client.handshakeResult().suite().name() + ", server certificate "
                    + client.handshakeResult().peerCertificates().get(0).getSubjectX500Principal().getName());
            for (String message : MESSAGES) {
                if (nat != null && message.equals(MESSAGES.get(MESSAGES.size() - 1))) {
                    nat.rebind();
                    trace.event("nat", "REBINDING: the client now appears as " + nat.outsideAddress()
                            + " (same DTLS connection, same CID)");
                }
                if (!echo(client, message, trace)) {
                    err.println("dtls demo: no echo of \"" + message + "\" after 10 tries");
                    return 1;
                }
            }
            trace.event("client", "close_notify");
            return 0;
        } catch (DtlsException e) {
            err.println("dtls demo: failed with alert " + e.alert().name() + ": " + e.getMessage());
            return 1;
        } catch (SocketTimeoutException e) {
            err.println("dtls demo: timeout: " + e.getMessage());
            return 1;
        }
    }

    /** DTLS does not retransmit application data: the demo resends a message whose echo does not come. */
    private static boolean echo(DtlsClient client, String message, Trace trace) throws IOException, DtlsException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        for (int attempt = 1; attempt <= 10; attempt++) {
            trace.event("client", "send \"" + message + "\"" + (attempt > 1 ? " (try " + attempt + ")" : ""));
            client.send(bytes);
            byte[] reply;
            while ((reply = client.receive(ECHO_WAIT)) != null) {
                String text = new String(reply, StandardCharsets.UTF_8);
                if (text.equals(message)) {
                    trace.event("client", "echo \"" + text + "\"");
                    return true;
                }
                trace.event("client", "late echo of an earlier try: \"" + text + "\"");
            }
            trace.event("client", "no echo within " + ECHO_WAIT.toMillis() + " ms: the datagram or its echo was lost");
        }
        return false;
    }

    /** Prints timestamped events from both sides and drops datagrams with a seeded random. */
    private static final class Trace {
        private final PrintStream out;
        private final long start;
        volatile int dropped;

        Trace(PrintStream out, long start) {
            this.out = out;
            this.start = start;
        }

        void event(String side, String text) {
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            out.printf("%6d ms  %-6s %s%n", ms, side, text);
        }

        DtlsListener listener(String side) {
            return new DtlsListener() {
                @Override
                public void onTrace(DtlsConnection c, String event) {
                    event(side, event);
                }

                @Override
                public void onClosed(DtlsConnection c, DtlsException cause) {
                    event(side, "connection closed" + (cause == null ? "" : ": " + cause.getMessage()));
                }
            };
        }

        DatagramFilter dropper(String side, long seed) {
            Random random = new Random(seed);
            return (buf, off, len, peer) -> {
                if (random.nextDouble() < LOSS) {
                    dropped++;
                    event(side, "LOST " + describe(buf, off, len) + " (" + len + " bytes)");
                    return false;
                }
                return true;
            };
        }

        /** The first record's content, for the trace: a peek at the record header and msg_type. */
        static String describe(byte[] b, int off, int len) {
            int type = RecordPeek.type(b, off, len);
            if (type == ContentType.HANDSHAKE && RecordPeek.epoch(b, off, len) == 0 && len > RecordPeek.HEADER_LENGTH) {
                return switch (b[off + RecordPeek.HEADER_LENGTH]) {
                    case HandshakeType.CLIENT_HELLO -> "ClientHello";
                    case HandshakeType.SERVER_HELLO -> "ServerHello...";
                    case HandshakeType.HELLO_VERIFY_REQUEST -> "HelloVerifyRequest";
                    case HandshakeType.CERTIFICATE -> "Certificate...";
                    case HandshakeType.SERVER_KEY_EXCHANGE -> "ServerKeyExchange...";
                    case HandshakeType.SERVER_HELLO_DONE -> "ServerHelloDone";
                    case HandshakeType.CLIENT_KEY_EXCHANGE -> "ClientKeyExchange...";
                    default -> "handshake fragment";
                };
            }
            return switch (type) {
                case ContentType.CHANGE_CIPHER_SPEC -> "ChangeCipherSpec...";
                case ContentType.ALERT -> "alert";
                case ContentType.HANDSHAKE -> "encrypted handshake (Finished)";
                case ContentType.APPLICATION_DATA -> "application data";
                default -> "datagram";
            };
        }
    }
}
