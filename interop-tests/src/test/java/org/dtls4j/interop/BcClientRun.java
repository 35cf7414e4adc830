package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsClient;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsSession;
import org.dtls4j.ConnectionState;
import org.dtls4j.DtlsAcceptor;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.testkit.BcEndpoint;
import org.dtls4j.testkit.BcPeers;

/**
 * One run of a Bouncy Castle client (on its own thread) against a dtls4j server behind a
 * {@link DtlsAcceptor} (on the test thread, in real time), so the cookie exchange is dtls4j's: handshake,
 * BC's pings echoed by dtls4j, close_notify from BC.
 */
final class BcClientRun implements AutoCloseable {
    static final long HANDSHAKE_LIMIT_MILLIS = 60_000;
    private static final Executor OWN_THREAD = r -> {
        Thread t = new Thread(r, "bc-pinger");
        t.setDaemon(true);
        t.start();
    };

    final Scenario scenario;
    final Network network;
    final InetSocketAddress clientAddress;
    final Events events = Events.echoing();
    final AtomicReference<TlsContext> bc = new AtomicReference<>();
    final DtlsAcceptor acceptor;
    final BcEndpoint client;
    private final Dtls4jDriver driver;
    private DTLSTransport transport;
    /** A simulated NAT rebinding: after {@link #rebindAfter} more datagrams, BC's come from {@link #rebindTo}. */
    private InetSocketAddress from;
    private InetSocketAddress rebindTo;
    private int rebindAfter;

    /** Starts both sides: the server keeps sessions in {@code cache} (may be null); BC offers {@code resume}. */
    BcClientRun(Scenario scenario, SessionCache cache, TlsSession resume, int clientPort) {
        this(scenario, cache, resume, clientPort, new Network(scenario.seed(), scenario.datagramSize()));
    }

    /** The same over a network of the test's making. */
    BcClientRun(Scenario scenario, SessionCache cache, TlsSession resume, int clientPort, Network network) {
        this(scenario, network, scenario.dtls4jServer(cache).build(),
                hook -> BcPeers.client(scenario.bcClient(), resume, hook), clientPort);
    }

    /**
     * A server of the test's configuration against a BC client of its making, on the scenario's network;
     * {@code bcClient} gets the hook its client must call with its context when its handshake completes.
     */
    static BcClientRun against(Scenario scenario, DtlsConfig config, Function<Consumer<TlsContext>, TlsClient> bcClient,
                               int clientPort) {
        return new BcClientRun(scenario, new Network(scenario.seed(), scenario.datagramSize()), config, bcClient,
                clientPort);
    }

