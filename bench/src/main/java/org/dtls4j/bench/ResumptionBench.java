package org.dtls4j.bench;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.TlsClient;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.dtls4j.DtlsAcceptor;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.handshake.session.SessionTickets;
import org.dtls4j.testkit.BcPeers;
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
 * PSK handshakes per second by how they end: a full PSK handshake, an abbreviated one resuming by session ID
 * (server session cache), and one resuming by RFC 5077 ticket (no server state: the ticket is opened with
 * AES-GCM each time). dtls4j both ends on one thread, as {@link HandshakeBench}; Bouncy Castle full and by
 * session ID (BC 1.79's DTLS server cannot resume from a ticket), its server on a second thread. Cookie
 * exchange included everywhere. Each setup checks that the mode really resumed.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ResumptionBench {
    static final byte[] ID = BenchPeers.PSK_IDENTITY;
    static final byte[] KEY = BenchPeers.PSK_KEY;
    static final DtlsListener QUIET = new DtlsListener() { };

    /** How a handshake ends: full, or resumed by session ID or by ticket. */
    public enum Resume { FULL_PSK, SESSION_ID, TICKET }

    /** dtls4j client and server, one thread. */
    @State(Scope.Thread)
    public static class Dtls4j {
        @Param({"FULL_PSK", "SESSION_ID", "TICKET"})
        public Resume mode;
        DtlsConfig client;
        DtlsConfig server;
        CookieVerifier verifier;
        Session session;
        final ArrayDeque<byte[]> toServer = new ArrayDeque<>();
        final ArrayDeque<byte[]> toClient = new ArrayDeque<>();

        @Setup(Level.Trial)
        public void setup() {
            DtlsConfig.Builder c = DtlsConfig.builder().pskIdentity(ID, KEY)
                    .cipherSuites(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256);
            DtlsConfig.Builder s = DtlsConfig.builder().pskStore(id -> Arrays.equals(id, ID) ? KEY.clone() : null)
                    .cipherSuites(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256);
            if (mode == Resume.SESSION_ID) {
                s.sessionCache(new SessionCache(1024));
            } else if (mode == Resume.TICKET) {
                c.offerSessionTickets(true);
                s.sessionTickets(SessionTickets.random(Duration.ofHours(1)));
            }
            client = c.build();
            server = s.build();
            verifier = CookieVerifier.create();
            HandshakeResult first = handshake(null);
            session = mode == Resume.FULL_PSK ? null : first.session();
            if (mode != Resume.FULL_PSK && !handshake(session).resumed()) {
                throw new IllegalStateException(mode + " did not resume");
            }
        }

        HandshakeResult handshake(Session resume) {
            long now = System.nanoTime();
            DtlsAcceptor acceptor = new DtlsAcceptor(server, verifier,
                    (b, o, l, p) -> toClient.add(Arrays.copyOfRange(b, o, o + l)), QUIET, 4);
            HandshakeResult[] result = new HandshakeResult[1];
            DtlsConnection c = DtlsConnection.client(client, HandshakeBench.SERVER,
                    (b, o, l) -> toServer.add(Arrays.copyOfRange(b, o, o + l)), new DtlsListener() {
                        @Override
                        public void onHandshakeComplete(DtlsConnection conn, HandshakeResult r) {
                            result[0] = r;
                        }
                    }, resume);
            c.start(now);
            while (!toServer.isEmpty() || !toClient.isEmpty()) {
                byte[] d;
                while ((d = toServer.poll()) != null) {
                    acceptor.receive(d, 0, d.length, HandshakeBench.CLIENT, now);
                }
                while ((d = toClient.poll()) != null) {
                    c.receive(d, 0, d.length, now);
                }
            }
            DtlsConnection s = acceptor.connection(HandshakeBench.CLIENT);
            if (result[0] == null || s == null || !s.isEstablished()) {
                throw new IllegalStateException("dtls4j handshake did not complete: " + c.state() + " " + c.failure());
            }
            return result[0];
        }
    }

    /** Bouncy Castle PSK, full or resuming by session ID; client on the benchmark thread, server on another. */
    @State(Scope.Thread)
    public static class Bc {
        @Param({"FULL_PSK", "SESSION_ID"})
        public Resume mode;
        @Param({"BC", "JCA"})
        public BenchPeers.BcCrypto crypto;
        TlsCrypto clientCrypto;
        TlsCrypto serverCrypto;
        DTLSVerifier verifier;
        ExecutorService serverThread;
        final Map<String, TlsSession> cache = new ConcurrentHashMap<>();
        TlsSession session;
        BcPeers.Setup setup;
        final DTLSClientProtocol clientProtocol = new DTLSClientProtocol();
        final DTLSServerProtocol serverProtocol = new DTLSServerProtocol();

        @Setup(Level.Trial)
        public void setup() throws Exception {
            clientCrypto = BenchPeers.bcCrypto(crypto);
            serverCrypto = BenchPeers.bcCrypto(crypto);
            verifier = new DTLSVerifier(serverCrypto);
            serverThread = HandshakeBench.serverThread("bc-resumption-server");
            setup = BenchPeers.bcSetup(clientCrypto, BenchPeers.Kx.PSK);
            TlsContext[] done = new TlsContext[1];
            handshake(BcPeers.client(setup, null, c -> done[0] = c));
            if (mode == Resume.SESSION_ID) {
                session = done[0].getResumableSession();
                handshake(BcPeers.client(setup, session, c -> done[0] = c));
                if (!done[0].getSecurityParametersConnection().isResumedSession()) {
                    throw new IllegalStateException("Bouncy Castle did not resume");
                }
            }
        }

        DTLSTransport handshake(TlsClient client) throws Exception {
            PipeTransport[] p = PipeTransport.pair();
            Future<DTLSTransport> s = serverThread.submit(() -> accept(p[1]));
            DTLSTransport c = clientProtocol.connect(client, p[0]);
            s.get(30, TimeUnit.SECONDS);
            return c;
        }

        private DTLSTransport accept(PipeTransport t) throws Exception {
            BcPeers.Setup serverSetup = BenchPeers.bcSetup(serverCrypto, BenchPeers.Kx.PSK);
            return serverProtocol.accept(BcPeers.server(serverSetup, mode == Resume.SESSION_ID ? cache : null), t,
                    HandshakeBench.verifiedRequest(verifier, t));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            serverThread.shutdownNow();
        }
    }

    @Benchmark
    public HandshakeResult dtls4j(Dtls4j s) {
        return s.handshake(s.session);
    }

    @Benchmark
    public Object bouncyCastle(Bc s) throws Exception {
        return s.handshake(BcPeers.client(s.setup, s.session));
    }
}
