package org.dtls4j.interop.real;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.dtls4j.DtlsAcceptor;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.testkit.JdkDtlsPeer;
import org.dtls4j.wire.DtlsException;

/**
 * Runs DTLS endpoints over real UDP sockets on 127.0.0.1, all in one selector loop on the test thread: a
 * dtls4j client ({@link DtlsConnection}), a dtls4j server ({@link DtlsAcceptor}, with cookies) and JDK
 * {@link SSLEngine} peers (through {@link JdkDtlsPeer}). Time is {@link System#nanoTime()}; every wait is
 * bounded by {@link #runUntil}'s timeout, and the loop re-checks its condition at least every
 * {@link #SLICE_NANOS} so conditions on other processes' output (OpenSSL) are seen.
 *
 * <p>Each endpoint owns one channel bound to an ephemeral loopback port and queues the application
 * datagrams it receives. The first failure of any endpoint ends {@link #runUntil} at once with that cause.
 */
final class LoopbackDriver implements AutoCloseable {
    static final long SLICE_NANOS = Duration.ofMillis(20).toNanos();
    /** The JDK engine has no timer of its own: the application retransmits by wrapping after a silence. */
    static final long JDK_RETRANSMIT_NANOS = Duration.ofSeconds(1).toNanos();

    private final Selector selector;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final ByteBuffer rx = ByteBuffer.allocate(65_536);

