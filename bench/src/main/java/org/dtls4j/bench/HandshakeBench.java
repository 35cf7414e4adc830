package org.dtls4j.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import javax.net.ssl.SSLContext;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.dtls4j.DtlsAcceptor;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.bench.BenchPeers.BcCrypto;
import org.dtls4j.bench.BenchPeers.Kx;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.testkit.JdkDtlsPeer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Full DTLS 1.2 handshakes per second, both ends in this process, no loss, cookie exchange included:
 * dtls4j (client {@link DtlsConnection} against a server {@link DtlsAcceptor} with its {@link CookieVerifier}),
 * Bouncy Castle on its own crypto and on its JCA crypto (a {@code DTLSVerifier} in front of
 * {@code DTLSServerProtocol.accept(server, transport, request)}, BC's cookie exchange: {@code accept} without a
 * request sends no HelloVerifyRequest in BC 1.79, whatever verifyRequests says), and
 * the JDK's DTLS {@code SSLEngine} (whose server sends a HelloVerifyRequest by default). dtls4j runs its
 * ECDHE and signatures on the JDK's provider or, with {@code -p provider=BC}, on Bouncy Castle's JCA provider
 * (issue 14 item 7; record ciphers stay on the JDK either way). One operation is one
 * handshake from the first ClientHello until both ends are established.
 *
 * <p>dtls4j and the JDK run both ends on the benchmark thread, shuttling datagrams between two in-memory
 * queues. BC's protocol classes block, so its server runs on a second (persistent) thread and its client on
 * the benchmark thread: every flight crosses threads through a blocking queue, a cost dtls4j and the JDK do
 * not pay. The JDK has no PSK suites, so it has no PSK row. Each state checks, in its setup, that the server
 * sent a HelloVerifyRequest and (ECDHE) that the ServerKeyExchange names the intended group.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBench {
    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 51000);
    static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.1", 4433);
    static final byte[] CLIENT_ID = {(byte) 192, 0, 2, 10, (byte) (51000 >>> 8), (byte) 51000};
    static final DtlsListener QUIET = new DtlsListener() { };

    /** dtls4j client and server, one thread. */
    @State(Scope.Thread)
    public static class Dtls4j {
        @Param({"PSK", "ECDHE_P256", "ECDHE_X25519"})
        public Kx kx;
        /** Whose JCA provider does dtls4j's ECDHE and signatures: the JDK's, or Bouncy Castle's JCA provider. */
        @Param({"JDK", "BC"})
        public String provider;
        DtlsConfig client;
        DtlsConfig server;
        CookieVerifier verifier;
        final ArrayDeque<byte[]> toServer = new ArrayDeque<>();
        final ArrayDeque<byte[]> toClient = new ArrayDeque<>();

        @Setup(Level.Trial)
        public void setup() {
            java.security.Provider p = "BC".equals(provider) ? new org.bouncycastle.jce.provider.BouncyCastleProvider() : null;
            client = BenchPeers.dtlsClient(kx, p);
            server = BenchPeers.dtlsServer(kx, p);
            verifier = CookieVerifier.create();
            int[] seen = {0};
            handshake(d -> seen[0] |= d);
            BenchPeers.check("dtls4j", kx, seen[0]);
        }

        boolean handshake(IntConsumer inspector) {
            long now = System.nanoTime();
            DtlsAcceptor acceptor = new DtlsAcceptor(server, verifier, (b, o, l, p) -> {
                if (inspector != null) {
                    inspector.accept(BenchPeers.inspect(b, o, l));
                }
                toClient.add(java.util.Arrays.copyOfRange(b, o, o + l));
            }, QUIET, 4);
            DtlsConnection c = DtlsConnection.client(client, SERVER,
                    (b, o, l) -> toServer.add(java.util.Arrays.copyOfRange(b, o, o + l)), QUIET);
            c.start(now);
            while (!toServer.isEmpty() || !toClient.isEmpty()) {
                byte[] d;
                while ((d = toServer.poll()) != null) {
                    acceptor.receive(d, 0, d.length, CLIENT, now);
                }
                while ((d = toClient.poll()) != null) {
                    c.receive(d, 0, d.length, now);
                }
            }
            DtlsConnection s = acceptor.connection(CLIENT);
            if (!c.isEstablished() || s == null || !s.isEstablished()) {
                throw new IllegalStateException("dtls4j handshake did not complete: " + c.state() + " " + c.failure());
            }
            return true;
        }
    }

    /** Bouncy Castle client on the benchmark thread, server on a persistent second thread. */
    @State(Scope.Thread)
    public static class Bc {
        @Param({"PSK", "ECDHE_P256", "ECDHE_X25519"})
        public Kx kx;
        @Param({"BC", "JCA"})
        public BcCrypto crypto;
        TlsCrypto clientCrypto;
        TlsCrypto serverCrypto;
        DTLSVerifier verifier;
        ExecutorService serverThread;
        final DTLSClientProtocol clientProtocol = new DTLSClientProtocol();
        final DTLSServerProtocol serverProtocol = new DTLSServerProtocol();

        @Setup(Level.Trial)
        public void setup() throws Exception {
            clientCrypto = BenchPeers.bcCrypto(crypto);
            serverCrypto = BenchPeers.bcCrypto(crypto);
            verifier = new DTLSVerifier(serverCrypto);
            serverThread = serverThread("bc-bench-server");
            int[] seen = {0};
            handshake(d -> seen[0] |= d);
            BenchPeers.check("Bouncy Castle " + crypto, kx, seen[0]);
        }

        /** Both ends of one completed BC handshake and the pipe between them. */
        record Pair(DTLSTransport client, DTLSTransport server, PipeTransport[] pipe) {
        }

        Pair handshake(IntConsumer inspector) throws Exception {
            PipeTransport[] p = PipeTransport.pair();
            p[1].inspector = inspector;
            Future<DTLSTransport> s = serverThread.submit(() -> accept(p[1]));
            DTLSTransport c = clientProtocol.connect(BenchPeers.bcClient(clientCrypto, kx), p[0]);
            return new Pair(c, s.get(30, TimeUnit.SECONDS), p);
        }

        /**
         * BC's cookie exchange, as its own DTLS server examples do it: the stateless {@link DTLSVerifier}
         * answers ClientHellos until one carries a valid cookie, then the protocol continues from that request.
         */
        private DTLSTransport accept(PipeTransport t) throws Exception {
            return serverProtocol.accept(BenchPeers.bcServer(serverCrypto, kx), t, verifiedRequest(verifier, t));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            serverThread.shutdownNow();
        }
    }

    /** The JDK's DTLS SSLEngine at both ends, one thread. */
    @State(Scope.Thread)
    public static class Jdk {
        @Param({"ECDHE_P256", "ECDHE_X25519"})
        public Kx kx;
        SSLContext clientContext;
        SSLContext serverContext;
        final ArrayDeque<byte[]> toServer = new ArrayDeque<>();
        final ArrayDeque<byte[]> toClient = new ArrayDeque<>();

        @Setup(Level.Trial)
        public void setup() throws Exception {
            clientContext = BenchPeers.jdkContext(true);
            serverContext = BenchPeers.jdkContext(false);
            int[] seen = {0};
            handshake(d -> seen[0] |= d);
            BenchPeers.check("JDK SSLEngine", kx, seen[0]);
        }

        JdkDtlsPeer[] handshake(IntConsumer inspector) throws Exception {
            JdkDtlsPeer c = new JdkDtlsPeer(BenchPeers.jdkEngine(clientContext, true, kx), toServer::add);
            JdkDtlsPeer s = new JdkDtlsPeer(BenchPeers.jdkEngine(serverContext, false, kx), d -> {
                if (inspector != null) {
                    inspector.accept(BenchPeers.inspect(d, 0, d.length));
                }
                toClient.add(d);
            });
            s.begin();
            c.begin();
            while (!toServer.isEmpty() || !toClient.isEmpty()) {
                byte[] d;
                while ((d = toServer.poll()) != null) {
                    s.receive(d);
                }
                while ((d = toClient.poll()) != null) {
                    c.receive(d);
                }
            }
            if (!c.handshakeDone() || !s.handshakeDone()) {
                throw new IllegalStateException("JDK handshake did not complete: client "
                        + c.engine().getHandshakeStatus() + ", server " + s.engine().getHandshakeStatus());
            }
            return new JdkDtlsPeer[] {c, s};
        }
    }

    /** A daemon thread for a Bouncy Castle server, whose protocol classes block. */
    static ExecutorService serverThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** BC's stateless cookie exchange: answers ClientHellos until one carries a valid cookie. */
    static DTLSRequest verifiedRequest(DTLSVerifier verifier, PipeTransport t) throws IOException {
        byte[] buf = new byte[t.getReceiveLimit()];
        DTLSRequest request = null;
        while (request == null) {
            int n = t.receive(buf, 0, buf.length, 30_000);
            if (n < 0) {
                throw new IllegalStateException("no ClientHello");
            }
            request = verifier.verifyRequest(CLIENT_ID, buf, 0, n, t);
        }
        return request;
    }

    @Benchmark
    public boolean dtls4j(Dtls4j s) {
        return s.handshake(null);
    }

    @Benchmark
    public Object bouncyCastle(Bc s) throws Exception {
        return s.handshake(null);
    }

    @Benchmark
    public Object jdkSslEngine(Jdk s) throws Exception {
        return s.handshake(null);
    }
}
