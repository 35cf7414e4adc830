package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;

/**
 * One thread of a {@link DtlsServer}: it owns an acceptor (so its connections, their timers and its cookie
 * verifier), a metrics tally, a selector, and either its own socket on the shared port (SO_REUSEPORT) or
 * none (another worker reads and hands datagrams over). Everything here is touched by its thread only;
 * other threads reach it through {@link #submit}, which queues a task and wakes the selector. So no lock is
 * taken per datagram.
 *
 * <p>Questions from other threads ({@link DtlsServer#handshakeResult}, its exporter, stats) come through a
 * queue of their own, {@link #ask}, apart from the tasks: they only read, so this worker may answer them not
 * only in its loop but also while its own thread waits for another worker's answer ({@link #answerQueries}).
 * That is what keeps two workers asking each other from waiting each other out. Once the worker has ended,
 * questions are answered by the asking thread under this worker's lock ({@link #answerEnded}).
 */
final class ServerWorker implements Runnable {
    private static final System.Logger LOG = System.getLogger(ServerWorker.class.getName());
    private static final int BUFFER = 1 << 16;
    /** Datagrams read per turn of the loop, so timers and tasks run even under a flood. */
    private static final int BATCH = 256;
    private static final Consumer<SelectionKey> IGNORE_KEY = key -> { };

    final int index;
    final DtlsAcceptor acceptor;
    private final DtlsServer server;
    /** The socket this worker reads, or null when another worker reads for it. */
    private final DatagramChannel readChannel;
    /** The socket this worker sends on: its own, or the one shared socket. */
    private final DatagramChannel sendChannel;
    private final Selector selector;
    /** This worker's view of the shared cookie keys, or null when its verifier keeps its own. */
    private final SharedCookieSecrets cookies;
    private final MetricsTally tally = new MetricsTally();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Read-only questions from other threads; never application code (see the class comment). */
    private final ConcurrentLinkedQueue<Query<?>> queries = new ConcurrentLinkedQueue<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocate(BUFFER);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(BUFFER);

    private volatile Thread thread;
    /** Set once the loop has ended and the connections are closed: askers answer themselves from then on. */
    private volatile boolean ended;
    /** Questions answered for other threads; written by the answering thread alone at any one time. */
    private volatile long queriesAnswered;
    private long handshakesCompleted;
    private long datagramsIn;
    private long datagramsOut;
    private long sendErrors;
    private long loopErrors;

    /** An owner-encoding CID generator writes the owner in one byte. */
    private static final int MAX_CID_OWNER = 255;

    ServerWorker(int index, DtlsServer server, DtlsConfig config, CookieVerifier verifier, SharedCookieSecrets cookies,
                 DatagramChannel readChannel, DatagramChannel sendChannel, int[] caps) throws IOException {
        this.index = index;
        this.server = server;
        this.cookies = cookies;
        this.readChannel = readChannel;
        this.sendChannel = sendChannel;
        this.acceptor = new DtlsAcceptor(config, verifier, this::sendDatagram, new Events(), caps[0], caps[1], caps[2]);
        acceptor.idleTimeouts(server.idleTimeoutNanos, server.halfOpenTimeoutNanos);
        acceptor.restAfter(server.restAfterNanos);
        if (index <= MAX_CID_OWNER) {
            acceptor.connectionIdOwner(index); // written into its CIDs by an owner-encoding generator
        }
        this.selector = Selector.open();
        if (readChannel != null) {
            try {
                readChannel.register(selector, SelectionKey.OP_READ);
            } catch (IOException | RuntimeException e) {
                selector.close();
                throw e;
            }
        }
    }

