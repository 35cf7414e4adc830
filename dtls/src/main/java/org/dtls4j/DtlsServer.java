package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.SharedSecrets;
import org.dtls4j.handshake.config.ConnectionIdGenerator;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.RecordPeek;

/**
 * A DTLS 1.2 server on one UDP port: many peers, served by N worker threads (default: the available
 * processors), each with its own {@link DtlsAcceptor} (the stateless cookie verifier in front, a
 * {@link DtlsConnection} per peer address, one timer set). Build it with {@link #builder}, then {@link #start()} it on its own thread or {@link #run()}
 * it on yours; {@link #close()} sends close_notify to every peer and closes the socket.
 *
 * <pre>
 *   DtlsServer server = DtlsServer.builder(config)
 *           .bind(new InetSocketAddress(4433))
 *           .handler((srv, peer, data) -&gt; srv.send(peer, data))   // echo
 *           .start();
 * </pre>
 *
 * <p>Workers: each worker owns the connections it accepted; only its thread touches them, so no lock is
 * taken per datagram. Where the OS offers SO_REUSEPORT, each worker binds its own socket to the port and the
 * kernel spreads peers over them by address (a peer keeps reaching the same socket); otherwise worker 0 reads
 * the one socket and hands each datagram to its peer's worker (by the peer's address hash). A datagram that
 * reaches a worker not holding its peer's connection (after a NAT rebinding, say) is handed to the owner,
 * found by peer address in a shared directory (and, once Connection IDs are routed, by CID). Shared between
 * workers, and thread-safe: the cookie keys (one {@link SharedSecrets} source, each worker its own verifier),
 * the config's session cache and ticket keys, the key log. {@link #stats()} and {@link #metrics()} sum the
 * workers. The caps are split between the workers.
 *
 * <p>Timers: each worker's acceptor keeps one ordered set holding each live connection once, by its
 * deadline: the earlier of its retransmission timer and its idle limit. A connection that ends leaves the
 * set at once, so nothing keeps a closed connection reachable. No thread or {@code ScheduledFuture} per
 * connection.
 *
 * <p>Idle timeouts: an established connection that makes no progress for {@code idleTimeout} is closed
 * (with close_notify); a half-open one (handshake not complete) that makes none for {@code halfOpenTimeout}
 * is dropped silently, whatever its retransmission timer would still try. Progress is
 * {@link DtlsConnection#lastProgressNanos()}: junk, replays and unauthenticated records do not refresh it.
 *
 * <p>Containment: nothing one peer sends, and no exception from one connection's processing, stops the loop.
 * A connection whose processing throws an unchecked exception (a bug, or a {@link Handler} or observer that
 * throws) fails alone with internal_error; it is logged once and counted in {@link Stats#internalErrors()}.
 * The loop ends only through {@link #close()}, or when its socket is closed under it or its thread is
 * interrupted, which {@link #stopCause()} reports.
 *
 * <p><b>Pre-authentication memory budget.</b> Nothing is kept for a peer until it echoes a valid cookie
 * (RFC 6347 §4.2.1), so ClientHellos from spoofed addresses cost one stateless HMAC and a HelloVerifyRequest
 * no larger than the ClientHello. A peer that proves its address but does not finish the handshake holds at
 * most {@link Stats#preAuthBytesPerPeer()}: its handshake reassembly buffers
 * ({@link org.dtls4j.handshake.config.ReassemblyLimits#maxHeldBytes()}), its early next-epoch records
 * ({@link org.dtls4j.record.RecordLayerConfig#maxHeldBytes()}), the connection's own objects (handshaker,
 * record layer; sends borrow a pooled buffer) and the server's buffered flight. With the defaults and a PSK config that is about 180 KiB, so the default 64 half-open
 * handshakes cost at most about 11 MiB. At most {@code maxHalfOpen} such peers exist at once, so the total is bounded by
 * {@link Stats#preAuthBytesTotal()}; a verified ClientHello beyond the cap is dropped and counted.
 *
 * <p>Threads: every callback of the {@link Handler} (and of the observer) runs on the thread of the worker
 * holding that peer's connection, so with several workers callbacks for different peers run at once and the
 * handler must be thread-safe; the {@link DatagramFilter} likewise. Calling {@link #send} there for that peer
 * sends at once, and {@link #handshakeResult} there reads who the peer is without a hand-off. {@link #send},
 * {@link #handshakeResult}, {@link #exportKeyingMaterial}, {@link #stats()} and {@link #close()} may be called
 * from any thread (they are handed to the worker concerned), a callback on another worker included: a worker
 * waiting for another's answer keeps answering the read-only questions addressed to itself, so no two
 * workers wait each other out.
 */
