package org.dtls4j.interop.real;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.Hex;

/**
 * An {@code openssl s_server -dtls1_2} with one PSK suite (or one certificate suite requiring a client
 * certificate) on a free loopback port, for the state-fuzzing
 * tests (which live in another package): it reports what it printed, which is how a test sees that
 * s_server accepted application data (s_server prints it; it does not echo).
 */
public final class OpenSslPskServer implements AutoCloseable {
    private static final Duration START_WAIT = Duration.ofSeconds(10);

    private final OpenSslProcess process;

    private OpenSslPskServer(OpenSslProcess process) {
        this.process = process;
    }

    /** Starts s_server with {@code opensslCipher} and the PSK, retrying on another port if the first was taken. */
    public static OpenSslPskServer start(String opensslCipher, String identity, byte[] psk) {
        return launch(List.of("-cipher", opensslCipher, "-nocert", "-psk", Hex.encode(psk), "-psk_identity", identity));
    }

    /**
     * Starts s_server with {@code opensslCipher}, the certificate {@code server} and {@code -Verify 1}:
     * it requires a client certificate chaining to {@code clientRoot}. The PEM files go to {@code dir}.
     */
    public static OpenSslPskServer startWithClientAuth(String opensslCipher, Path dir, TestPki.Identity server,
                                                       X509Certificate clientRoot) {
        Path cert = OpenSslProcess.writeCertificates(dir, "server.pem", server.chainWithoutRoot());
        Path key = OpenSslProcess.writeKey(dir, "server-key.pem", server.key());
        Path ca = OpenSslProcess.writeCertificates(dir, "client-root.pem", List.of(clientRoot));
        return launch(List.of("-cipher", opensslCipher, "-cert", cert.toString(), "-key", key.toString(),
                "-Verify", "1", "-CAfile", ca.toString()));
    }

    private static OpenSslPskServer launch(List<String> options) {
        OpenSslProcess.requireOpenSsl();
        StringBuilder failures = new StringBuilder();
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = OpenSslProcess.freeUdpPort();
            List<String> args = new ArrayList<>(List.of("s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port));
            args.addAll(options);
            OpenSslProcess p = OpenSslProcess.start(args, port);
            if (await(p)) {
                return new OpenSslPskServer(p);
            }
            failures.append(p.transcript());
            p.close();
        }
        throw new AssertionError("s_server did not start:\n" + failures);
    }

    private static boolean await(OpenSslProcess p) {
        return p.awaitLine("ACCEPT"::equals, START_WAIT);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), process.port());
    }

    /** True when s_server printed a line containing {@code marker} within {@code wait}. */
    public boolean printed(String marker, Duration wait) {
        return process.awaitLine(l -> l.contains(marker), wait);
    }

    public String transcript() {
        return process.transcript();
    }

    @Override
    public void close() {
        process.close();
    }
}
