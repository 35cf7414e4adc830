package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsServer;
import org.bouncycastle.tls.TlsSession;
import org.dtls4j.ConnectionState;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.testkit.BcEndpoint;
import org.dtls4j.testkit.BcPeers;

/**
 * One run of a dtls4j client (on the test thread, in real time) against a Bouncy Castle echo server (on
 * its own thread) across a lossy {@link Network}: handshake, pings both ways, close_notify.
 */
final class Dtls4jClientRun implements AutoCloseable {
    static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4433);
    static final long HANDSHAKE_LIMIT_MILLIS = 60_000;

    final Scenario scenario;
    final Network network;
    final Events events = Events.recording();
    final AtomicReference<TlsContext> bc = new AtomicReference<>();
    final BcEndpoint server;
    final DtlsConnection connection;
    private final Dtls4jDriver driver;

    /** Starts both sides; the BC server uses {@code bcCache} for sessions, the client offers {@code resume}. */
    Dtls4jClientRun(Scenario scenario, Map<String, TlsSession> bcCache, Session resume) {
        this(scenario, bcCache, resume, new Network(scenario.seed(), scenario.datagramSize()));
    }

    /** The same over a network of the test's making. */
    Dtls4jClientRun(Scenario scenario, Map<String, TlsSession> bcCache, Session resume, Network network) {
        this(scenario, network, scenario.dtls4jClient().build(), hook -> BcPeers.server(scenario.bcServer(), bcCache, hook),
                resume);
    }

    /**
     * A client of the test's configuration against a BC server of its making, on the scenario's network;
     * {@code bcServer} gets the hook its server must call with its context when its handshake completes.
     */
    static Dtls4jClientRun against(Scenario scenario, DtlsConfig config,
                                   Function<Consumer<TlsContext>, TlsServer> bcServer) {
        return new Dtls4jClientRun(scenario, new Network(scenario.seed(), scenario.datagramSize()), config, bcServer, null);
    }

    private Dtls4jClientRun(Scenario scenario, Network network, DtlsConfig config,
                            Function<Consumer<TlsContext>, TlsServer> bcServer, Session resume) {
        this.scenario = scenario;
        this.network = network;
        this.server = BcEndpoint.echoServer(bcServer.apply(bc::set), network.bcTransport);
        this.connection = DtlsConnection.client(config, SERVER, network::sendFromDtls4j, events, resume);
        this.driver = Dtls4jDriver.of(connection, network.toDtls4j);
        connection.start(System.nanoTime());
    }

    /** Runs the handshake to completion on both sides; returns our result. */
    HandshakeResult handshake() throws Exception {
        driver.runUntil(() -> events.isComplete() || connection.isClosed()
                || server.handshake().isCompletedExceptionally(), HANDSHAKE_LIMIT_MILLIS);
        assertTrue(events.isComplete(), () -> "dtls4j client did not complete: " + why());
        // In an abbreviated handshake we send the last flight; if it is lost, BC completes only once we answer
        // its retransmission, so keep driving our side until BC is done.
        driver.runUntil(() -> server.handshake().isDone(), HANDSHAKE_LIMIT_MILLIS);
        server.awaitHandshake(1);
        assertEquals(scenario.suite().code(), bc.get().getSecurityParametersConnection().getCipherSuite(),
                "BC negotiated another suite; " + why());
        return events.result();
    }

    /** Sends {@code count} pings, retrying each until BC echoes it; checks every echo byte for byte. */
    void pingPong(int count, int maxBody) throws InterruptedException {
        Pings pings = new Pings(scenario.seed(), maxBody);
        for (int i = 0; i < count; i++) {
            int ping = i;
            boolean echoed = false;
            for (int attempt = 0; attempt < 40 && !echoed; attempt++) {
                connection.send(pings.payload(ping, attempt), System.nanoTime());
                echoed = driver.runUntil(() -> Pings.anyAnswers(events.received, ping) || connection.isClosed(), 300)
                        && Pings.anyAnswers(events.received, ping);
            }
            assertTrue(echoed, "ping " + ping + " never echoed; " + why());
        }
        pings.checkReceived(events.received, why());
    }

    /**
     * Heals the links (so the closing exchange is not itself subject to loss) and closes: our side ends
     * cleanly at once (RFC 5246 §7.2.1), and BC's receive loop must see the close_notify.
     */
    void closeCleanly() throws Exception {
        network.heal();
        connection.close(System.nanoTime());
        assertEquals(ConnectionState.CLOSED, connection.state(), why());
        assertNull(connection.failure(), why());
        assertNull(events.closedCause, why());
        int echoedRecords = server.echoed.get(5, TimeUnit.SECONDS);
        assertTrue(echoedRecords > 0, "BC echoed nothing before close_notify; " + why());
    }

    String why() {
        return scenario + " " + network.describe() + " state=" + connection.state() + " failure=" + connection.failure()
                + " bc=" + server.handshake().handle((ok, failed) -> failed == null ? "ok" : failed.toString()).getNow("running")
                + "\n  " + events.lastTraces();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