public final class DtlsServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DtlsServer.class.getName());
    private static final int BUFFER = 1 << 16;
    /** The longest a caller waits for a busy worker's answer before {@link IllegalStateException}. */
    private static final long ANSWER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * A half-open connection's own objects: its handshaker (transcript digests, key exchange, the ClientHello
     * it answers), record layer and engine state. Sends borrow their buffer ({@link SendBuffers}), so none is
     * held; this generous bound (the size a send buffer used to have) stays until a measurement replaces it.
     */
    private static final int ENGINE_BYTES = (1 << 14) + 1024 + 512;

    /**
     * What the application does with its peers; every callback runs on the thread of the worker holding the
     * peer (several at once with several workers). A callback that throws fails that peer's connection with internal_error (counted in {@link Stats#internalErrors()});
     * every other peer is served on.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * A handshake with {@code peer} completed; the handler may {@link DtlsServer#send} from here on, and
         * {@link DtlsServer#handshakeResult} reports this {@code result} for as long as the connection lasts.
         *
         * @param server the server, to send with
         * @param peer the client's address, the key of its connection
         * @param result what the handshake agreed: suite, peer identity, ALPN, SRTP profile
         */
        default void onConnected(DtlsServer server, InetSocketAddress peer, HandshakeResult result) {
        }

        /**
         * One application datagram from {@code peer}; {@link DtlsServer#handshakeResult}{@code (peer)} says
         * who sent it.
         *
         * @param server the server, to answer with
         * @param peer the client's address
         * @param data the plaintext of one record, a copy the handler may keep
         */
        void onData(DtlsServer server, InetSocketAddress peer, byte[] data);

        /**
         * The established connection with {@code peer} ended.
         *
         * @param server the server
         * @param peer the client's address
         * @param cause null for close_notify, an idle timeout, a replacement by a new handshake from the same
         *        address, or server shutdown; otherwise the failure, carrying the alert sent or received
         */
        default void onClosed(DtlsServer server, InetSocketAddress peer, DtlsException cause) {
        }

        /**
         * The established connection's peer moved to a new address under its Connection ID (RFC 9146 §6: a
         * newer record authenticated from there); from now on {@code peer} is its key, for
         * {@link DtlsServer#send} too. An application that keys its own state by address (a CoAP or LwM2M
         * server's observations, say) re-keys it here.
         *
         * @param server the server
         * @param previous the address the connection had
         * @param peer its address now
         */
        default void onAddressChanged(DtlsServer server, InetSocketAddress previous, InetSocketAddress peer) {
        }
    }

    /**
     * Receives the datagrams on the server's socket that are not DTLS (RFC 7983 §7: STUN, TURN channel data,
     * ZRTP, SRTP/SRTCP, unknown), when a WebRTC-style application shares the port; runs on the
     * thread of the worker that read it.
     */
    @FunctionalInterface
    public interface OtherDatagramHandler {
        /**
         * One non-DTLS datagram from {@code peer}.
         *
         * @param server the server, to answer with through {@link DtlsServer#sendRaw}
         * @param peer the sender's address
         * @param kind what the first byte says it is; never {@link DatagramKind#DTLS}
         * @param data the datagram, a copy the handler may keep
         */
        void onDatagram(DtlsServer server, InetSocketAddress peer, DatagramKind kind, byte[] data);
    }

    /**
     * Counters a user can read, and the pre-authentication budget.
     *
     * @param connections live connections (established and half-open)
     * @param halfOpen connections still handshaking
     * @param maxConnections the cap on {@code connections}
     * @param maxHalfOpen the cap on {@code halfOpen}
     * @param preAuthBytesPerPeer the most bytes one half-open peer can make the server hold
     * @param preAuthBytesTotal {@code maxHalfOpen * preAuthBytesPerPeer}
     * @param helloVerifyRequests HelloVerifyRequests sent (ClientHellos without a valid cookie)
     * @param cookieDrops datagrams from unknown peers the cookie verifier dropped
     * @param connectionsRefused verified ClientHellos dropped at the connection cap
     * @param halfOpenRefused verified ClientHellos dropped at the half-open cap
     * @param connectionsReplaced connections replaced by a completed new handshake from their address
     * @param idleClosed connections closed by the idle or half-open timeout
     * @param handshakesCompleted handshakes completed
     * @param datagramsIn datagrams received
     * @param datagramsOut datagrams sent
     * @param sendErrors datagrams the socket refused (counted as lost)
     * @param maxHalfOpenPerAddress the cap on half-open connections from one source (IPv4 address or IPv6 /64)
     * @param halfOpenPerAddressRefused verified ClientHellos dropped at the per-source cap
     * @param internalErrors unchecked exceptions contained: connections failed with internal_error (a bug, or
     *     a handler or observer that threw) and failures of the server's own bookkeeping
     * @param addressChanges times a connection's peer moved to a new address under its Connection ID (RFC 9146 §6)
     * @param atRest established connections kept in their compact form now ({@link Builder#restAfter}); part of
     *     {@code connections}
     * @param wakes times a connection at rest was woken (by its peer's datagram, a send, a new handshake or
     *     the idle limit)
     */
    public record Stats(int connections, int halfOpen, int maxConnections, int maxHalfOpen,
                        long preAuthBytesPerPeer, long preAuthBytesTotal, long helloVerifyRequests,
                        long cookieDrops, long connectionsRefused, long halfOpenRefused, long connectionsReplaced,
                        long idleClosed, long handshakesCompleted, long datagramsIn, long datagramsOut,
                        long sendErrors, int maxHalfOpenPerAddress, long halfOpenPerAddressRefused,
                        long internalErrors, long addressChanges, int atRest, long wakes) {
        /** Two workers' counters and caps added up; the per-peer budget (the same for every worker) is kept. */
        static Stats sum(Stats a, Stats b) {
            return new Stats(a.connections + b.connections, a.halfOpen + b.halfOpen,
                    a.maxConnections + b.maxConnections, a.maxHalfOpen + b.maxHalfOpen, a.preAuthBytesPerPeer,
                    a.preAuthBytesTotal + b.preAuthBytesTotal, a.helloVerifyRequests + b.helloVerifyRequests,
                    a.cookieDrops + b.cookieDrops, a.connectionsRefused + b.connectionsRefused,
                    a.halfOpenRefused + b.halfOpenRefused, a.connectionsReplaced + b.connectionsReplaced,
                    a.idleClosed + b.idleClosed, a.handshakesCompleted + b.handshakesCompleted,
                    a.datagramsIn + b.datagramsIn, a.datagramsOut + b.datagramsOut, a.sendErrors + b.sendErrors,
                    a.maxHalfOpenPerAddress + b.maxHalfOpenPerAddress, a.halfOpenPerAddressRefused + b.halfOpenPerAddressRefused,
                    a.internalErrors + b.internalErrors, a.addressChanges + b.addressChanges, a.atRest + b.atRest,
                    a.wakes + b.wakes);
        }
    }

    private final DatagramChannel[] channels;
    private final ServerWorker[] workers;
    /** True when every worker reads its own socket on the shared port (SO_REUSEPORT). */
    private final boolean reusePort;
    /** Which worker holds each peer's connection; null with one worker, where there is nothing to look up. */
    private final PeerDirectory owners;
    final Handler handler;
    final DtlsListener observer;
    final DatagramFilter filter;
    final OtherDatagramHandler otherHandler;
    final long idleTimeoutNanos;
    final long halfOpenTimeoutNanos;
    /** {@link Builder#restAfter}: quiet time after which a connection is kept in its compact form; MAX_VALUE for never. */
    final long restAfterNanos;
    private final long preAuthBytesPerPeer;
    /** RFC 9146: how CIDs are made (and their owner read back) and their length; null and -1 without CIDs. */
    private final ConnectionIdGenerator cidGenerator;
    private final int cidLength;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicInteger liveWorkers = new AtomicInteger();

    private volatile boolean running;
    private volatile boolean closing;
    private volatile boolean shutDown;
    private volatile Throwable stopCause;

    private DtlsServer(Builder b) throws IOException {
        this.handler = b.handler;
        this.observer = b.observer;
        this.filter = b.filter;
        this.otherHandler = b.otherHandler;
        this.idleTimeoutNanos = b.idleTimeout.toNanos();
        this.halfOpenTimeoutNanos = b.halfOpenTimeout.toNanos();
        this.restAfterNanos = b.restAfter == null ? Long.MAX_VALUE : b.restAfter.toNanos();
        DtlsConfig config = b.config;
        config.checkServerRole();
        checkCaps(b);
        this.preAuthBytesPerPeer = preAuthBytesPerPeer(config);
        this.cidGenerator = config.connectionIdGenerator();
        this.cidLength = config.connectionIdLength();
        int n = b.workers > 0 ? b.workers : b.cookieVerifier != null ? 1 : Runtime.getRuntime().availableProcessors();
        if (n > 1 && b.cookieVerifier != null) {
            throw new IllegalStateException("a CookieVerifier serves one thread; for " + n
                    + " workers give sharedSecrets instead");
        }
        // Several workers verify each other's cookies (a peer's datagrams may reach another worker): one source.
        SharedSecrets cookieSource = b.sharedSecrets != null ? b.sharedSecrets
                : n > 1 && b.cookieVerifier == null ? SharedSecrets.random(CookieVerifier.DEFAULT_ROTATION_PERIOD) : null;
        this.channels = openChannels(b.bind, n, b.reusePort, b.receiveBufferSize, b.sendBufferSize);
        this.reusePort = channels.length > 1;
        this.owners = n > 1 ? new PeerDirectory() : null;
        this.workers = new ServerWorker[n];
        try {
            for (int i = 0; i < n; i++) {
                SharedCookieSecrets cookies = cookieSource != null ? new SharedCookieSecrets(cookieSource) : null;
                CookieVerifier verifier = b.cookieVerifier != null ? b.cookieVerifier
                        : cookies != null ? cookies.newVerifier(System.currentTimeMillis()) : CookieVerifier.create();
                DatagramChannel read = reusePort ? channels[i] : i == 0 ? channels[0] : null;
                workers[i] = new ServerWorker(i, this, config, verifier, cookies, read, reusePort ? channels[i] : channels[0],
                        caps(b, n, i));
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private static void checkCaps(Builder b) {
        if (b.maxConnections < 1 || b.maxHalfOpen < 1 || b.maxHalfOpenPerAddress > b.maxHalfOpen) {
            throw new IllegalArgumentException("maxConnections " + b.maxConnections + ", maxHalfOpen " + b.maxHalfOpen
                    + ", maxHalfOpenPerAddress " + b.maxHalfOpenPerAddress);
        }
    }

    /**
     * One socket per worker on one port when the OS offers SO_REUSEPORT (the kernel then spreads peers over
     * them by address, so a peer keeps reaching the same worker), else one socket.
     */
    private static DatagramChannel[] openChannels(InetSocketAddress bind, int n, boolean wantReusePort,
            int receiveBuffer, int sendBuffer) throws IOException {
        DatagramChannel first = DatagramChannel.open();
        boolean reuse = n > 1 && wantReusePort
                && first.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        DatagramChannel[] out = new DatagramChannel[reuse ? n : 1];
        out[0] = first;
        try {
            if (reuse) {
                first.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            first.bind(bind);
            for (int i = 1; i < out.length; i++) {
                out[i] = DatagramChannel.open();
                out[i].setOption(StandardSocketOptions.SO_REUSEPORT, true);
                out[i].bind(first.getLocalAddress());
            }
            for (DatagramChannel c : out) {
                c.configureBlocking(false);
                if (receiveBuffer > 0) {
                    c.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
                }
                if (sendBuffer > 0) {
                    c.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            for (DatagramChannel c : out) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
    }

    /** Worker {@code i}'s share of the caps: the totals split as evenly as they go, at least 1 each. */
    private static int[] caps(Builder b, int n, int i) {
        int connections = share(b.maxConnections, n, i);
        int halfOpen = share(b.maxHalfOpen, n, i);
        // A source reaches every worker (from several ports), so its share is split like the caps.
        int perAddress = Math.min(halfOpen, share(b.maxHalfOpenPerAddress > 0 ? b.maxHalfOpenPerAddress
                : DtlsAcceptor.defaultHalfOpenPerAddress(b.maxHalfOpen), n, i));
        return new int[] {connections, halfOpen, perAddress};
    }

    private static int share(int total, int n, int i) {
        return Math.max(1, total / n + (i < total % n ? 1 : 0));
    }

    /**
     * What one half-open peer can make the server hold: the reassembly bound, the held-records bound, the
     * connection's own objects, and the server's buffered flight (its certificate chain plus 2 KiB for the other
     * messages and record overhead).
     */
    static long preAuthBytesPerPeer(DtlsConfig config) {
        long flight = 2048;
        if (config.certificateIdentity() != null) {
            for (var cert : config.certificateIdentity().chain()) {
                try {
                    flight += cert.getEncoded().length;
                } catch (java.security.cert.CertificateEncodingException e) {
                    flight += 4096; // cannot happen for a parsed certificate; count a generous size
                }
            }
        }
        return config.reassemblyLimits().maxHeldBytes() + config.recordLayerConfig().maxHeldBytes()
                + ENGINE_BYTES + flight;
    }

    /**
     * A builder for a server with {@code config}.
     *
     * @param config the server configuration, which must be able to serve its suites (checked at build)
     * @return the builder
     */
    public static Builder builder(DtlsConfig config) {
        return new Builder(config);
    }

    /**
     * {@return the bound address (with the real port when bound to port 0)}
     *
     * @throws IllegalStateException when the server socket is closed
     */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channels[0].getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server socket is closed", e);
        }
    }

    /** {@return how many worker threads serve, each with its own connections} */
    public int workers() {
        return workers.length;
    }

    /** {@return true when each worker reads its own socket on the one port (SO_REUSEPORT), false for one reader} */
    public boolean reusesPort() {
        return reusePort;
    }

    /**
     * {@return the receive buffer the OS gave each of the server's sockets, in bytes} It can differ from
     * {@link Builder#receiveBufferSize}: Linux doubles a request and caps it at {@code net.core.rmem_max}.
     *
     * @throws IllegalStateException when the server socket is closed
     */
    public int receiveBufferSize() {
        try {
            return channels[0].getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            throw new IllegalStateException("the server socket is closed", e);
        }
    }

    /**
     * {@return the datagrams the OS dropped on the server's sockets because their receive buffer was full,
     * since the server opened them, or -1 where the OS does not say (it does on Linux)} They never reached
     * the server, so no other counter has them: a rising figure during bursts (a fleet reconnecting, many
     * close_notify at once, whose loss leaves connections open until their idle timeout) says to raise
     * {@link Builder#receiveBufferSize}, or {@code net.core.rmem_max} when {@link #receiveBufferSize()} shows
     * the OS capped the request. Reads the OS's socket table on each call: poll it as a metric, not per datagram.
     *
     * @throws IllegalStateException when the server socket is closed
     */
    public long receiveDrops() {
        return ReceiveDrops.onPort(localAddress().getPort());
    }

    /**
     * Runs the server on new daemon threads and returns this server.
     *
     * @return this server
     */
    public DtlsServer start() {
        Thread t = new Thread(this::run, "dtls4j-server-" + localAddress().getPort());
        t.setDaemon(true);
        t.start();
        return this;
    }

    /**
     * Runs the server until {@link #close()}: worker 0 on the calling thread, the others on daemon threads;
     * it returns once every worker has shut down. It also returns (shut down) if a socket is closed under it
     * or a worker thread is interrupted; {@link #stopCause()} then says why.
     */
    public void run() {
        synchronized (this) {
            if (closing || shutDown) {
                return;
            }
            if (running) {
                throw new IllegalStateException("the server is already running");
            }
            running = true;
            liveWorkers.set(workers.length);
        }
        for (int i = 1; i < workers.length; i++) {
            Thread t = new Thread(workers[i], "dtls4j-server-" + localAddress().getPort() + "-" + i);
            t.setDaemon(true);
            t.start();
        }
        workers[0].run();
        awaitStopped();
        if (stopCause != null) {
            LOG.log(System.Logger.Level.ERROR, "DTLS server stopped without close()", stopCause);
        }
    }

    /** Waits for the other workers to end (they are told to); an interrupt is kept for the caller. */
    private void awaitStopped() {
        boolean interrupted = false;
        while (!stopped.isDone()) {
            try {
                stopped.get();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@return why the server ended without {@link #close()} (a socket was closed under it, or a worker thread was interrupted), or null while it runs or when it ended through {@link #close()}}
     */
    public Throwable stopCause() {
        return stopCause;
    }

    boolean isClosing() {
        return closing;
    }

    /** A worker lost its socket or thread: the whole server stops, so no peer is left without its worker. */
    void stoppedUnexpectedly(Throwable cause) {
        synchronized (this) {
            if (stopCause == null && !closing) {
                stopCause = cause;
            }
            closing = true;
        }
        for (ServerWorker w : workers) {
            w.wakeup();
        }
    }

    /** Called by each worker as its loop ends; the last one closes the sockets. */
    void workerEnded() {
        if (liveWorkers.decrementAndGet() == 0) {
            closeQuietly();
            shutDown = true;
            running = false;
            stopped.complete(null);
        }
    }

    private void closeQuietly() {
        for (DatagramChannel c : channels) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing a DTLS server socket", e);
            }
        }
    }

    /**
     * The worker that must handle a datagram {@code reader} has just read: the one holding the peer's
     * connection, else (a new peer) the reader itself with SO_REUSEPORT, or the peer's worker by address
     * hash with one reader. Called on {@code reader}'s thread.
     */
    ServerWorker ownerOf(ServerWorker reader, byte[] buf, int len, InetSocketAddress from) {
        if (workers.length == 1) {
            return reader;
        }
        ServerWorker byId = ownerByConnectionId(buf, len);
        if (byId != null) {
            return byId;
        }
        if (reader.acceptor.holds(from)) {
            return reader; // the common case: the kernel (or the dispatch hash) sent the peer to its worker
        }
        int owner = owners.get(from);
        if (owner >= 0) {
            return workers[owner];
        }
        return reusePort ? reader : workers[Math.floorMod(from.hashCode(), workers.length)];
    }

    /**
     * The hook for Connection ID routing (RFC 9146, issue 12): a record carrying a CID names its connection
     * whatever address it comes from (after a NAT rebinding the kernel may give it to another worker), so the
     * owner is found by CID before the address, when the configured generator writes owners into its CIDs.
     * Null when the datagram's first record carries no CID of the configured length or no owner: then the
     * address decides.
     */
    private ServerWorker ownerByConnectionId(byte[] buf, int len) {
        ConnectionIdGenerator generator = cidGenerator;
        if (generator == null || cidLength <= 0 || len < 1 || (buf[0] & 0xff) != ContentType.TLS12_CID
                || RecordPeek.recordLength(buf, 0, len, cidLength) < 0) {
            return null;
        }
        int owner = generator.ownerOf(buf, RecordPeek.CID_OFFSET);
        return owner >= 0 && owner < workers.length ? workers[owner] : null;
    }

    /** {@return the worker holding {@code peer}'s connection, or null} */
    private ServerWorker ownerOf(InetSocketAddress peer) {
        if (workers.length == 1) {
            return workers[0];
        }
        ServerWorker here = current();
        if (here != null && here.acceptor.holds(peer)) {
            return here; // a handler answering its own peer: no look-up in the shared directory
        }
        int owner = owners.get(peer);
        return owner >= 0 ? workers[owner] : null;
    }

    /** {@return the peer addresses the owner map holds (0 with one worker), for tests that look for leaks} */
    int ownedAddresses() {
        return owners == null ? 0 : owners.size();
    }

    /** {@return the worker whose thread is calling, or null} */
    private ServerWorker current() {
        for (ServerWorker w : workers) {
            if (w.isCurrent()) {
                return w;
            }
        }
        return null;
    }

    /** A worker started a connection with {@code peer}: it owns the peer from now on. */
    void claimed(ServerWorker w, InetSocketAddress peer) {
        if (owners != null) {
            owners.put(peer, w.index);
        }
    }

    /** A connection of {@code w} with {@code peer} ended; the peer stays {@code w}'s while it holds another. */
    void released(ServerWorker w, InetSocketAddress peer) {
        if (owners != null && !w.acceptor.holds(peer)) {
            owners.remove(peer, w.index);
        }
    }

    /**
     * Sends one application datagram to the established connection of {@code peer}. On the thread of the
     * worker holding it (inside a {@link Handler} callback) it is sent at once; from any other thread it is
     * queued for that worker, and silently dropped there if the peer is gone by then (as UDP would).
     *
     * @param peer the client's address
     * @param data the plaintext of one record, at most the connection's {@link DtlsConnection#maxSendPlaintext()}
     * @return on the worker holding the peer, whether it had an established connection; elsewhere false when
     *     no worker holds the peer, otherwise true
     * @throws IllegalArgumentException when the data exceed the connection's record limit
     */
    public boolean send(InetSocketAddress peer, byte[] data) {
        ServerWorker owner = ownerOf(peer);
        if (owner == null) {
            return false;
        }
        if (owner.isCurrent()) {
            return owner.sendNow(peer, data);
        }
        byte[] copy = data.clone();
        owner.submit(() -> owner.sendNow(peer, copy));
        return true;
    }

    /**
     * Sends one datagram as it is, outside DTLS, on the server's socket (STUN answers, SRTP packets: RFC 7983
     * multiplexing). On a worker thread it is sent at once; from another thread it is queued for worker 0.
     * The first byte must not fall in DTLS's range (20..63), so a peer's demultiplexer never mistakes it for
     * a record.
     *
     * @param peer where to send it, not null
     * @param datagram the datagram, 1 to 65507 bytes; copied when queued
     * @throws IllegalArgumentException for an empty datagram, one that would read as DTLS, or one over 65507 bytes
     */
    public void sendRaw(InetSocketAddress peer, byte[] datagram) {
        Objects.requireNonNull(peer, "peer");
        DatagramKind kind = DatagramKind.classify(datagram, 0, datagram.length);
        if (datagram.length == 0 || kind == DatagramKind.DTLS || datagram.length > DtlsConfig.MAX_DATAGRAM_SIZE) {
            throw new IllegalArgumentException("not a datagram to send outside DTLS: " + datagram.length
                    + " bytes, " + kind);
        }
        ServerWorker here = current();
        if (here != null) {
            here.sendDatagram(datagram, 0, datagram.length, peer);
            return;
        }
        byte[] copy = datagram.clone();
        workers[0].submit(() -> workers[0].sendDatagram(copy, 0, copy.length, peer));
    }

    /**
     * RFC 5705 keying material of the established connection with {@code peer} (see
     * {@link DtlsConnection#exportKeyingMaterial}); from a {@link Handler#onConnected} callback, SRTP keys are
     * {@code SrtpKeys.derive((l, c, n) -> server.exportKeyingMaterial(peer, l, c, n), result.srtpProfile())}.
     * Costs as {@link #handshakeResult}: a table look-up plus the PRF on the peer's worker thread; elsewhere
     * handed to that worker (up to 5 s for a busy one; a worker asking another keeps answering its own
     * questions while it waits, so two never wait each other out). A connection at rest exports from its
     * compact form (the same bytes) and is not woken.
     *
     * @param peer the client's address
     * @param label the exporter label, not a reserved one
     * @param context the context, at most 65535 bytes, or null for none (which differs from empty)
     * @param length how many bytes to export
     * @return a fresh array of {@code length} bytes
     * @throws IllegalStateException when {@code peer} has no established connection, or the worker did not
     *         answer in time
     * @throws IllegalArgumentException for a reserved label, a context over 65535 bytes, a negative length
     */
    public byte[] exportKeyingMaterial(InetSocketAddress peer, String label, byte[] context, int length) {
        Objects.requireNonNull(peer, "peer");
        ServerWorker owner = ownerOf(peer);
        if (owner == null) {
            throw new IllegalStateException("no connection with " + peer);
        }
        return onWorker(owner, () -> owner.acceptor.exportKeyingMaterial(peer, label, context, length));
    }

    /**
     * Who {@code peer} is and what its handshake agreed: the {@link HandshakeResult} of its established
     * connection (peer certificates or raw public key, PSK identity, session), the same one
     * {@link Handler#onConnected} was given, so an application that authorises each request (a CoAP or LwM2M
     * server by the device's raw key or certificate) needs no map of its own to fill and clean.
     *
     * <p>Cost: inside a {@link Handler} callback for that peer (its worker's thread) it is a look-up in the
     * worker's table. A connection at rest ({@link Builder#restAfter}) is not woken to answer: the result is
     * read from its compact form (no keys derived; its chain or raw key decoded on each such call, where a live
     * connection decodes it once), so a thread that goes over every peer costs CPU, not the memory the rest
     * saved; in {@link Handler#onData} the datagram has woken it already. From any other thread the
     * question is handed to the peer's worker and this thread waits for the answer, up to 5 s (then
     * {@link IllegalStateException}); the worker answers between datagrams, so the wait is about one pass of
     * its loop. A callback on one worker asking about a peer of another waits for that one in the same way,
     * and meanwhile keeps answering the questions addressed to its own worker, so two workers asking about
     * each other's peers at once both get their answers (no deadlock, no 5 s wait); that worker's other peers
     * wait for the one answer. Once the server or the peer's worker has ended, the answer is read at once on
     * the calling thread.
     *
     * @param peer the client's address, not null
     * @return the result, or null when no established connection has that address (none, still handshaking,
     *     closed, or moved to another address under its Connection ID)
     * @throws IllegalStateException when the peer's worker did not answer in time
     */
    public HandshakeResult handshakeResult(InetSocketAddress peer) {
        Objects.requireNonNull(peer, "peer");
        ServerWorker owner = ownerOf(peer);
        if (owner == null) {
            return null;
        }
        return onWorker(owner, () -> owner.acceptor.handshakeResult(peer));
    }

    /**
     * Evaluates {@code read} (a read of {@code w}'s tables, nothing else) on {@code w}'s thread while the
     * server runs, else here (nobody else touches the state), passing its unchecked exceptions on.
     *
     * <p>Why this never deadlocks: the question goes to {@code w}'s query queue, which {@code w} drains in
     * its loop and also while its own thread waits here for another worker. So when a callback on worker A
     * asks about a peer of B while a callback on B asks about a peer of A, each answers the other's question
     * from its wait, and both go on after one read each; chains and cycles over more workers unwind the same
     * way. Only our own read-only questions run in that wait (never a task, a datagram or application code),
     * so a worker's tables are read there exactly as a callback asking about its own peer reads them, and no
     * question waits in turn. What can still make a caller wait is a worker busy in one long callback or
     * datagram; that wait is bounded by {@link #ANSWER_WAIT_NANOS}. Considered instead: a lock per worker
     * (every datagram would take it), concurrent tables (a copy of each connection's result to publish, and
     * the exporter's secret shared across threads), failing at once when a worker asks another (it would
     * refuse the very use this call exists for).
     */
    private <T> T onWorker(ServerWorker w, Supplier<T> read) {
        if (!running || w.isCurrent()) {
            return read.get();
        }
        ServerWorker.Query<T> q = new ServerWorker.Query<>(read);
        w.ask(q);
        ServerWorker here = current(); // a worker asking keeps answering questions to itself while it waits
        long deadline = System.nanoTime() + ANSWER_WAIT_NANOS;
        while (!q.isDone()) {
            if (here != null) {
                here.answerQueries();
                if (q.isDone()) {
                    break;
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while waiting for a server worker");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("the server worker did not answer");
            }
            // Woken by the answer, by a question to this worker (ServerWorker.ask) or by an interrupt.
            LockSupport.parkNanos(q, left);
        }
        return q.result();
    }

    /** {@return a snapshot of the counters, summed over the workers (each read on its own thread while it runs)} */
    public Stats stats() {
        Stats sum = null;
        for (ServerWorker w : workers) {
            Stats s = onWorker(w, () -> w.stats(preAuthBytesPerPeer));
            sum = sum == null ? s : Stats.sum(sum, s);
        }
        return sum;
    }

    /**
     * A snapshot of the counters and gauges a metrics library polls: handshakes by outcome, drops by reason
     * across all connections (closed ones included), bytes and records each way, retransmissions, the
     * pre-authentication budget. Each worker's part is taken on its thread while it runs, then summed.
     *
     * @return the snapshot
     * @throws IllegalStateException when interrupted while waiting for a worker
     */
    public DtlsServerMetrics metrics() {
        DtlsServerMetrics sum = null;
        for (ServerWorker w : workers) {
            DtlsServerMetrics m = onWorker(w, () -> w.metrics(preAuthBytesPerPeer));
            sum = sum == null ? m : MetricsTally.sum(sum, m);
        }
        return sum;
    }

    /** {@return the questions the workers answered for other threads (hand-offs)} For tests. */
    long queriesAnswered() {
        long n = 0;
        for (ServerWorker w : workers) {
            n += w.queriesAnswered();
        }
        return n;
    }

    /** {@return how many workers have ended} For tests. */
    int endedWorkers() {
        int n = 0;
        for (ServerWorker w : workers) {
            n += w.hasEnded() ? 1 : 0;
        }
        return n;
    }

    /** Connections in the timer sets: never more than the live connections. For tests. */
    int timerCount() {
        int n = 0;
        for (ServerWorker w : workers) {
            n += onWorker(w, w.acceptor::timerCount);
        }
        return n;
    }

    /** Connections holding a timer entry. For tests. */
    int slotCount() {
        int n = 0;
        for (ServerWorker w : workers) {
            n += onWorker(w, w.acceptor::trackedCount);
        }
        return n;
    }

    /** {@return the live connections of each worker, by worker index} For tests. */
    int[] connectionsPerWorker() {
        int[] out = new int[workers.length];
        for (ServerWorker w : workers) {
            out[w.index] = onWorker(w, w.acceptor::connectionCount);
        }
        return out;
    }

    /**
     * Sends close_notify to every peer (each worker to its own), closes the sockets and, when called from
     * a thread that is not a worker, waits (up to 5 s) for the workers to end. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            if (!running) {
                if (!shutDown) {
                    liveWorkers.set(workers.length);
                    for (ServerWorker w : workers) {
                        w.shutdown();
                    }
                }
                return;
            }
        }
        for (ServerWorker w : workers) {
            w.wakeup();
        }
        if (current() == null) {
            try {
                stopped.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, "DTLS server workers did not stop in time", e);
            }
        }
    }

    /** {@return true once {@link #close()} completed the shutdown} */
    public boolean isClosed() {
        return shutDown;
    }

    @Override
    public String toString() {
        return "DtlsServer[" + (channels[0].isOpen() ? localAddress() : "closed") + ", " + workers.length + " workers]";
    }

    /**
     * The observer when none is given: it hears nothing, and having no {@code onTrace} of its own it wants no
     * trace lines ({@link DtlsListener#wantsTraces()}'s default), so a server's handshakes build none.
     */
    private static final DtlsListener NO_OBSERVER = new DtlsListener() { };

    /** {@link Builder#restAfter}'s default: long enough that a chatty peer never rests, short enough for a fleet. */
    static final Duration DEFAULT_REST_AFTER = Duration.ofSeconds(2);

    /** Options for a {@link DtlsServer}; {@link #build()} binds the socket. */
    public static final class Builder {
        private final DtlsConfig config;
        private InetSocketAddress bind = new InetSocketAddress(0);
        private Handler handler = (server, peer, data) -> { };
        private DtlsListener observer = NO_OBSERVER;
        private DatagramFilter filter = DatagramFilter.PASS_ALL;
        private OtherDatagramHandler otherHandler;
        private CookieVerifier cookieVerifier;
        private org.dtls4j.crypto.SharedSecrets sharedSecrets;
        private int maxConnections = 1024;
        private int maxHalfOpen = 64;
        private int maxHalfOpenPerAddress;
        private int workers;
        private boolean reusePort = true;
        private int receiveBufferSize;
        private int sendBufferSize;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration halfOpenTimeout = Duration.ofSeconds(30);
        private Duration restAfter = DEFAULT_REST_AFTER;

        private Builder(DtlsConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * The local address (default: every interface, an ephemeral port).
         *
         * @param address the address to bind, not null
         * @return this builder
         */
        public Builder bind(InetSocketAddress address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * What the application does with its peers (default: drops their data).
         *
         * @param h the handler, not null; its callbacks run on the worker threads
         * @return this builder
         */
        public Builder handler(Handler h) {
            this.handler = Objects.requireNonNull(h, "handler");
            return this;
        }

        /**
         * Hears every event of every connection (traces included), on the worker threads.
         *
         * @param listener the observer, not null
         * @return this builder
         */
        public Builder observer(DtlsListener listener) {
            this.observer = Objects.requireNonNull(listener, "observer");
            return this;
        }

        /**
         * Decides which outgoing datagrams are really sent (loss simulation, capture).
         *
         * @param f the filter, not null; {@link DatagramFilter#PASS_ALL} by default
         * @return this builder
         */
        public Builder sendFilter(DatagramFilter f) {
            this.filter = Objects.requireNonNull(f, "filter");
            return this;
        }

        /**
         * Hands every datagram that is not DTLS by its first byte (RFC 7983 §7: STUN, TURN channel, ZRTP,
         * SRTP/SRTCP, unknown) to {@code h} with the peer's address and a copy of the bytes, instead of giving
         * it to the DTLS side, which would drop it. Default: none (everything goes to DTLS). Answer with
         * {@link DtlsServer#sendRaw}.
         *
         * @param h the handler, not null
         * @return this builder
         */
        public Builder otherDatagrams(OtherDatagramHandler h) {
            this.otherHandler = Objects.requireNonNull(h, "handler");
            return this;
        }

        /**
         * Cookie secrets from an application-supplied source shared by every node behind one address, so a
         * cookie one node made verifies on another; the server follows the source's rotation. Pass the same
         * source to {@link org.dtls4j.handshake.session.SessionTickets#create} for tickets. Ignored when a
         * {@link #cookieVerifier} is given.
         *
         * @param secrets the shared secret source, not null
         * @return this builder
         */
        public Builder sharedSecrets(org.dtls4j.crypto.SharedSecrets secrets) {
            this.sharedSecrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        /**
         * The cookie verifier (default: {@link CookieVerifier#create()}, a fresh random secret).
         *
         * @param verifier the verifier, not null
         * @return this builder
         */
        public Builder cookieVerifier(CookieVerifier verifier) {
            this.cookieVerifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * The most connections at once, established and half-open (default 1024).
         *
         * @param n the bound, at least 1 (checked at build)
         * @return this builder
         */
        public Builder maxConnections(int n) {
            this.maxConnections = n;
            return this;
        }

        /**
         * The most handshakes in progress at once: the pre-authentication cap (default 64).
         *
         * @param n the bound, at least 1 (checked at build)
         * @return this builder
         */
        public Builder maxHalfOpen(int n) {
            this.maxHalfOpen = n;
            return this;
        }

        /**
         * The most handshakes in progress from one source, an IPv4 address or an IPv6 /64 (default: a quarter
         * of {@link #maxHalfOpen}, rounded up), so one host cannot take every half-open slot.
         *
         * @param n the bound, 1 to {@link #maxHalfOpen} (the upper bound is checked at build)
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is below 1
         */
        public Builder maxHalfOpenPerAddress(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxHalfOpenPerAddress must be positive: " + n);
            }
            this.maxHalfOpenPerAddress = n;
            return this;
        }

        /**
         * How long an established connection stays quiet (no datagram from its peer, nothing sent to it)
         * before the server keeps it as a compact form of about 200 bytes (PSK; ~280 with a raw P-256 key, ~200
         * plus the DER chain with X.509) instead of its ~1.9 KB (PSK) to ~8 KB (X.509) of live objects, until the
         * next datagram or {@link DtlsServer#send} wakes it (default 2 seconds; null for never). A server of many
         * mostly idle devices holds a fraction of the heap; a wake costs one key derivation at most once per quiet
         * spell, and nothing the records or the application need is lost (sequence numbers, replay window, keys,
         * Connection IDs, exporter, and the whole {@link HandshakeResult}: the peer's certificates or raw public
         * key and the session, decoded again when first asked for). What a connection at rest does not keep: its
         * traffic counters (they count from the wake; the server's metrics fold them in before the rest), and its
         * live {@link DtlsConnection} object — an observer that keeps those objects sees them closed when they
         * rest and new ones after a wake. A
         * connection whose last flight the peer may still need, or whose peer is moving address, rests later.
         *
         * @param d the quiet time, positive, or null to keep every connection live
         * @return this builder
         * @throws IllegalArgumentException when {@code d} is zero or negative
         */
        public Builder restAfter(Duration d) {
            this.restAfter = d == null ? null : positive(d);
            return this;
        }

        /**
         * How long an established connection may stay silent before it is closed (default 5 minutes).
         *
         * @param d the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException when {@code d} is zero or negative
         */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d);
            return this;
        }

        /**
         * How long a handshake may stay silent before it is dropped (default 30 seconds).
         *
         * @param d the timeout, positive
         * @return this builder
         * @throws IllegalArgumentException when {@code d} is zero or negative
         */
        public Builder halfOpenTimeout(Duration d) {
            this.halfOpenTimeout = positive(d);
            return this;
        }

        /**
         * How many worker threads serve (default: the available processors, or 1 with a
         * {@link #cookieVerifier} instance, which serves one thread). Each worker owns the connections it
         * accepted, with their timers and its share of the caps ({@link #maxConnections}, {@link #maxHalfOpen}
         * and {@link #maxHalfOpenPerAddress} are split between the workers, at least 1 each).
         *
         * <p>More workers raise the ceiling; below it they cost CPU. A worker with nothing to read sleeps,
         * and each sleeps and wakes on its own, so at a load that keeps no worker busy, N workers take about
         * N times the wakeups of one for the same datagrams, and a wakeup can cost more than the protocol
         * work it brings (on a 2-core virtual machine sharing its cores with the load, at 3,000–4,400
         * handshakes/s: ~35% more CPU per handshake with 2 workers than with 1; at 5,000–10,000/s, where a
         * wakeup drains several datagrams, no difference beyond the noise; bench/RESULTS.md). A server that
         * shares a small machine and needs less than a core may do better with fewer workers than processors.
         *
         * @param n the number of workers, 1 to 1024
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is out of range
         */
        public Builder workers(int n) {
            if (n < 1 || n > 1024) {
                throw new IllegalArgumentException("workers must be 1..1024: " + n);
            }
            this.workers = n;
            return this;
        }

        /**
         * Whether several workers each bind their own socket to the port with SO_REUSEPORT, where the OS offers
         * it (default true), so the kernel spreads the peers over them; false, or where it is not offered, one
         * socket is read by worker 0, which hands each datagram to the worker of its peer. On Linux any other
         * socket of the same user that binds the same port with SO_REUSEPORT joins the group and takes a share
         * of the peers; bind a port no one else binds.
         *
         * @param reuse whether to use SO_REUSEPORT
         * @return this builder
         */
        public Builder reusePort(boolean reuse) {
            this.reusePort = reuse;
            return this;
        }

        /**
         * The receive buffer to ask the OS for on each of the server's sockets (SO_RCVBUF; default: the OS's).
         * Datagrams that arrive while it is full are lost before the server sees them, so a server whose peers
         * come in bursts — a fleet reconnecting after an outage, many close_notify at once — wants more than
         * the OS default (212 KB on Linux, about 400 ClientHellos). The OS may grant less or more: Linux caps
         * the request at {@code net.core.rmem_max} (raise that with sysctl for more) and doubles it;
         * {@link DtlsServer#receiveBufferSize()} says what was granted.
         *
         * @param bytes the size to ask for, 1 or more
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is below 1
         */
        public Builder receiveBufferSize(int bytes) {
            this.receiveBufferSize = atLeastOne(bytes);
            return this;
        }

        /**
         * The send buffer to ask the OS for on each of the server's sockets (SO_SNDBUF; default: the OS's).
         * A full send buffer makes a send fail, counted in {@link Stats#sendErrors()}, and the peer's
         * retransmission recovers it.
         *
         * @param bytes the size to ask for, 1 or more
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is below 1
         */
        public Builder sendBufferSize(int bytes) {
            this.sendBufferSize = atLeastOne(bytes);
            return this;
        }

        private static int atLeastOne(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("buffer size must be 1 or more: " + bytes);
            }
            return bytes;
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + d);
            }
            return d;
        }

        /**
         * Binds the socket; the server is ready for {@link DtlsServer#start()} or {@link DtlsServer#run()}.
         *
         * @return the bound server, not yet serving
         * @throws IllegalStateException when the config cannot serve its suites as a server
         * @throws IOException when the address cannot be bound
         */
        public DtlsServer build() throws IOException {
            return new DtlsServer(this);
        }

        /**
         * {@link #build()} then {@link DtlsServer#start()}.
         *
         * @return the server, serving on a daemon thread
         * @throws IllegalStateException when the config cannot serve its suites as a server
         * @throws IOException when the address cannot be bound
         */
        public DtlsServer start() throws IOException {
            return build().start();
        }
    }
}
