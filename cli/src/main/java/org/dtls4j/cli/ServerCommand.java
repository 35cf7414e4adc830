package org.dtls4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsServer;
import org.dtls4j.KeyLogWriter;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.DtlsException;

/** {@code dtls server}: an echo server with cookies, until SIGINT/SIGTERM. */
final class ServerCommand {
    static final String HELP = """
            usage: dtls server --port P [options]

            Accepts DTLS 1.2 clients (with the RFC 6347 cookie exchange) and echoes every application
            datagram back unchanged, until stopped with Ctrl-C (SIGINT) or SIGTERM, which sends close_notify
            to every client first (exit status 0). If the server loop ever stops otherwise, the exit status is 1.

              --port P                  UDP port to listen on (0 = any free port; the chosen one is printed)
              --bind ADDR               local address to bind (default: all interfaces)
              --psk IDENTITY:HEXKEY     accept PSK suites for this identity and hex-encoded key
              --cert CERT.pem           certificate chain, leaf first (PEM X.509); needs --key
              --key KEY.pem             the certificate's private key (PEM PKCS#8: EC, RSA or Ed25519)
              --ciphers SUITE,...       IANA suite names, most preferred first
                                        (default: every suite the credentials can serve)
              --require-client-cert     demand a client certificate, validated against --ca
              --ca CA.pem               trusted issuers of client certificates (PEM X.509)
              --rpk KEY.pem             serve a raw public key (RFC 7250) instead of a certificate to
                                        clients that ask for one: KEY.pem is the PKCS#8 private key (EC
                                        P-256/P-384, Ed25519 or RSA); its public key is the PUBLIC KEY block
                                        of --rpk-pub, or of KEY.pem itself (the JDK cannot derive it)
              --rpk-pub PUB.pem         the public key for --rpk (openssl pkey -in KEY.pem -pubout)
              --rpk-trust PUB.pem       demand a client raw public key, one of the PUBLIC KEY blocks in
                                        PUB.pem (pinned); with --require-client-cert a certificate also does
            """ + Options.SRTP_HELP + Options.CID_HELP + SecretOptions.HELP + Options.TRACE_HELP + """
              --max-connections N       connections at once, established and half-open, 1..1000000
                                        (default 1024)
              --max-half-open N         handshakes in progress at once, 1..1000000 (default 64)
              --half-open-per-address N handshakes in progress from one address (IPv6: one /64) at once,
                                        1..--max-half-open (default a quarter of --max-half-open; raise
                                        it to load-test from a single host)
              --threads N               worker threads, each owning its connections, 1..1024 (default:
                                        the available processors)
              --help                    this text

            At least one of --psk, --cert/--key or --rpk is required. When SSLKEYLOGFILE is set, the key log
            lines of every session are appended to that file (for Wireshark; exposes the keys).
            """;

    private static final Set<String> VALUES = Set.of("cid", "port", "bind", "psk", "cert", "key", "ciphers", "ca", "rpk",
            "rpk-pub", "rpk-trust", "srtp", "half-open-per-address", "shared-secret", "secrets", "secret-rotation",
            "max-connections", "max-half-open", "threads");
    private static final Set<String> BOOLEANS = Set.of("require-client-cert", "help", "srtp-keys", "tickets", "trace");

    private ServerCommand() {
    }

