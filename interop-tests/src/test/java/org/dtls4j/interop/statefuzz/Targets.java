package org.dtls4j.interop.statefuzz;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsServer;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.interop.real.OpenSslPskServer;
import org.dtls4j.testing.InMemoryTransport;
import org.dtls4j.testing.PeerEvent;
import org.dtls4j.testing.PeerSettings;
import org.dtls4j.testing.ScriptedPeer;
import org.dtls4j.testing.UdpTransport;
import org.dtls4j.testkit.BcEndpoint;
import org.dtls4j.testkit.BcPeers;
import org.dtls4j.testkit.JdkDtlsPeer;
import org.dtls4j.testkit.LossyLink;
import org.dtls4j.testkit.QueueTransport;
import org.dtls4j.testkit.TestPki;

/** The four servers of the misbehaviour matrix. */
final class Targets {
    static final String PSK_IDENTITY = "state-fuzz";
    static final byte[] PSK = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final CipherSuite PSK_SUITE = CipherSuite.TLS_PSK_WITH_AES_128_CCM_8;

    private Targets() {
    }

    static PeerSettings pskSettings(Duration first, Duration settle) {
        return PeerSettings.psk(PSK_IDENTITY.getBytes(StandardCharsets.US_ASCII), PSK).withSuite(PSK_SUITE)
                .withTimeouts(first, settle);
    }

    /** dtls4j's own {@link DtlsServer} over loopback UDP, echoing data; one server, a new client port per scenario. */
    static final class Dtls4j implements Target {
        private final DtlsServer server;
        private final PeerSettings settings;

        Dtls4j() throws java.io.IOException {
            this(DtlsConfig.builder().cipherSuites(PSK_SUITE)
                    .pskStore(id -> Arrays.equals(id, PSK_IDENTITY.getBytes(StandardCharsets.US_ASCII)) ? PSK.clone() : null)
                    .build(), pskSettings(Duration.ofMillis(400), Duration.ofMillis(60)));
        }

        /** A server with {@code config}, played against by clients with {@code settings} (client authentication runs). */
        Dtls4j(DtlsConfig config, PeerSettings settings) throws java.io.IOException {
            this.settings = settings;
            server = DtlsServer.builder(config).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .handler((srv, peer, data) -> srv.send(peer, data)).start();
        }

        @Override
        public String name() {
            return "dtls4j DtlsServer";
        }

        InetSocketAddress address() {
            return server.localAddress();
        }