    private BcClientRun(Scenario scenario, Network network, DtlsConfig config,
                        Function<Consumer<TlsContext>, TlsClient> bcClient, int clientPort) {
        this.scenario = scenario;
        this.network = network;
        this.clientAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPort);
        this.acceptor = new DtlsAcceptor(config, CookieVerifier.create(),
                (buf, off, len, peer) -> network.sendFromDtls4j(buf, off, len), events, 4);
        this.from = clientAddress;
        this.driver = Dtls4jDriver.of(acceptor, this::nextFrom, network.toDtls4j);
        this.client = BcEndpoint.client(bcClient.apply(bc::set), network.bcTransport);
    }

    /**
     * Runs the handshake to completion on both sides; returns the dtls4j server's result. In an abbreviated
     * handshake BC sends the last flight and its handshake call returns at once; when that flight is lost,
     * only BC's transport, while read, answers our retransmission by resending it (RFC 6347 §4.2.4), so BC
     * keeps reading here until our side completes, as an application would.
     */
    HandshakeResult handshake() throws Exception {
        driver.runUntil(() -> client.handshake().isDone() || events.isClosed(), HANDSHAKE_LIMIT_MILLIS);
        assertTrue(client.handshake().isDone(), () -> "BC client did not finish: " + why());
        transport = client.awaitHandshake(1);
        if (!events.isComplete()) {
            List<byte[]> early = new ArrayList<>();
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> readUntil(early, events::isComplete),
                    OWN_THREAD);
            driver.runUntil(() -> events.isComplete() || events.isClosed(), HANDSHAKE_LIMIT_MILLIS);
            reading.get(5, TimeUnit.SECONDS);
            assertTrue(early.isEmpty(), "application data before anyone sent any; " + why());
        }
        assertTrue(events.isComplete(), () -> "dtls4j server did not complete: " + why());
        assertTrue(acceptor.helloVerifyRequestsSent() > 0, "the handshake passed dtls4j's cookie exchange; " + why());
        assertEquals(scenario.suite().code(), bc.get().getSecurityParametersConnection().getCipherSuite(),
                "BC negotiated another suite; " + why());
        return events.result();
    }

    /** From the {@code datagrams}+1-th datagram on, BC's datagrams reach the server from {@code to}. */
    void rebindAfter(int datagrams, InetSocketAddress to) {
        rebindAfter = datagrams;
        rebindTo = to;
    }

    /** Where the next datagram comes from (called on the driver's thread). */
    private InetSocketAddress nextFrom() {
        if (rebindTo != null && rebindAfter-- <= 0) {
            from = rebindTo;
            rebindTo = null;
        }
        return from;
    }

    DtlsConnection serverConnection() {
        return events.connection;
    }

    /**
     * BC sends {@code count} pings from its own thread, retrying each until dtls4j echoes it, while the test
     * thread drives dtls4j; then both directions' records are checked byte for byte.
     */
    void pingPong(int count, int maxBody) throws Exception {
        Pings pings = new Pings(scenario.seed(), maxBody);
        List<byte[]> echoes = new ArrayList<>();
        CompletableFuture<Integer> answered = CompletableFuture.supplyAsync(() -> {
            try {
                return bcPings(pings, count, echoes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, OWN_THREAD);
        driver.runUntil(answered::isDone, 60_000);
        assertTrue(answered.isDone(), "BC pinger did not finish; " + why());
        assertEquals(count, answered.join(), "BC pings echoed by dtls4j; " + why());
        pings.checkReceived(events.received, why());
        pings.checkReceived(echoes, why());
    }

    /** On BC's side: each ping is retried every 300 ms until an echo of it arrives; returns pings answered. */
    private int bcPings(Pings pings, int count, List<byte[]> echoes) throws IOException {
        byte[] buf = new byte[1 << 14];
        int answered = 0;
        for (int ping = 0; ping < count; ping++) {
            boolean echoed = false;
            for (int attempt = 0; attempt < 40 && !echoed; attempt++) {
                byte[] p = pings.payload(ping, attempt);
                transport.send(p, 0, p.length);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                long left;
                while (!echoed && (left = deadline - System.nanoTime()) > 0) {
                    int n = transport.receive(buf, 0, buf.length, (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    if (n >= 0) {
                        byte[] r = Arrays.copyOf(buf, n);
                        echoes.add(r);
                        echoed = Pings.answers(r, ping);
                    }
                }
            }
            if (!echoed) {
                return answered;
            }
            answered++;
        }
        return answered;
    }

    /** On BC's thread: reads (so BC processes retransmissions) until {@code done}, keeping whatever arrives. */
    private void readUntil(List<byte[]> into, java.util.function.BooleanSupplier done) {
        byte[] buf = new byte[1 << 14];
        try {
            while (!done.getAsBoolean()) {
                int n = transport.receive(buf, 0, buf.length, 20);
                if (n >= 0) {
                    into.add(Arrays.copyOf(buf, n));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("BC transport failed while finishing the handshake", e);
        }
    }

    /**
     * Heals the links (so the closing exchange is not itself subject to loss); BC closes, and the dtls4j
     * server must end cleanly on its close_notify.
     */
    void closeCleanly() throws Exception {
        network.heal();
        DtlsConnection server = serverConnection();
        transport.close();
        driver.runUntil(server::isClosed, 5_000);
        assertEquals(ConnectionState.CLOSED, server.state(), why());
        assertNull(server.failure(), why());
        assertNull(events.closedCause, why());
    }

    String why() {
        DtlsConnection c = acceptor.connection(from);
        return scenario + " " + network.describe() + " server=" + (c == null ? "none" : c.state() + " failure=" + c.failure())
                + " closedCause=" + events.closedCause
                + " bc=" + client.handshake().handle((ok, failed) -> failed == null ? "ok" : failed.toString()).getNow("running")
                + "\n  " + events.lastTraces();
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
    }
}
