package org.dtls4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;

/**
 * A blocking DTLS 1.2 client over a {@link DatagramChannel} connected to one server: the sans-IO
 * {@link DtlsConnection} underneath, driven with {@link System#nanoTime()} as its clock. The calling thread
 * runs the handshake inside {@link #connect}; from then on a small daemon thread owned by the client reads
 * the socket and runs the connection's timers, so the server's retransmitted final flight (its Finished
 * lost, RFC 6347 §4.2.4) is answered, and alerts are taken, even while the application is not inside
 * {@link #receive}. Application records wait in a bounded queue for {@link #receive}. The connection is
 * called under one lock, so {@link #send}, {@link #receive} and {@link #close} may come from any thread.
 *
 * <pre>
 *   try (DtlsClient c = DtlsClient.connect(config, new InetSocketAddress("localhost", 4433), Duration.ofSeconds(10))) {
 *       c.send("hello".getBytes(UTF_8));
 *       byte[] reply = c.receive(Duration.ofSeconds(2));   // null when nothing came in time
 *   }
 * </pre>
 *
 * <p>Failures: a failed handshake or a fatal alert surfaces as {@link DtlsException} carrying the alert
 * (sent, or received when {@link DtlsException#receivedFromPeer()}); a handshake that does not complete in
 * time as {@link SocketTimeoutException}. An ICMP port-unreachable is treated as loss (the handshake
 * retransmits until its timer gives up). Bound: at most {@value #MAX_QUEUED} received application datagrams
 * wait for {@link #receive}; beyond that the newest are dropped and counted ({@link #queueDrops()}).
 */
public final class DtlsClient implements AutoCloseable {
    /** The most application datagrams held for {@link #receive}. */
    public static final int MAX_QUEUED = 256;
    private static final int RECEIVE_BUFFER = 1 << 16;