    /**
     * @param started receives the running server (tests stop it through it); null means a real command,
     *     which installs a shutdown hook and runs until the process is told to stop
     */
    static int run(String[] args, PrintStream out, PrintStream err, Consumer<DtlsServer> started)
            throws UsageException, IOException {
        Args a = Args.parse(args, 1, VALUES, BOOLEANS);
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        int port = a.intValue("port", 0, 65535, -1);
        if (port < 0) {
            throw new UsageException("--port is required");
        }
        InetSocketAddress bind;
        try {
            bind = a.has("bind") ? new InetSocketAddress(InetAddress.getByName(a.get("bind")), port)
                    : new InetSocketAddress(port);
        } catch (UnknownHostException e) {
            throw new UsageException("--bind: unknown host " + a.get("bind"));
        }
        KeyLogWriter keyLog = KeyLogWriter.fromEnvironment();
        org.dtls4j.crypto.SharedSecrets shared = SecretOptions.shared(a);
        DtlsConfig config = config(a, keyLog, shared);
        DtlsServer server;
        try {
            DtlsServer.Builder builder = DtlsServer.builder(config).bind(bind).handler(new Echo(err, a))
                    .observer(Options.tracer(a, err));
            int halfOpen = a.intValue("max-half-open", 1, 1_000_000, 64);
            builder.maxConnections(a.intValue("max-connections", 1, 1_000_000, 1024)).maxHalfOpen(halfOpen);
            if (a.has("half-open-per-address")) {
                builder.maxHalfOpenPerAddress(a.intValue("half-open-per-address", 1, halfOpen, 16));
            }
            if (a.has("threads")) {
                builder.workers(a.intValue("threads", 1, 1024, 1));
            }
            server = (shared != null ? builder.sharedSecrets(shared) : builder).build();
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
        out.println("dtls server listening on " + server.localAddress() + " with " + Options.names(config.cipherSuites()));
        out.flush();
        try {
            if (started != null) {
                started.accept(server);
            } else {
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "dtls-server-shutdown"));
            }
            server.run();
        } finally {
            server.close();
            if (keyLog != null) {
                keyLog.close();
            }
        }
        err.println("dtls server stopped: " + server.stats());
        if (server.stopCause() != null) {
            // Only close() (Ctrl-C, SIGTERM) is a normal end: anything else must not look like success.
            err.println("dtls server: the server loop stopped unexpectedly: " + server.stopCause());
            return 1;
        }
        return 0;
    }

    private static DtlsConfig config(Args a, KeyLogWriter keyLog, org.dtls4j.crypto.SharedSecrets shared)
            throws UsageException {
        DtlsConfig.Builder b = DtlsConfig.builder();
        if (!a.has("psk") && !a.has("cert") && !a.has("rpk")) {
            throw new UsageException("give --psk IDENTITY:HEXKEY and/or --cert CERT.pem --key KEY.pem and/or --rpk KEY.pem");
        }
        if (a.has("psk")) {
            Options.Psk psk = Options.psk(a.get("psk"));
            b.pskStore(id -> Arrays.equals(id, psk.identity()) ? psk.key().clone() : null);
        }
        Options.certificate(a, b);
        Options.rawPublicKey(a, b);
        if (a.has("rpk-trust")) {
            Options.rawTrust(a.get("rpk-trust"), b);
            b.clientAuth(ClientAuth.REQUIRED);
        }
        if (a.has("require-client-cert")) {
            if (!a.has("ca")) {
                throw new UsageException("--require-client-cert needs --ca CA.pem");
            }
            Options.trust(a.get("ca"), b);
            b.clientAuth(ClientAuth.REQUIRED);
        } else if (a.has("ca")) {
            throw new UsageException("--ca on the server only goes with --require-client-cert");
        }
        Options.srtp(a, b);
        Options.connectionId(a, b);
        SecretOptions.tickets(a, shared, b);
        return Options.finish(a, b, keyLog);
    }

    /** Echoes data back and logs connections to standard error. */
    private record Echo(PrintStream log, Args options) implements DtlsServer.Handler {
        @Override
        public void onConnected(DtlsServer server, InetSocketAddress peer, HandshakeResult result) {
            String who = Options.peer(result);
            log.println("connected: " + peer + " " + result.suite().name() + " (" + who + ")"
                    + (result.resumed() ? " resumed" : ""));
            Options.printSrtp(options, log, peer + " ", result,
                    (label, context, length) -> server.exportKeyingMaterial(peer, label, context, length));
        }

        @Override
        public void onData(DtlsServer server, InetSocketAddress peer, byte[] data) {
            server.send(peer, data);
        }

        @Override
        public void onClosed(DtlsServer server, InetSocketAddress peer, DtlsException cause) {
            log.println("closed: " + peer + (cause == null ? "" : " (" + cause.getMessage() + ")"));
        }
    }
}