    /** {@return true when the calling thread is this worker's} */
    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Queues {@code task} for this worker's thread and wakes it. */
    void submit(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /**
     * Hands a read-only question to this worker and wakes it, whether it is in its selector or waiting for
     * another worker's answer ({@link #answerQueries}). After the worker has ended, the question is answered
     * here at once (the caller waits for nothing).
     */
    void ask(Query<?> q) {
        queries.add(q);
        if (ended) {
            answerEnded();
            return;
        }
        selector.wakeup();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t); // spurious for a thread in select: its next wait for an answer loops once more
        }
    }

    /**
     * Answers the questions queued for this worker; on its thread only, in its loop and while it waits for
     * another worker. The questions only read this worker's tables (the same reads a handler callback makes
     * on its own peer), so answering them in the middle of a callback is as safe as that callback asking.
     */
    void answerQueries() {
        Query<?> q;
        while ((q = queries.poll()) != null) {
            queriesAnswered++; // before the answer wakes the asker, so the asker sees its question counted
            q.answer();
        }
    }

    /** Answers what is queued for an ended worker; the lock keeps two asking threads from reading at once. */
    private synchronized void answerEnded() {
        answerQueries();
    }

    /** {@return true once this worker's loop has ended and its connections are closed} */
    boolean hasEnded() {
        return ended;
    }

    /** {@return the questions this worker answered for other threads} For tests. */
    long queriesAnswered() {
        return queriesAnswered;
    }

    /** Wakes the worker (to see that the server is closing). */
    void wakeup() {
        selector.wakeup();
    }

    /**
     * The loop: queued tasks, expired timers, then the socket, until the server closes or this worker's
     * socket or thread is taken away (which stops the whole server, see {@link DtlsServer#stopCause()}).
     */
    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (!server.isClosing()) {
                if ((readChannel != null && !readChannel.isOpen()) || !selector.isOpen()) {
                    server.stoppedUnexpectedly(new ClosedChannelException());
                    break;
                }
                if (Thread.currentThread().isInterrupted()) {
                    // The thread's owner wants it back (select would return at once forever): stop, and say so.
                    server.stoppedUnexpectedly(new InterruptedException("a server thread was interrupted"));
                    break;
                }
                try {
                    turn();
                } catch (ClosedChannelException | ClosedSelectorException e) {
                    if (!server.isClosing()) {
                        server.stoppedUnexpectedly(e);
                    }
                    break;
                } catch (IOException | RuntimeException e) {
                    // One bad turn of the loop (a socket error, a bug) must not end service for everyone.
                    loopErrors++;
                    LOG.log(System.Logger.Level.ERROR, "DTLS server worker " + index + " loop error (serving on)", e);
                }
            }
        } finally {
            shutdown();
        }
    }

    private void turn() throws IOException {
        answerQueries();
        runTasks();
        acceptor.onTimeout(System.nanoTime());
        waitForInput();
        if (cookies != null) {
            cookies.refresh(acceptor.cookieVerifier(), System.currentTimeMillis());
        }
        if (readChannel != null) {
            readAvailable();
        }
    }

    /** Sends close_notify to this worker's peers and lets go of its selector; the server closes the sockets. */
    void shutdown() {
        try {
            acceptor.closeAll(System.nanoTime());
        } catch (RuntimeException e) {
            loopErrors++;
            LOG.log(System.Logger.Level.ERROR, "DTLS server worker " + index + ": closing its connections", e);
        } finally {
            // From here no thread of ours touches the tables: askers answer themselves (one at a time).
            ended = true;
            answerEnded();
            try {
                selector.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing a DTLS server selector", e);
            }
            server.workerEnded();
        }
    }

    /**
     * Waits for the socket, a timer or a task. The selected-key set is not used (the one key is the socket,
     * which {@link #readAvailable} drains anyway), so a wakeup adds nothing to a set and allocates nothing.
     */
    private void waitForInput() throws IOException {
        long next = acceptor.nextTimeoutNanos();
        if (next == Long.MAX_VALUE) {
            selector.select(IGNORE_KEY, 0);
        } else {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                selector.select(IGNORE_KEY, Math.max(1, (wait + 999_999) / 1_000_000));
            } else {
                selector.selectNow(IGNORE_KEY);
            }
        }
    }

    private void readAvailable() throws IOException {
        for (int i = 0; i < BATCH && !server.isClosing(); i++) {
            receiveBuffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) readChannel.receive(receiveBuffer);
            } catch (java.net.PortUnreachableException e) {
                continue; // an ICMP error for an earlier send: a peer went away, which its timers will notice
            }
            if (from == null) {
                return;
            }
            datagramsIn++;
            byte[] buf = receiveBuffer.array();
            int len = receiveBuffer.position();
            if (server.otherHandler != null && otherDatagram(buf, len, from)) {
                continue;
            }
            ServerWorker owner = server.ownerOf(this, buf, len, from);
            if (owner == this) {
                deliver(buf, len, from);
            } else {
                // Another worker holds this peer's connection: its thread alone may touch it.
                byte[] copy = Arrays.copyOf(buf, len);
                owner.submit(() -> owner.deliver(copy, copy.length, from));
            }
        }
    }

    /** Gives one DTLS datagram to this worker's acceptor. */
    void deliver(byte[] buf, int len, InetSocketAddress from) {
        acceptor.receive(buf, 0, len, from, System.nanoTime());
    }

    /** Gives a non-DTLS datagram to the application's handler (RFC 7983 §7); false for DTLS. */
    private boolean otherDatagram(byte[] buf, int len, InetSocketAddress from) {
        DatagramKind kind = DatagramKind.classify(buf, 0, len);
        if (kind == DatagramKind.DTLS) {
            return false;
        }
        try {
            server.otherHandler.onDatagram(server, from, kind, Arrays.copyOf(buf, len));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "DTLS server handler for other datagrams failed", e);
        }
        return true;
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

    /** Sends on {@code peer}'s connection at once (this worker's thread); false when it has no established one. */
    boolean sendNow(InetSocketAddress peer, byte[] data) {
        DtlsConnection c = acceptor.connection(peer);
        if (c == null || !c.isEstablished()) {
            return false;
        }
        long now = System.nanoTime();
        c.send(data, now);
        acceptor.reschedule(c, now);
        return true;
    }

    void sendDatagram(byte[] buf, int off, int len, InetSocketAddress peer) {
        if (!server.filter.pass(buf, off, len, peer)) {
            return;
        }
        sendBuffer.clear();
        sendBuffer.put(buf, off, len).flip();
        try {
            if (sendChannel.send(sendBuffer, peer) == 0) {
                sendErrors++; // the socket buffer is full: the datagram is lost, as on the network
            } else {
                datagramsOut++;
            }
        } catch (IOException e) {
            sendErrors++;
        }
    }

    /** {@return this worker's counters} Call on its thread, or once it has stopped. */
    DtlsServer.Stats stats(long preAuthBytesPerPeer) {
        DtlsAcceptor a = acceptor;
        return new DtlsServer.Stats(a.connectionCount(), a.halfOpenCount(), a.maxConnections(), a.maxHalfOpen(),
                preAuthBytesPerPeer, preAuthBytesPerPeer * a.maxHalfOpen(), a.helloVerifyRequestsSent(),
                a.cookieDrops(), a.connectionsRefused(), a.halfOpenRefused(), a.connectionsReplaced(), a.idleClosed(),
                handshakesCompleted, datagramsIn, datagramsOut, sendErrors, a.maxHalfOpenPerAddress(),
                a.halfOpenPerAddressRefused(), a.internalErrors() + loopErrors, a.addressChanges(), a.restingCount(),
                a.wakes());
    }

    /** {@return this worker's metrics} Call on its thread, or once it has stopped. */
    DtlsServerMetrics metrics(long preAuthBytesPerPeer) {
        return tally.snapshot(acceptor.liveConnections(), acceptor, preAuthBytesPerPeer, sendErrors,
                acceptor.internalErrors() + loopErrors);
    }

    /**
     * One read-only question for a worker and, once answered, its answer; the asking thread parks until
     * then ({@link DtlsServer}'s {@code onWorker}). Answered once: only the thread that polled it from the
     * queue runs it.
     *
     * @param <T> the answer's type
     */
    static final class Query<T> {
        private final Supplier<T> read;
        private final Thread asker = Thread.currentThread();
        /** Written before {@link #done}, read after it: the volatile publishes them. */
        private T value;
        private RuntimeException failure;
        private volatile boolean done;

        Query(Supplier<T> read) {
            this.read = read;
        }

        /** Runs the question, keeps its answer or its unchecked exception, and wakes the asker. */
        void answer() {
            try {
                value = read.get();
            } catch (RuntimeException e) {
                failure = e;
            }
            done = true;
            LockSupport.unpark(asker);
        }

        boolean isDone() {
            return done;
        }

        /** {@return the answer} Call once {@link #isDone()}; throws what the question threw. */
        T result() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    /** The acceptor's events, turned into {@link DtlsServer.Handler} calls on this worker's thread. */
    private final class Events implements DtlsListener, RestObserver {
        @Override
        public void beforeRest(DtlsConnection c) {
            tally.onClosed(c); // the form keeps no counters: a woken copy counts from zero
        }

        @Override
        public void onHandshakeComplete(DtlsConnection c, HandshakeResult result) {
            handshakesCompleted++;
            // A handler or observer that throws fails this connection alone (internal_error), in the engine.
            server.observer.onHandshakeComplete(c, result);
            server.handler.onConnected(server, c.peer(), result);
        }

        @Override
        public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
            server.observer.onApplicationData(c, buf, off, len);
            server.handler.onData(server, c.peer(), Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void onAlert(DtlsConnection c, AlertLevel level, AlertDescription description) {
            server.observer.onAlert(c, level, description);
        }

        @Override
        public void onClosed(DtlsConnection c, DtlsException cause) {
            tally.onClosed(c);
            server.released(ServerWorker.this, c.peer());
            try {
                server.observer.onClosed(c, cause);
            } finally {
                if (c.resultSoFar() != null) { // not handshakeResult(): a woken peer's chain need not be decoded here
                    server.handler.onClosed(server, c.peer(), cause);
                }
            }
        }

        @Override
        public void onTrace(DtlsConnection c, String event) {
            server.observer.onTrace(c, event);
        }

        @Override
        public void onEvent(DtlsConnection c, DtlsEvent event) {
            if (event instanceof DtlsEvent.HandshakeStarted) {
                server.claimed(ServerWorker.this, c.peer());
            } else if (event instanceof DtlsEvent.AddressChanged moved) {
                // RFC 9146 §6: the peer moved under its CID; sends from other threads find it at its new address.
                server.claimed(ServerWorker.this, moved.peer());
                server.released(ServerWorker.this, moved.previous());
            }
            tally.expiring = acceptor.expiring();
            tally.onEvent(c, event);
            server.observer.onEvent(c, event);
            if (event instanceof DtlsEvent.AddressChanged moved) {
                server.handler.onAddressChanged(server, moved.previous(), moved.peer());
            }
        }

        @Override
        public boolean wantsDropEvents() {
            return server.observer.wantsDropEvents();
        }

        @Override
        public boolean wantsTraces() {
            return server.observer.wantsTraces(); // onTrace above goes to the observer alone
        }
    }
}