    private final DatagramChannel channel;
    private final Selector selector;
    private final DtlsConnection connection;
    private final DatagramFilter filter;
    private final DtlsListener observer;
    private final InetSocketAddress server;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocate(RECEIVE_BUFFER);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER);
    /** Guards the connection and the inbox: the reader thread and the application's calls meet here. */
    private final Object lock = new Object();
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private long queueDrops;
    private long sendErrors;
    private Thread reader;

    private DtlsClient(Builder b) throws IOException {
        this.server = b.server;
        this.filter = b.filter;
        this.observer = b.observer;
        this.channel = DatagramChannel.open();
        try {
            channel.configureBlocking(false);
            channel.connect(server);
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.connection = DtlsConnection.client(b.config, server, this::sendDatagram, new Events(), b.resume);
    }

    /**
     * Connects to {@code server} and runs the handshake.
     *
     * @param config the client configuration: suites, credentials, timers
     * @param server the server's resolved address
     * @param timeout how long the whole handshake may take, retransmissions included
     * @return the connected client, handshake complete
     * @throws DtlsException when the handshake fails (the alert sent or received)
     * @throws SocketTimeoutException when it does not complete within {@code timeout}
     * @throws IOException when the socket cannot be opened
     */
    public static DtlsClient connect(DtlsConfig config, InetSocketAddress server, Duration timeout)
            throws IOException, DtlsException {
        return builder(config, server).connect(timeout);
    }

    /**
     * A builder for options beyond {@link #connect(DtlsConfig, InetSocketAddress, Duration)}.
     *
     * @param config the client configuration, not null
     * @param server the server's resolved address, not null
     * @return the builder
     * @throws IllegalArgumentException when {@code server} is unresolved
     */
    public static Builder builder(DtlsConfig config, InetSocketAddress server) {
        return new Builder(config, server);
    }

    private void handshake(Duration timeout) throws IOException, DtlsException {
        long deadline = System.nanoTime() + timeout.toNanos();
        connection.start(System.nanoTime());
        while (!connection.isEstablished()) {
            throwIfFailed();
            if (connection.isClosed()) {
                throw new DtlsException(AlertDescription.CLOSE_NOTIFY, "the server closed the connection during the handshake");
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                connection.close(now);
                throw new SocketTimeoutException("DTLS handshake with " + server + " did not complete within "
                        + timeout.toMillis() + " ms");
            }
            pump(deadline);
        }
    }

    /**
     * Waits for datagrams until {@code deadline} or the connection's next timer, whichever comes first,
     * then processes what arrived and runs the timer if it is due.
     */
    private void pump(long deadline) throws IOException {
        long now = System.nanoTime();
        long timer;
        synchronized (lock) {
            timer = connection.nextTimeoutNanos();
        }
        long until = timer != Long.MAX_VALUE && timer - deadline < 0 ? timer : deadline;
        long waitMillis = Math.max(1, (until - now + 999_999) / 1_000_000);
        if (until - now > 0) {
            selector.select(waitMillis);
            selector.selectedKeys().clear();
        }
        synchronized (lock) {
            readAvailable();
            now = System.nanoTime();
            if (connection.nextTimeoutNanos() <= now) {
                connection.onTimeout(now);
            }
            lock.notifyAll();
        }
    }

    /** Starts the reader once the handshake is done: from then on it alone reads the socket. */
    private void startReader() {
        Thread t = new Thread(this::readLoop, "dtls4j-client " + server);
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    /**
     * The reader's loop: waits for datagrams or the next timer and feeds the connection, until it ends or
     * the client is closed. A minute of idle wait at most, so a missed wake-up costs nothing but a loop.
     */
    private void readLoop() {
        try {
            while (!isClosed() && selector.isOpen()) {
                pump(System.nanoTime() + 60_000_000_000L);
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            // The client was closed under the reader, or the socket failed: the application sees isClosed().
            synchronized (lock) {
                if (!connection.isClosed()) {
                    observer.onTrace(connection, "reader stopped: " + e);
                    connection.close(System.nanoTime());
                }
                lock.notifyAll();
            }
        }
    }

    private void readAvailable() throws IOException {
        while (!connection.isClosed()) {
            receiveBuffer.clear();
            try {
                if (channel.receive(receiveBuffer) == null) {
                    return;
                }
            } catch (PortUnreachableException e) {
                // ICMP: nobody listens there (yet). UDP gives no guarantee either way: treat it as loss.
                observer.onTrace(connection, "ICMP port unreachable from " + server);
                continue;
            }
            connection.receive(receiveBuffer.array(), 0, receiveBuffer.position(), System.nanoTime());
        }
    }

    private void sendDatagram(byte[] buf, int off, int len) {
        if (!filter.pass(buf, off, len, server)) {
            return;
        }
        sendBuffer.clear();
        sendBuffer.put(buf, off, len).flip();
        try {
            channel.write(sendBuffer);
        } catch (IOException e) {
            // A datagram that cannot be sent is a lost datagram: retransmission covers the handshake.
            sendErrors++;
            observer.onTrace(connection, "send failed: " + e);
        }
    }

    /**
     * Sends one datagram of application data (at most {@link DtlsConnection#maxSendPlaintext()} bytes).
     *
     * @param data the plaintext, one record
     * @throws DtlsException when the connection failed
     * @throws IllegalStateException when it was closed
     */
    public void send(byte[] data) throws DtlsException {
        send(data, 0, data.length);
    }

    /**
     * {@link #send(byte[])} of a slice.
     *
     * @param data the buffer holding the plaintext
     * @param off where the plaintext starts
     * @param len the plaintext length, at most {@link DtlsConnection#maxSendPlaintext()}
     * @throws DtlsException when the connection failed
     * @throws IllegalStateException when it was closed
     */
    public void send(byte[] data, int off, int len) throws DtlsException {
        synchronized (lock) {
            throwIfFailed();
            connection.send(data, off, len, System.nanoTime());
        }
    }

    /**
     * The next application datagram from the server, waiting up to {@code timeout}. Up to
     * {@value #MAX_QUEUED} datagrams wait in the client; more are dropped and counted in {@link #queueDrops()}.
     *
     * @param timeout how long to wait at most
     * @return the plaintext of one record, or null when none came in time or the server closed the
     *         connection (see {@link #isClosed()})
     * @throws DtlsException when the connection failed (a fatal alert sent or received)
     * @throws IOException on a socket error
     */
    public byte[] receive(Duration timeout) throws IOException, DtlsException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                byte[] next = inbox.poll();
                if (next != null) {
                    return next;
                }
                throwIfFailed();
                long left = deadline - System.nanoTime();
                if (connection.isClosed() || left <= 0) {
                    return null;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting for data from " + server);
                }
            }
        }
    }

    private void throwIfFailed() throws DtlsException {
        DtlsException failure = connection.failure();
        if (failure != null) {
            throw failure;
        }
    }

    /** Sends close_notify (once) and closes the socket. */
    @Override
    public void close() throws IOException {
        try {
            synchronized (lock) {
                connection.close(System.nanoTime());
                lock.notifyAll();
            }
        } finally {
            try {
                selector.close();
            } finally {
                channel.close();
                Thread t = reader;
                if (t != null && t != Thread.currentThread()) {
                    try {
                        t.join(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    /** {@return what the handshake agreed: suite, peer certificates or PSK identity, session} */
    public HandshakeResult handshakeResult() {
        return connection.handshakeResult();
    }

    /**
     * RFC 5705 keying material of this connection ({@link DtlsConnection#exportKeyingMaterial}); SRTP keys are
     * {@code SrtpKeys.derive(client::exportKeyingMaterial, client.handshakeResult().srtpProfile())}.
     *
     * @param label the exporter label, not a reserved one
     * @param context the context, at most 65535 bytes, or null for none (which differs from empty)
     * @param length how many bytes to export
     * @return a fresh array of {@code length} bytes
     * @throws IllegalStateException before the handshake completed or after the connection ended
     * @throws IllegalArgumentException for a reserved label, a context over 65535 bytes, a negative length
     */
    public byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        synchronized (lock) {
            return connection.exportKeyingMaterial(label, context, length);
        }
    }

    /** {@return the engine underneath, for its counters (not for driving it: this client does that)} */
    public DtlsConnection connection() {
        return connection;
    }

    /** {@return true once the connection ended (close_notify either way, or a failure)} */
    public boolean isClosed() {
        synchronized (lock) {
            return connection.isClosed();
        }
    }

    /**
     * {@return the local address of the client's socket}
     *
     * @throws IOException when the socket is closed
     */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** {@return the server address the client talks to} */
    public InetSocketAddress serverAddress() {
        return server;
    }

    /** {@return application datagrams dropped because {@value #MAX_QUEUED} were already waiting} */
    public long queueDrops() {
        synchronized (lock) {
            return queueDrops;
        }
    }

    /** {@return datagrams the socket refused to send (counted as lost; retransmission covers the handshake)} */
    public long sendErrors() {
        return sendErrors;
    }

    @Override
    public String toString() {
        return "DtlsClient[" + connection + "]";
    }

    /** The engine's events: application data into the inbox, everything also to the observer. */
    private final class Events implements DtlsListener {
        @Override
        public void onHandshakeComplete(DtlsConnection c, HandshakeResult result) {
            observer.onHandshakeComplete(c, result);
        }

        @Override
        public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
            if (inbox.size() >= MAX_QUEUED) {
                queueDrops++;
            } else {
                inbox.add(Arrays.copyOfRange(buf, off, off + len));
            }
            observer.onApplicationData(c, buf, off, len);
        }

        @Override
        public void onAlert(DtlsConnection c, AlertLevel level, AlertDescription description) {
            observer.onAlert(c, level, description);
        }

        @Override
        public void onClosed(DtlsConnection c, DtlsException cause) {
            observer.onClosed(c, cause);
        }

        @Override
        public void onTrace(DtlsConnection c, String event) {
            observer.onTrace(c, event);
        }

        @Override
        public void onEvent(DtlsConnection c, DtlsEvent event) {
            observer.onEvent(c, event);
        }

        @Override
        public boolean wantsDropEvents() {
            return observer.wantsDropEvents();
        }

        @Override
        public boolean wantsTraces() {
            return observer.wantsTraces();
        }
    }

    /** Options for a {@link DtlsClient}: an observer of engine events, a send filter, a session to resume. */
    public static final class Builder {
        private final DtlsConfig config;
        private final InetSocketAddress server;
        private DtlsListener observer = new DtlsListener() { };
        private DatagramFilter filter = DatagramFilter.PASS_ALL;
        private Session resume;

        private Builder(DtlsConfig config, InetSocketAddress server) {
            this.config = Objects.requireNonNull(config, "config");
            this.server = Objects.requireNonNull(server, "server");
            if (server.isUnresolved()) {
                throw new IllegalArgumentException("unresolved address " + server);
            }
        }

        /**
         * Hears every event of the connection (traces included): during the handshake on the thread in
         * {@code connect}, afterwards on the client's reader thread, always under the client's lock (so it
         * must not block, and must not wait for another thread that calls into the client).
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
         * Offers this session (from an earlier {@link HandshakeResult#session()}) for an abbreviated handshake.
         * It is not offered, and the trace says why, once a connection that used it ended in a fatal alert,
         * when the config's server_name is not the one it was made for, or when it lacks the extended master
         * secret the config requires: then the handshake is a full one.
         *
         * @param session the session to offer, or null for a full handshake
         * @return this builder
         */
        public Builder resume(Session session) {
            this.resume = session;
            return this;
        }

        /**
         * Opens the socket and runs the handshake.
         *
         * @param timeout how long the whole handshake may take, retransmissions included
         * @return the connected client, handshake complete
         * @throws DtlsException when the handshake fails (the alert sent or received)
         * @throws SocketTimeoutException when it does not complete within {@code timeout}
         * @throws IOException when the socket cannot be opened
         */
        public DtlsClient connect(Duration timeout) throws IOException, DtlsException {
            DtlsClient c = new DtlsClient(this);
            try {
                c.handshake(timeout);
                c.startReader();
                return c;
            } catch (IOException | DtlsException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
    }
}
