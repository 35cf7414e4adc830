package org.dtls4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.KeyLogWriter;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.DtlsException;

/** {@code dtls client}: lines of standard input out as datagrams, replies back as lines. */
final class ClientCommand {
    static final String HELP = """
            usage: dtls client --connect HOST:PORT [options]

            Handshakes with a DTLS 1.2 server, then sends each line of standard input as one datagram and
            prints each reply as one line on standard output. Exits 0 after the reply to the last line
            (and close_notify); on failure it exits 1 with a one-line reason on standard error.

            Loss: DTLS does not retransmit application data. Each line is sent once and its reply awaited
            for --timeout; a missing reply (the datagram or its echo was lost, or the server is gone) ends
            the client with exit 1 ("no reply ..."). The handshake itself retransmits with backoff and must
            complete within --timeout too.

              --connect HOST:PORT       the server ([IPv6]:PORT also works)
              --psk IDENTITY:HEXKEY     offer PSK suites with this identity and hex-encoded key
              --ca CA.pem               trust these issuers for the server certificate (PEM X.509);
                                        without --ca and --insecure the JDK's default trust store is used.
                                        A HOST name (not an IP literal) must be named by the certificate.
              --cert CERT.pem           client certificate chain, leaf first, for servers that ask; needs --key
              --key KEY.pem             its private key (PEM PKCS#8: EC, RSA or Ed25519)
              --ciphers SUITE,...       IANA suite names, most preferred first
                                        (default: every suite the credentials allow)
              --rpk-trust PUB.pem       ask the server for a raw public key (RFC 7250) and accept only one
                                        of the PUBLIC KEY blocks in PUB.pem (pinned); with --ca or
                                        --insecure a certificate is still accepted from servers without one
              --rpk KEY.pem             present a raw public key to servers that ask for a client key:
                                        PKCS#8 private key, public key from --rpk-pub or a PUBLIC KEY block
                                        in KEY.pem (the JDK cannot derive it)
              --rpk-pub PUB.pem         the public key for --rpk (openssl pkey -in KEY.pem -pubout)
              --insecure                accept any server certificate (testing only)
              --timeout SECONDS         handshake and per-reply timeout (default 5)
            """ + Options.SRTP_HELP + Options.CID_HELP + Options.TRACE_HELP + """
              --help                    this text

            When SSLKEYLOGFILE is set, the session's key log line is appended to that file (for Wireshark;
            exposes the keys).
            """;

    private static final Set<String> VALUES = Set.of("cid", "connect", "psk", "ca", "cert", "key", "ciphers", "timeout",
            "srtp", "rpk", "rpk-pub", "rpk-trust");
    private static final Set<String> BOOLEANS = Set.of("insecure", "help", "srtp-keys", "trace");

    private ClientCommand() {
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws UsageException, IOException {
        Args a = Args.parse(args, 1, VALUES, BOOLEANS);
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        String hostPort = a.require("connect");
        String host = host(hostPort);
        InetSocketAddress server;
        try {
            server = new InetSocketAddress(InetAddress.getByName(host), port(hostPort));
        } catch (UnknownHostException e) {
            throw new UsageException("--connect: unknown host " + host);
        }
        Duration timeout = Duration.ofSeconds(a.intValue("timeout", 1, 3600, 5));
        KeyLogWriter keyLog = KeyLogWriter.fromEnvironment();
        try {
            DtlsConfig config = config(a, host, keyLog);
            return session(a, config, server, timeout, in, out, err);
        } finally {
            if (keyLog != null) {
                keyLog.close();
            }
        }
    }

    private static int session(Args a, DtlsConfig config, InetSocketAddress server, Duration timeout, InputStream in,
                               PrintStream out, PrintStream err) throws IOException {
        try (DtlsClient client = DtlsClient.builder(config, server).observer(Options.tracer(a, err))
                .connect(timeout)) {
            HandshakeResult result = client.handshakeResult();
            err.println("connected to " + server + " with " + result.suite().name()
                    + (result.peerUsedRawPublicKey() ? " (" + Options.peer(result) + ")" : ""));
            Options.printSrtp(a, err, "", result, client::exportKeyingMaterial);
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int n = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                n++;
                client.send(line.getBytes(StandardCharsets.UTF_8));
                byte[] reply = client.receive(timeout);
                if (reply == null) {
                    err.println("dtls client: " + (client.isClosed() ? "the server closed the connection"
                            : "no reply to line " + n + " within " + timeout.toSeconds() + " s"));
                    return 1;
                }
                out.println(new String(reply, StandardCharsets.UTF_8));
                out.flush();
            }
            return 0;
        } catch (DtlsException e) {
            err.println("dtls client: " + (e.receivedFromPeer() ? "the server sent alert " : "failed with alert ")
                    + e.alert().name() + ": " + e.getMessage());
            return 1;
        } catch (SocketTimeoutException e) {
            err.println("dtls client: timeout: " + e.getMessage());
            return 1;
        }
    }

    private static DtlsConfig config(Args a, String host, KeyLogWriter keyLog) throws UsageException {
        DtlsConfig.Builder b = DtlsConfig.builder();
        if (a.has("psk")) {
            Options.Psk psk = Options.psk(a.get("psk"));
            b.pskIdentity(psk.identity(), psk.key());
        }
        if (a.has("insecure") && a.has("ca")) {
            throw new UsageException("--insecure and --ca exclude each other");
        }
        if (a.has("insecure")) {
            b.insecureSkipCertificateValidation(true);
        } else if (a.has("ca")) {
            Options.trust(a.get("ca"), b);
        }
        if (!isIpLiteral(host)) {
            b.serverName(host);
        }
        Options.certificate(a, b);
        Options.srtp(a, b);
        Options.connectionId(a, b);
        Options.rawPublicKey(a, b);
        if (a.has("rpk-trust")) {
            Options.rawTrust(a.get("rpk-trust"), b);
        }
        return Options.finish(a, b, keyLog);
    }

    static String host(String hostPort) throws UsageException {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new UsageException("--connect: missing ']' in " + hostPort);
            }
            return hostPort.substring(1, close);
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("--connect must be HOST:PORT");
        }
        return hostPort.substring(0, colon);
    }

    static int port(String hostPort) throws UsageException {
        int colon = hostPort.lastIndexOf(':');
        try {
            int p = Integer.parseInt(hostPort.substring(colon + 1));
            if (p < 1 || p > 65535) {
                throw new UsageException("--connect: port must be 1..65535");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new UsageException("--connect must be HOST:PORT");
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }
}