        @Override
        public ScriptedPeer connect() throws Exception {
            return ScriptedPeer.client(UdpTransport.connect(server.localAddress()), settings);
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** A Bouncy Castle PSK echo server in process, on its own thread; a fresh one per scenario. */
    static final class BouncyCastle implements Target {
        private final BcPeers.Setup setup;
        private final PeerSettings settings;
        private BcEndpoint endpoint;

        BouncyCastle() {
            this(BcPeers.Setup.psk(PSK_SUITE.code(), PSK_IDENTITY.getBytes(StandardCharsets.US_ASCII), PSK),
                    pskSettings(Duration.ofMillis(600), Duration.ofMillis(60)));
        }

        /** Servers made from {@code setup}, played against by clients with {@code settings} (client authentication runs). */
        BouncyCastle(BcPeers.Setup setup, PeerSettings settings) {
            this.setup = setup;
            this.settings = settings;
        }

        @Override
        public String name() {
            return "Bouncy Castle 1.79";
        }

        @Override
        public ScriptedPeer connect() throws Exception {
            return ScriptedPeer.client(openTransport(), settings);
        }

        /** A fresh BC server and the in-memory transport to it. */
        InMemoryTransport openTransport() {
            close();
            QueueTransport bcSide = new QueueTransport(1400);
            InMemoryTransport ours = new InMemoryTransport(bcSide::deliver);
            bcSide.connect(new LossyLink(1, 0, 0, 0, ours::deliver));
            endpoint = BcEndpoint.echoServer(BcPeers.server(setup, BcPeers.newSessionCache()), bcSide);
            return ours;
        }

        @Override
        public String notes() {
            CompletableFuture<?> hs = endpoint == null ? null : endpoint.handshake();
            if (hs == null || !hs.isCompletedExceptionally()) {
                return "";
            }
            try {
                hs.join();
                return "";
            } catch (RuntimeException e) {
                Throwable c = e.getCause() != null ? e.getCause() : e;
                return "BC: " + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : " " + c.getMessage());
            }
        }

        @Override
        public void close() {
            if (endpoint != null) {
                try {
                    endpoint.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                endpoint = null;
            }
        }
    }

    /**
     * The JDK's DTLS {@code SSLEngine} as a server (ECDHE_ECDSA: the JDK has no PSK suites), driven
     * synchronously in process: each datagram we send is fed to the engine, its output comes straight
     * back, and application data it reads is echoed.
     */
    static final class Jdk implements Target {
        private static final String[] SUITES = {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
        private final SSLContext context;
        private final boolean needClientAuth;
        private final List<String> failures = new ArrayList<>();

        Jdk() {
            this(JdkDtlsPeer.context(TestPki.selfSigned(TestPki.KeyType.EC_P256, "localhost"), null), false);
        }

        /** Server engines from {@code context}, asking for a client certificate when {@code needClientAuth}. */
        Jdk(SSLContext context, boolean needClientAuth) {
            this.context = context;
            this.needClientAuth = needClientAuth;
        }

        @Override
        public String name() {
            return "JDK " + Runtime.version().feature() + " SSLEngine";
        }

        @Override
        public ScriptedPeer connect() throws Exception {
            return ScriptedPeer.client(openTransport(), settings());
        }

        static PeerSettings settings() {
            return PeerSettings.ecdheEcdsa().withTimeouts(Duration.ofMillis(100), Duration.ofMillis(10));
        }

        /** A fresh server engine and the in-memory transport to it. */
        InMemoryTransport openTransport() throws SSLException {
            failures.clear();
            InMemoryTransport ours = new InMemoryTransport();
            JdkDtlsPeer engine = new JdkDtlsPeer(JdkDtlsPeer.engine(context, false, SUITES, 1400, needClientAuth), ours::deliver);
            engine.begin();
            ours.connect(d -> {
                try {
                    engine.receive(d);
                    for (byte[] a; (a = engine.poll()) != null; ) {
                        engine.send(a);
                    }
                } catch (SSLException | RuntimeException e) {
                    if (failures.isEmpty()) {
                        failures.add("JDK: " + e.getClass().getSimpleName() + " " + e.getMessage());
                    }
                }
            });
            return ours;
        }

        @Override
        public String notes() {
            return failures.isEmpty() ? "" : failures.get(0);
        }

        @Override
        public void close() {
        }
    }

    /** OpenSSL's {@code s_server -dtls1_2} with PSK over loopback UDP; a fresh process per scenario. */
    static final class OpenSsl implements Target {
        private final Supplier<OpenSslPskServer> start;
        private final PeerSettings settings;
        private OpenSslPskServer server;

        OpenSsl() {
            this(() -> OpenSslPskServer.start("PSK-AES128-CCM8", PSK_IDENTITY, PSK),
                    pskSettings(Duration.ofMillis(400), Duration.ofMillis(80)));
        }

        /** A fresh s_server from {@code start} per scenario, played against by clients with {@code settings}. */
        OpenSsl(Supplier<OpenSslPskServer> start, PeerSettings settings) {
            this.start = start;
            this.settings = settings;
        }

        @Override
        public String name() {
            return "OpenSSL s_server";
        }

        @Override
        public ScriptedPeer connect() throws Exception {
            close();
            server = start.get();
            return ScriptedPeer.client(UdpTransport.connect(server.address()), settings);
        }

        @Override
        public boolean accepted(String marker, List<PeerEvent> events) {
            return server.printed(marker, Duration.ofMillis(300));
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
                server = null;
            }
        }

        String transcript() {
            return server == null ? "" : server.transcript();
        }
    }
}