    LoopbackDriver() {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A dtls4j client that will talk to {@code server}; call {@link Dtls4jClient#start()} to send its ClientHello. */
    Dtls4jClient dtls4jClient(DtlsConfig config, InetSocketAddress server) {
        return dtls4jClient(config, server, null);
    }

    /** A dtls4j client that offers {@code resume} (null for a full handshake). */
    Dtls4jClient dtls4jClient(DtlsConfig config, InetSocketAddress server, Session resume) {
        return register(new Dtls4jClient(openChannel(), config, server, resume));
    }

    /** A dtls4j server (cookie exchange in front) listening on its own ephemeral port. */
    Dtls4jServer dtls4jServer(DtlsConfig config) {
        return register(new Dtls4jServer(openChannel(), config));
    }

    /** A JDK engine peer; a client sends to {@code remote}, a server (remote null) answers whoever spoke first. */
    JdkPeer jdkPeer(SSLEngine engine, InetSocketAddress remote) {
        return register(new JdkPeer(openChannel(), engine, remote));
    }

    private <E extends Endpoint> E register(E e) {
        try {
            e.channel.register(selector, SelectionKey.OP_READ, e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        endpoints.add(e);
        return e;
    }

    private static DatagramChannel openChannel() {
        try {
            DatagramChannel ch = DatagramChannel.open();
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ch.configureBlocking(false);
            return ch;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Receives datagrams and runs timers until {@code done} holds.
     *
     * @throws AssertionError when {@code timeout} passes first, or an endpoint fails
     */
    void runUntil(BooleanSupplier done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long now = System.nanoTime();
            for (Endpoint e : endpoints) {
                if (e.nextTimeoutNanos() <= now) {
                    e.onTimeout(now);
                }
                if (e.failure != null) {
                    throw new AssertionError(what + ": " + e.name() + " failed: " + e.failure, e.failure);
                }
            }
            if (done.getAsBoolean()) {
                return;
            }
            if (now - deadline >= 0) {
                throw new AssertionError(what + ": not within " + timeout + "; " + describe());
            }
            long wake = Math.min(deadline, now + SLICE_NANOS);
            for (Endpoint e : endpoints) {
                long t = e.nextTimeoutNanos();
                if (t - wake < 0) {
                    wake = t;
                }
            }
            select(Math.max(1, (wake - now) / 1_000_000));
        }
    }

    private void select(long millis) {
        try {
            selector.select(millis);
            for (SelectionKey key : selector.selectedKeys()) {
                Endpoint e = (Endpoint) key.attachment();
                SocketAddress from;
                while (e.failure == null && (from = receiveOne(e.channel)) != null) {
                    byte[] datagram = Arrays.copyOf(rx.array(), rx.position());
                    e.largestReceived = Math.max(e.largestReceived, datagram.length);
                    e.onDatagram(datagram, (InetSocketAddress) from, System.nanoTime());
                }
            }
            selector.selectedKeys().clear();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private SocketAddress receiveOne(DatagramChannel ch) throws IOException {
        rx.clear();
        return ch.receive(rx);
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        for (Endpoint e : endpoints) {
            sb.append(e.name()).append(": ").append(e.state()).append("; ");
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (Endpoint e : endpoints) {
            try {
                e.channel.close();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        try {
            selector.close();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** One socket and what arrived on it. */
    abstract static class Endpoint {
        final DatagramChannel channel;
        final ArrayDeque<byte[]> received = new ArrayDeque<>();
        Throwable failure;
        /** The largest datagram this socket received or sent, to show that a small MTU forced fragmentation. */
        int largestReceived;
        int largestSent;

        Endpoint(DatagramChannel channel) {
            this.channel = channel;
        }

        /** The bound loopback address, for the peer to send to. */
        InetSocketAddress address() {
            try {
                return (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The next application datagram received, or null. */
        byte[] poll() {
            return received.poll();
        }

        void sendTo(byte[] buf, int off, int len, InetSocketAddress to) {
            largestSent = Math.max(largestSent, len);
            try {
                // A full socket buffer drops the datagram (send returns 0) like any UDP loss; DTLS retransmits.
                channel.send(ByteBuffer.wrap(buf, off, len), to);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        abstract String name();

        abstract String state();

        abstract void onDatagram(byte[] datagram, InetSocketAddress from, long nowNanos);

        abstract long nextTimeoutNanos();

        abstract void onTimeout(long nowNanos);
    }

    /** Records what a dtls4j connection tells the application. */
    private static final class Recorder implements DtlsListener {
        private final Endpoint owner;
        final List<String> trace = new ArrayList<>();
        HandshakeResult result;
        boolean closedCleanly;

        Recorder(Endpoint owner) {
            this.owner = owner;
        }

        @Override
        public void onHandshakeComplete(DtlsConnection connection, HandshakeResult r) {
            result = r;
        }

        @Override
        public void onApplicationData(DtlsConnection connection, byte[] buf, int off, int len) {
            owner.received.add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void onTrace(DtlsConnection connection, String event) {
            if (trace.size() < 200) {
                trace.add(event);
            }
        }

        @Override
        public void onClosed(DtlsConnection connection, DtlsException cause) {
            if (cause == null) {
                closedCleanly = true;
            } else if (owner.failure == null) {
                owner.failure = cause;
            }
        }
    }

    /** A dtls4j client connection on its own socket. */
    static final class Dtls4jClient extends Endpoint {
        final DtlsConnection connection;
        private final Recorder recorder = new Recorder(this);
        private final InetSocketAddress server;

        Dtls4jClient(DatagramChannel channel, DtlsConfig config, InetSocketAddress server, Session resume) {
            super(channel);
            this.server = server;
            this.connection = DtlsConnection.client(config, server,
                    (buf, off, len) -> sendTo(buf, off, len, server), recorder, resume);
        }

        void start() {
            connection.start(System.nanoTime());
        }

        void send(byte[] data) {
            connection.send(data, System.nanoTime());
        }

        void close() {
            connection.close(System.nanoTime());
        }

        HandshakeResult result() {
            return recorder.result;
        }

        boolean closedCleanly() {
            return recorder.closedCleanly;
        }

        /** The connection's trace events (handshake flights, retransmissions), in order. */
        List<String> trace() {
            return recorder.trace;
        }

        @Override
        String name() {
            return "dtls4j client";
        }

        @Override
        String state() {
            return connection + ", trace=" + recorder.trace;
        }

        @Override
        void onDatagram(byte[] datagram, InetSocketAddress from, long nowNanos) {
            if (from.equals(server)) {
                connection.receive(datagram, 0, datagram.length, nowNanos);
            }
        }

        @Override
        long nextTimeoutNanos() {
            return connection.nextTimeoutNanos();
        }

        @Override
        void onTimeout(long nowNanos) {
            connection.onTimeout(nowNanos);
        }
    }

    /** A dtls4j server: a {@link DtlsAcceptor} with a fresh cookie verifier, on its own socket. */
    static final class Dtls4jServer extends Endpoint {
        final DtlsAcceptor acceptor;
        private final Recorder recorder = new Recorder(this);
        private DtlsConnection last;
        private int handshakes;

        Dtls4jServer(DatagramChannel channel, DtlsConfig config) {
            super(channel);
            DtlsListener tracking = new DtlsListener() {
                @Override
                public void onHandshakeComplete(DtlsConnection c, HandshakeResult r) {
                    last = c;
                    handshakes++;
                    recorder.onHandshakeComplete(c, r);
                }

                @Override
                public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
                    recorder.onApplicationData(c, buf, off, len);
                }

                @Override
                public void onClosed(DtlsConnection c, DtlsException cause) {
                    recorder.onClosed(c, cause);
                }

                @Override
                public void onTrace(DtlsConnection c, String event) {
                    recorder.onTrace(c, event);
                }
            };
            this.acceptor = new DtlsAcceptor(config, CookieVerifier.create(), this::sendTo, tracking, 4);
        }

        /** How many handshakes completed. */
        int handshakes() {
            return handshakes;
        }

        /** The connection whose handshake completed last, or null. */
        DtlsConnection connection() {
            return last;
        }

        HandshakeResult result() {
            return recorder.result;
        }

        boolean closedCleanly() {
            return recorder.closedCleanly;
        }

        void send(byte[] data) {
            last.send(data, System.nanoTime());
        }

        List<String> trace() {
            return recorder.trace;
        }

        @Override
        String name() {
            return "dtls4j server";
        }

        @Override
        String state() {
            return "trace=" + recorder.trace + ", connections=" + acceptor.connections() + ", hvr sent=" + acceptor.helloVerifyRequestsSent()
                    + ", cookie drops=" + acceptor.cookieDrops();
        }

        @Override
        void onDatagram(byte[] datagram, InetSocketAddress from, long nowNanos) {
            acceptor.receive(datagram, 0, datagram.length, from, nowNanos);
        }

        @Override
        long nextTimeoutNanos() {
            return acceptor.nextTimeoutNanos();
        }

        @Override
        void onTimeout(long nowNanos) {
            acceptor.onTimeout(nowNanos);
        }
    }

    /** The JDK's DTLS SSLEngine on its own socket, retransmitting after {@link #JDK_RETRANSMIT_NANOS} of silence. */
    static final class JdkPeer extends Endpoint {
        final JdkDtlsPeer peer;
        private InetSocketAddress remote;
        private long timer = Long.MAX_VALUE;

        JdkPeer(DatagramChannel channel, SSLEngine engine, InetSocketAddress remote) {
            super(channel);
            this.remote = remote;
            this.peer = new JdkDtlsPeer(engine, d -> {
                if (this.remote != null) {
                    sendTo(d, 0, d.length, this.remote);
                }
            });
        }

        /** Starts the handshake (a client sends its ClientHello). */
        void begin() {
            guard(peer::begin);
        }

        void send(byte[] data) {
            guard(() -> peer.send(data));
        }

        void closeOutbound() {
            guard(peer::closeOutbound);
        }

        boolean handshakeDone() {
            return peer.handshakeDone();
        }

        boolean inboundDone() {
            return peer.engine().isInboundDone();
        }

        @Override
        String name() {
            return "JDK " + (peer.engine().getUseClientMode() ? "client" : "server");
        }

        @Override
        String state() {
            return peer.engine().getHandshakeStatus() + ", suite=" + peer.engine().getSession().getCipherSuite();
        }

        @Override
        void onDatagram(byte[] datagram, InetSocketAddress from, long nowNanos) {
            if (remote == null) {
                remote = from;
            } else if (!remote.equals(from)) {
                return;
            }
            timer = Long.MAX_VALUE;
            guard(() -> peer.receive(datagram));
            byte[] data;
            while ((data = peer.poll()) != null) {
                received.add(data);
            }
        }

        @Override
        long nextTimeoutNanos() {
            if (peer.handshakeDone() || remote == null) {
                timer = Long.MAX_VALUE;
            } else if (timer == Long.MAX_VALUE) {
                timer = System.nanoTime() + JDK_RETRANSMIT_NANOS;
            }
            return timer;
        }

        @Override
        void onTimeout(long nowNanos) {
            timer = Long.MAX_VALUE;
            guard(peer::onTimeout);
        }

        private void guard(SslAction action) {
            try {
                action.run();
            } catch (SSLException e) {
                failure = e;
            }
        }

        @FunctionalInterface
        private interface SslAction {
            void run() throws SSLException;
        }
    }
}
