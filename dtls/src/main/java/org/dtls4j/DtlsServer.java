package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.handshake.machine.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;

/**
 * A DTLS 1.2 server on one {@link DatagramChannel}: many peers through one {@link DtlsAcceptor} (the
 * stateless cookie verifier in front, a {@link DtlsConnection} per peer address), driven by one thread with
 * one timer queue. Build it with {@link #builder}, then {@link #start()} it on its own thread or {@link #run()}
 * it on yours; {@link #close()} sends close_notify to every peer and closes the socket.
 *
 * <pre>
 *   DtlsServer server = DtlsServer.builder(config)
 *           .bind(new InetSocketAddress(4433))
 *           .handler((srv, peer, data) -&gt; srv.send(peer, data))   // echo
 *           .start();
 * </pre>
 *
 * <p>Timers: one ordered set holding each live connection once, by its deadline: the earlier of its
 * retransmission timer and its idle check. A connection that ends leaves the set at once, so nothing keeps
 * a closed connection reachable. No thread or {@code ScheduledFuture} per connection.
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
 * ({@link org.dtls4j.handshake.ReassemblyLimits#maxHeldBytes()}), its early next-epoch records
 * ({@link org.dtls4j.record.RecordLayerConfig#maxHeldBytes()}), the engine's send buffer and the server's
 * buffered flight. With the defaults and a PSK config that is about 180 KiB, so the default 64 half-open
 * handshakes cost at most about 11 MiB. At most {@code maxHalfOpen} such peers exist at once, so the total is bounded by
 * {@link Stats#preAuthBytesTotal()}; a verified ClientHello beyond the cap is dropped and counted.
 *
 * <p>Threads: every callback of the {@link Handler} runs on the server thread; calling {@link #send} there
 * sends at once. {@link #send}, {@link #stats()} and {@link #close()} may be called from any thread (they are
 * handed to the server thread).
 */
public final class DtlsServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DtlsServer.class.getName());
    private static final int BUFFER = 1 << 16;
    /** The engine's own buffers per connection: send buffer (2^14 + 1 KiB) and alert buffer. */
    private static final int ENGINE_BYTES = (1 << 14) + 1024 + 512;

    /**
     * What the application does with its peers; every callback runs on the server thread. A callback that
     * throws fails that peer's connection with internal_error (counted in {@link Stats#internalErrors()});
     * every other peer is served on.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * A handshake with {@code peer} completed; the handler may {@link DtlsServer#send} from here on.
         *
         * @param server the server, to send with
         * @param peer the client's address, the key of its connection
         * @param result what the handshake agreed: suite, peer identity, ALPN, SRTP profile
         */
        default void onConnected(DtlsServer server, InetSocketAddress peer, HandshakeResult result) {
        }

        /**
         * One application datagram from {@code peer}.
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
    }

    /**
     * Receives the datagrams on the server's socket that are not DTLS (RFC 7983 §7: STUN, TURN channel data,
     * ZRTP, SRTP/SRTCP, unknown), when a WebRTC-style application shares the port; runs on the server thread.
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
     */
    public record Stats(int connections, int halfOpen, int maxConnections, int maxHalfOpen,
                        long preAuthBytesPerPeer, long preAuthBytesTotal, long helloVerifyRequests,
                        long cookieDrops, long connectionsRefused, long halfOpenRefused, long connectionsReplaced,
                        long idleClosed, long handshakesCompleted, long datagramsIn, long datagramsOut,
                        long sendErrors, int maxHalfOpenPerAddress, long halfOpenPerAddressRefused,
                        long internalErrors) {
    }

    /** One connection's place in the timer set: in it (once) while {@code scheduled} is not MAX_VALUE. */
    private static final class Slot {
        final DtlsConnection connection;
        final long order;
        long scheduled = Long.MAX_VALUE;
        boolean established;

        Slot(DtlsConnection connection, long order) {
            this.connection = connection;
            this.order = order;
        }
    }

    private final DatagramChannel channel;
    private final Selector selector;
    private final DtlsAcceptor acceptor;
    /** Cookie keys from the application's shared source, or null for the verifier's own. */
    private final SharedCookieSecrets sharedCookies;
    private final Handler handler;
    private final DtlsListener observer;
    private final DatagramFilter filter;
    private final OtherDatagramHandler otherHandler;
    private final long idleTimeoutNanos;
    private final long halfOpenTimeoutNanos;
    private final long preAuthBytesPerPeer;
    private final Map<DtlsConnection, Slot> slots = new IdentityHashMap<>();
    private final TreeSet<Slot> timers = new TreeSet<>((a, b) -> a.scheduled != b.scheduled
            ? Long.compare(a.scheduled, b.scheduled) : Long.compare(a.order, b.order));
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocate(BUFFER);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(BUFFER);
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final MetricsTally tally = new MetricsTally();

    private volatile boolean running;
    private volatile boolean closing;
    private volatile Thread loopThread;
    private boolean shutDown;
    private long idleClosed;
    private long handshakesCompleted;
    private long datagramsIn;
    private long datagramsOut;
    private long sendErrors;
    private long loopErrors;
    private long slotOrder;
    private volatile Throwable stopCause;

    private DtlsServer(Builder b) throws IOException {
        this.handler = b.handler;
        this.observer = b.observer;
        this.filter = b.filter;
        this.otherHandler = b.otherHandler;
        this.idleTimeoutNanos = b.idleTimeout.toNanos();
        this.halfOpenTimeoutNanos = b.halfOpenTimeout.toNanos();
        DtlsConfig config = b.config;
        this.preAuthBytesPerPeer = preAuthBytesPerPeer(config);
        this.sharedCookies = b.sharedSecrets != null ? new SharedCookieSecrets(b.sharedSecrets) : null;
        CookieVerifier verifier = b.cookieVerifier != null ? b.cookieVerifier
                : sharedCookies != null ? sharedCookies.newVerifier(System.currentTimeMillis()) : CookieVerifier.create();
        int perAddress = b.maxHalfOpenPerAddress > 0 ? b.maxHalfOpenPerAddress
                : DtlsAcceptor.defaultHalfOpenPerAddress(b.maxHalfOpen);
        this.acceptor = new DtlsAcceptor(config, verifier, this::sendDatagram, new Events(),
                b.maxConnections, b.maxHalfOpen, perAddress);
        this.channel = DatagramChannel.open();
        try {
            channel.bind(b.bind);
            channel.configureBlocking(false);
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * What one half-open peer can make the server hold: the reassembly bound, the held-records bound, the
     * engine's buffers, and the server's buffered flight (its certificate chain plus 2 KiB for the other
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
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server socket is closed", e);
        }
    }

    /**
     * Runs the server loop on a new daemon thread and returns this server.
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
     * Runs the server loop on the calling thread until {@link #close()}; then it has shut down. It also
     * returns (shut down) if the socket is closed under it or the thread is interrupted;
     * {@link #stopCause()} then says why.
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
            loopThread = Thread.currentThread();
        }
        try {
            while (!closing) {
                if (!channel.isOpen() || !selector.isOpen()) {
                    stopCause = new java.nio.channels.ClosedChannelException();
                    break;
                }
                if (Thread.currentThread().isInterrupted()) {
                    // The thread's owner wants it back (select would return at once forever): stop, and say so.
                    stopCause = new InterruptedException("the server thread was interrupted");
                    break;
                }
                try {
                    runTasks();
                    fireTimers(System.nanoTime());
                    waitForInput();
                    if (sharedCookies != null) {
                        sharedCookies.refresh(acceptor.cookieVerifier(), System.currentTimeMillis());
                    }
                    readAvailable();
                } catch (java.nio.channels.ClosedChannelException | java.nio.channels.ClosedSelectorException e) {
                    if (!closing) {
                        stopCause = e;
                    }
                    break;
                } catch (IOException | RuntimeException e) {
                    // One bad turn of the loop (a socket error, a bug) must not end service for everyone.
                    loopErrors++;
                    LOG.log(System.Logger.Level.ERROR, "DTLS server loop error (serving on)", e);
                }
            }
            if (stopCause != null) {
                LOG.log(System.Logger.Level.ERROR, "DTLS server loop stopped without close()", stopCause);
            }
        } finally {
            shutdown();
        }
    }

    /**
     * {@return why the server loop ended without {@link #close()} (its socket was closed under it, or its thread was interrupted), or null while it runs or when it ended through {@link #close()}}
     */
    public Throwable stopCause() {
        return stopCause;
    }

    private void waitForInput() throws IOException {
        Slot next = timers.isEmpty() ? null : timers.first();
        if (next == null) {
            selector.select();
        } else {
            long wait = next.scheduled - System.nanoTime();
            if (wait > 0) {
                selector.select(Math.max(1, (wait + 999_999) / 1_000_000));
            } else {
                selector.selectNow();
            }
        }
        selector.selectedKeys().clear();
    }

    private void readAvailable() throws IOException {
        // A bounded batch, so timers and tasks run even under a flood.
        for (int i = 0; i < 256 && !closing; i++) {
            receiveBuffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(receiveBuffer);
            } catch (java.net.PortUnreachableException e) {
                continue; // an ICMP error for an earlier send: a peer went away, which its timers will notice
            }
            if (from == null) {
                return;
            }
            datagramsIn++;
            if (otherHandler != null && handOff(from)) {
                continue;
            }
            long now = System.nanoTime();
            DtlsConnection c = acceptor.receive(receiveBuffer.array(), 0, receiveBuffer.position(), from, now);
            if (c != null) {
                track(c, now);
            }
        }
    }

    /** Puts a connection that took a datagram (new or known) in the timer set, or keeps it there. */
    private void track(DtlsConnection c, long now) {
        try {
            if (!c.isClosed()) {
                schedule(slots.computeIfAbsent(c, k -> new Slot(k, slotOrder++)), now);
            }
        } catch (RuntimeException e) {
            contain(c, e);
        }
    }

    /** A bug in the server's own bookkeeping for one connection: that connection fails, the loop serves on. */
    private void contain(DtlsConnection c, RuntimeException e) {
        loopErrors++;
        LOG.log(System.Logger.Level.ERROR, "DTLS server: internal error for " + c, e);
        c.failInternally(e);
        unschedule(c);
    }

    /** Gives a non-DTLS datagram to the application's handler (RFC 7983 §7); false for DTLS. */
    private boolean handOff(InetSocketAddress from) {
        int len = receiveBuffer.position();
        DatagramKind kind = DatagramKind.classify(receiveBuffer.array(), 0, len);
        if (kind == DatagramKind.DTLS) {
            return false;
        }
        byte[] data = Arrays.copyOf(receiveBuffer.array(), len);
        try {
            otherHandler.onDatagram(this, from, kind, data);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "DTLS server handler for other datagrams failed", e);
        }
        return true;
    }

    private void schedule(Slot s, long now) {
        long limit = s.established ? idleTimeoutNanos : halfOpenTimeoutNanos;
        long deadline = Math.min(s.connection.nextTimeoutNanos(), s.connection.lastProgressNanos() + limit);
        if (deadline == s.scheduled) {
            return;
        }
        if (s.scheduled != Long.MAX_VALUE) {
            timers.remove(s);
        }
        s.scheduled = deadline;
        timers.add(s);
    }

    private void unschedule(DtlsConnection c) {
        Slot s = slots.remove(c);
        if (s != null && s.scheduled != Long.MAX_VALUE) {
            timers.remove(s);
            s.scheduled = Long.MAX_VALUE;
        }
    }

    private void fireTimers(long now) {
        while (!timers.isEmpty() && timers.first().scheduled <= now) {
            Slot s = timers.pollFirst();
            s.scheduled = Long.MAX_VALUE;
            try {
                fire(s, now);
            } catch (RuntimeException e) {
                contain(s.connection, e);
            }
        }
    }

    private void fire(Slot s, long now) {
        DtlsConnection c = s.connection;
        long limit = s.established ? idleTimeoutNanos : halfOpenTimeoutNanos;
        if (now - c.lastProgressNanos() >= limit) {
            idleClosed++;
            if (s.established) {
                c.close(now);
            } else {
                // A half-open peer may be anyone's spoofed address: drop it without another word.
                tally.expiring = c;
                try {
                    c.replaced();
                } finally {
                    tally.expiring = null;
                }
            }
            return;
        }
        if (c.nextTimeoutNanos() <= now) {
            c.onTimeout(now);
        }
        if (!c.isClosed()) {
            schedule(s, now);
        }
    }

    private void runTasks() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // A send queued from another thread that the connection refused (too large, closed meanwhile).
                loopErrors++;
                LOG.log(System.Logger.Level.WARNING, "DTLS server: a queued task failed", e);
            }
        }
    }

    /** Connections in the timer set: never more than the live connections. For tests. */
    int timerCount() {
        return onLoop(timers::size);
    }

    /** Connections the server keeps a slot for. For tests. */
    int slotCount() {
        return onLoop(slots::size);
    }

    private void sendDatagram(byte[] buf, int off, int len, InetSocketAddress peer) {
        if (!filter.pass(buf, off, len, peer)) {
            return;
        }
        sendBuffer.clear();
        sendBuffer.put(buf, off, len).flip();
        try {
            if (channel.send(sendBuffer, peer) == 0) {
                sendErrors++; // the socket buffer is full: the datagram is lost, as on the network
            } else {
                datagramsOut++;
            }
        } catch (IOException e) {
            sendErrors++;
        }
    }

    /**
     * Sends one application datagram to the established connection of {@code peer}. On the server thread
     * (inside a {@link Handler} callback) it is sent at once; from another thread it is queued for the server
     * thread, and silently dropped there if the peer is gone by then (as UDP would).
     *
     * @param peer the client's address
     * @param data the plaintext of one record, at most the connection's {@link DtlsConnection#maxSendPlaintext()}
     * @return on the server thread, whether {@code peer} had an established connection; otherwise true
     * @throws IllegalArgumentException when the data exceed the connection's record limit
     */
    public boolean send(InetSocketAddress peer, byte[] data) {
        if (Thread.currentThread() == loopThread) {
            DtlsConnection c = acceptor.connection(peer);
            if (c == null || !c.isEstablished()) {
                return false;
            }
            c.send(data, System.nanoTime());
            return true;
        }
        byte[] copy = data.clone();
        submit(() -> send(peer, copy));
        return true;
    }

    /**
     * Sends one datagram as it is, outside DTLS, on the server's socket (STUN answers, SRTP packets: RFC 7983
     * multiplexing). On the server thread it is sent at once; from another thread it is queued for it. The
     * first byte must not fall in DTLS's range (20..63), so a peer's demultiplexer never mistakes it for a
     * record.
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
        if (Thread.currentThread() == loopThread) {
            sendDatagram(datagram, 0, datagram.length, peer);
            return;
        }
        byte[] copy = datagram.clone();
        submit(() -> sendDatagram(copy, 0, copy.length, peer));
    }

    /**
     * RFC 5705 keying material of the established connection with {@code peer} (see
     * {@link DtlsConnection#exportKeyingMaterial}); from a {@link Handler#onConnected} callback, SRTP keys are
     * {@code SrtpKeys.derive((l, c, n) -> server.exportKeyingMaterial(peer, l, c, n), result.srtpProfile())}.
     * Off the server thread it waits (up to 5 s) for the server thread to answer.
     *
     * @param peer the client's address
     * @param label the exporter label, not a reserved one
     * @param context the context, at most 65535 bytes, or null for none (which differs from empty)
     * @param length how many bytes to export
     * @return a fresh array of {@code length} bytes
     * @throws IllegalStateException when {@code peer} has no established connection, or the server thread did
     *         not answer in time
     * @throws IllegalArgumentException for a reserved label, a context over 65535 bytes, a negative length
     */
    public byte[] exportKeyingMaterial(InetSocketAddress peer, String label, byte[] context, int length) {
        if (!running || Thread.currentThread() == loopThread) {
            DtlsConnection c = acceptor.connection(peer);
            if (c == null) {
                throw new IllegalStateException("no connection with " + peer);
            }
            return c.exportKeyingMaterial(label, context, length);
        }
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        submit(() -> {
            try {
                f.complete(exportKeyingMaterial(peer, label, context, length));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the server thread did not answer", e);
        }
    }

    private void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** {@return a snapshot of the counters (taken on the server thread while it runs)} */
    public Stats stats() {
        return onLoop(this::snapshot);
    }

    /**
     * A snapshot of the counters and gauges a metrics library polls: handshakes by outcome, drops by reason
     * across all connections (closed ones included), bytes and records each way, retransmissions, the
     * pre-authentication budget. Taken on the server thread while it runs, like {@link #stats()}.
     *
     * @return the snapshot
     * @throws IllegalStateException when interrupted while waiting for the server thread
     */
    public DtlsServerMetrics metrics() {
        return onLoop(() -> tally.snapshot(slots.keySet(), acceptor, preAuthBytesPerPeer, sendErrors,
                acceptor.internalErrors() + loopErrors));
    }

    /** Evaluates {@code read} on the server thread while it runs (else here: nobody else touches the state). */
    private <T> T onLoop(java.util.function.Supplier<T> read) {
        if (!running || Thread.currentThread() == loopThread) {
            return read.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        submit(() -> f.complete(read.get()));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            // The loop ended meanwhile: no other thread touches the state any more.
            return read.get();
        }
    }

    private Stats snapshot() {
        return new Stats(acceptor.connectionCount(), acceptor.halfOpenCount(), acceptor.maxConnections(),
                acceptor.maxHalfOpen(), preAuthBytesPerPeer, preAuthBytesPerPeer * acceptor.maxHalfOpen(),
                acceptor.helloVerifyRequestsSent(), acceptor.cookieDrops(), acceptor.connectionsRefused(),
                acceptor.halfOpenRefused(), acceptor.connectionsReplaced(), idleClosed, handshakesCompleted,
                datagramsIn, datagramsOut, sendErrors, acceptor.maxHalfOpenPerAddress(),
                acceptor.halfOpenPerAddressRefused(), acceptor.internalErrors() + loopErrors);
    }

    /**
     * Sends close_notify to every peer, closes the socket and, when called from another thread, waits (up to
     * 5 s) for the server loop to end. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            if (!running) {
                shutdown();
                return;
            }
        }
        selector.wakeup();
        if (Thread.currentThread() != loopThread) {
            try {
                stopped.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, "DTLS server loop did not stop in time", e);
            }
        }
    }

    private synchronized void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        try {
            acceptor.closeAll(System.nanoTime());
        } finally {
            slots.clear();
            timers.clear();
            try {
                selector.close();
                channel.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the DTLS server socket", e);
            }
            running = false;
            stopped.complete(null);
        }
    }

    /** {@return true once {@link #close()} completed the shutdown} */
    public boolean isClosed() {
        return shutDown;
    }

    @Override
    public String toString() {
        return "DtlsServer[" + (channel.isOpen() ? localAddress() : "closed") + "]";
    }

    /** The acceptor's events, turned into {@link Handler} calls and timer bookkeeping. */
    private final class Events implements DtlsListener {
        @Override
        public void onHandshakeComplete(DtlsConnection c, HandshakeResult result) {
            handshakesCompleted++;
            Slot s = slots.get(c);
            if (s != null) {
                s.established = true;
            }
            // A handler or observer that throws fails this connection alone (internal_error), in the engine.
            observer.onHandshakeComplete(c, result);
            handler.onConnected(DtlsServer.this, c.peer(), result);
        }

        @Override
        public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
            observer.onApplicationData(c, buf, off, len);
            handler.onData(DtlsServer.this, c.peer(), Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void onAlert(DtlsConnection c, AlertLevel level, AlertDescription description) {
            observer.onAlert(c, level, description);
        }

        @Override
        public void onClosed(DtlsConnection c, DtlsException cause) {
            // Out of the timer set first: nothing here may keep a closed connection reachable.
            unschedule(c);
            tally.onClosed(c);
            try {
                observer.onClosed(c, cause);
            } finally {
                if (c.handshakeResult() != null) {
                    handler.onClosed(DtlsServer.this, c.peer(), cause);
                }
            }
        }

        @Override
        public void onTrace(DtlsConnection c, String event) {
            observer.onTrace(c, event);
        }

        @Override
        public void onEvent(DtlsConnection c, DtlsEvent event) {
            tally.onEvent(c, event);
            observer.onEvent(c, event);
        }

        @Override
        public boolean wantsDropEvents() {
            return observer.wantsDropEvents();
        }
    }

    /** Options for a {@link DtlsServer}; {@link #build()} binds the socket. */
    public static final class Builder {
        private final DtlsConfig config;
        private InetSocketAddress bind = new InetSocketAddress(0);
        private Handler handler = (server, peer, data) -> { };
        private DtlsListener observer = new DtlsListener() { };
        private DatagramFilter filter = DatagramFilter.PASS_ALL;
        private OtherDatagramHandler otherHandler;
        private CookieVerifier cookieVerifier;
        private org.dtls4j.crypto.SharedSecrets sharedSecrets;
        private int maxConnections = 1024;
        private int maxHalfOpen = 64;
        private int maxHalfOpenPerAddress;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration halfOpenTimeout = Duration.ofSeconds(30);

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
         * @param h the handler, not null; its callbacks run on the server thread
         * @return this builder
         */
        public Builder handler(Handler h) {
            this.handler = Objects.requireNonNull(h, "handler");
            return this;
        }

        /**
         * Hears every event of every connection (traces included), on the server thread.
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
         * source to {@link org.dtls4j.handshake.machine.SessionTickets#create} for tickets. Ignored when a
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
