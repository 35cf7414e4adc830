package org.dtls4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.dtls4j.DtlsAcceptor;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;

/**
 * A DTLS 1.2 server on one datagram channel (for example a bound {@code NioDatagramChannel}): every inbound
 * {@link DatagramPacket} goes to a {@link DtlsAcceptor}, which keeps one {@link DtlsConnection} per peer
 * address behind the stateless cookie verifier (RFC 6347 §4.2.1), so a peer gets state only after it proves
 * it can receive at its address.
 *
 * <p>In the pipeline, after this handler: inbound, each record of application data is a
 * {@code DatagramPacket} whose sender is the peer (the receiver releases it); outbound, a
 * {@code DatagramPacket} addressed to a peer with an established connection is encrypted as one record for
 * that peer (at most {@link DtlsConnection#maxSendPlaintext()} bytes; its promise fails when there is no such
 * connection or the payload is too large). Handshakes completed, warning alerts and ended connections are
 * {@link DtlsEvent} user events.
 *
 * <pre>
 *   bootstrap.group(group).channel(NioDatagramChannel.class).handler(new ChannelInitializer&lt;&gt;() {
 *       protected void initChannel(Channel ch) {
 *           ch.pipeline().addLast(new DtlsServerHandler(config), new EchoHandler());
 *       }
 *   }).bind(4433);
 * </pre>
 *
 * <p>Timers run on the channel's event loop: one scheduled task for the earliest retransmission deadline of
 * all connections. Time is the event loop's {@code ticker()}, so an {@code EmbeddedChannel}'s
 * {@code advanceTimeBy} drives it in tests.
 *
 * <p>Back-pressure: writes made while handling a read batch are flushed once, in {@code channelReadComplete}.
 * While the channel is not writable, datagrams from peers without a connection are dropped before the cookie
 * verifier (counted by {@link #newPeersDeferred()}; their clients retransmit), so new handshakes do not add to
 * an outbound queue that is already full; established peers keep being served, and
 * {@code channelWritabilityChanged} reaches the handlers after this one so the application can hold back too.
 *
 * <p>Closing the channel sends close_notify to every peer first. Connections leave the table when they close
 * or fail; idle ones stay until closed (at most {@code maxConnections}), in their compact form at rest once
 * quiet for {@link #restAfter} when that is set. Not sharable: one instance per channel, used on its event
 * loop only.
 */
public final class DtlsServerHandler extends ChannelDuplexHandler {
    /** The default cap on connections, established and half-open together. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    /** The default cap on connections still handshaking. */
    public static final int DEFAULT_MAX_HALF_OPEN = 64;

    private final DtlsAcceptor acceptor;
    private final Datagrams in = new Datagrams();
    private final Outbound out = new Outbound();
    private final EventLoopTimer timer = new EventLoopTimer(this::onTimer);
    private ChannelHandlerContext ctx;
    private long newPeersDeferred;
    private long datagramsDropped;

    /**
     * A server with a fresh random cookie secret and the default caps.
     *
     * @param config a config that can serve its suites (PSK store or certificate)
     * @throws IllegalStateException when the config cannot serve its suites as a server
     */
    public DtlsServerHandler(DtlsConfig config) {
        this(config, CookieVerifier.create(), DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_HALF_OPEN);
    }

    /**
     * A server with its own cookie verifier (for example secrets shared by several nodes) and caps.
     *
     * @param config a config that can serve its suites (PSK store or certificate)
     * @param verifier the stateless cookie verifier in front of the connection table
     * @param maxConnections the most connections at once, established and half-open together
     * @param maxHalfOpen the most connections still handshaking
     * @throws IllegalStateException when the config cannot serve its suites as a server
     * @throws IllegalArgumentException when a cap is below 1
     */
    public DtlsServerHandler(DtlsConfig config, CookieVerifier verifier, int maxConnections, int maxHalfOpen) {
        this.acceptor = new DtlsAcceptor(config, verifier, out::send, new Events(), maxConnections, maxHalfOpen);
    }

    /**
     * Keeps an established connection that has been quiet for {@code quiet} (no datagram, write or timer) as a
     * compact form of a few hundred bytes instead of its live objects, and wakes it at its peer's next datagram,
     * a write to it, or {@link #connection}: {@link DtlsAcceptor#restAfter}, the same as {@code DtlsServer}
     * does by default after 2 s. Off by default here, because this handler sets no idle limit, so a fleet of
     * quiet peers is the application's choice to make; turn it on for many mostly idle peers (LwM2M, CoAP).
     * A woken connection reports the same {@link HandshakeResult} (peer certificates or raw public key, session)
     * and exporter; its traffic counters start again from zero. Call it before the channel is active, on the
     * event loop or before the handler joins the pipeline; connections established earlier rest from their
     * next event on.
     *
     * @param quiet the quiet time, positive
     * @return this handler
     * @throws IllegalArgumentException when {@code quiet} is not positive
     */
    public DtlsServerHandler restAfter(Duration quiet) {
        if (quiet.isNegative() || quiet.isZero()) {
            throw new IllegalArgumentException("restAfter must be positive: " + quiet);
        }
        acceptor.restAfter(saturatedNanos(quiet));
        return this;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        out.attach(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timer.cancel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            InetSocketAddress from = packet.sender();
            if (from == null || !in.load(packet.content())) {
                datagramsDropped++;
                return;
            }
            if (!ctx.channel().isWritable() && !acceptor.holds(from)) {
                newPeersDeferred++;
                return;
            }
            acceptor.receive(in.array, in.offset, in.length, from, out.now());
        } finally {
            in.clear();
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        armTimer();
        out.flushIfNeeded();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(Datagrams.unsupported(msg));
            return;
        }
        try {
            InetSocketAddress peer = packet.recipient();
            DtlsConnection c = peer == null ? null : acceptor.connection(peer);
            if (c == null) {
                promise.setFailure(new IllegalStateException("no DTLS connection with " + peer));
                return;
            }
            out.encrypt(c, packet.content(), promise);
        } finally {
            packet.release();
        }
    }


    @Override
    public void flush(ChannelHandlerContext ctx) {
        out.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        timer.cancel();
        acceptor.closeAll(out.now());
        out.flushIfNeeded();
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.cancel();
        acceptor.closeAll(out.now());
        out.discard();
        ctx.fireChannelInactive();
    }

    /**
     * Sends close_notify to {@code peer} and forgets its connection. Call it on the channel's event loop.
     *
     * @param peer the peer's address
     * @return false when there was no connection with {@code peer}
     */
    public boolean closePeer(InetSocketAddress peer) {
        DtlsConnection c = acceptor.connection(Objects.requireNonNull(peer, "peer"));
        if (c == null) {
            return false;
        }
        c.close(out.now());
        out.flushIfNeeded();
        return true;
    }

    /**
     * The live connection with {@code peer}, for its handshake result and counters, woken when it is at rest
     * ({@link #restAfter}; its counters then count from the wake). Call it on the event loop.
     *
     * @param peer the peer's address
     * @return the connection, or null when there is none
     */
    public DtlsConnection connection(InetSocketAddress peer) {
        return acceptor.connection(peer);
    }

    /**
     * Who {@code peer} is — its {@link HandshakeResult}: certificates or raw public key, PSK identity, ALPN —
     * without waking it when it is at rest (read from its at-rest form, decoded per call), for an application
     * that authorises each request by its sender. Call it on the event loop.
     *
     * @param peer the peer's address
     * @return the result, or null when no established connection has that address
     */
    public HandshakeResult handshakeResult(InetSocketAddress peer) {
        return acceptor.handshakeResult(peer);
    }

    /**
     * RFC 5705 keying material of {@code peer}'s established connection (SRTP keys, say), without waking it when
     * it is at rest: the same bytes {@link DtlsConnection#exportKeyingMaterial} gives. Call it on the event loop.
     *
     * @param peer the peer's address
     * @param label the exporter label, not a reserved one
     * @param context the context, at most 65535 bytes, or null for none
     * @param length how many bytes to export, at least 0
     * @return a fresh array of {@code length} bytes
     * @throws IllegalStateException when {@code peer} has no established connection
     * @throws IllegalArgumentException for a reserved label, a context over 65535 bytes, a negative length
     */
    public byte[] exportKeyingMaterial(InetSocketAddress peer, String label, byte[] context, int length) {
        return acceptor.exportKeyingMaterial(peer, label, context, length);
    }

    /**
     * Connections in the table, established and half-open.
     *
     * @return the number of connections
     */
    public int connectionCount() {
        return acceptor.connectionCount();
    }

    /**
     * Established connections kept at rest now ({@link #restAfter}); {@link #connectionCount()} includes them.
     *
     * @return the number of connections at rest
     */
    public int restingCount() {
        return acceptor.restingCount();
    }

    /**
     * Times a connection at rest was woken: by its peer's datagram, a write, {@link #connection} or a close.
     *
     * @return the count since the handler was made
     */
    public long wakes() {
        return acceptor.wakes();
    }

    /**
     * Connections whose handshake has not completed.
     *
     * @return the number of half-open connections
     */
    public int halfOpenCount() {
        return acceptor.halfOpenCount();
    }

    /**
     * HelloVerifyRequests sent: ClientHellos that came without a valid cookie.
     *
     * @return the count since the handler was made
     */
    public long helloVerifyRequestsSent() {
        return acceptor.helloVerifyRequestsSent();
    }

    /**
     * Datagrams from peers without a connection dropped because the channel was not writable.
     *
     * @return the count since the handler was made
     */
    public long newPeersDeferred() {
        return newPeersDeferred;
    }

    /**
     * Inbound datagrams dropped before the engine saw them: no sender address, or larger than UDP allows.
     *
     * @return the count since the handler was made
     */
    public long datagramsDropped() {
        return datagramsDropped;
    }

    /** Whether the retransmission task is scheduled (for tests). */
    boolean timerArmed() {
        return timer.isArmed();
    }

    private void onTimer() {
        acceptor.onTimeout(out.now());
        armTimer();
        out.flushIfNeeded();
    }

    private void armTimer() {
        timer.arm(ctx.executor(), acceptor.nextTimeoutNanos(), out.now());
    }

    /** Turns the engine's callbacks into pipeline events. */
    private final class Events implements DtlsListener {
        @Override
        public void onHandshakeComplete(DtlsConnection c, HandshakeResult result) {
            ctx.fireUserEventTriggered(new DtlsEvent.HandshakeCompleted(c.peer(), result));
        }

        @Override
        public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
            ByteBuf data = Datagrams.copy(ctx.alloc(), buf, off, len, false);
            ctx.fireChannelRead(new DatagramPacket(data, Datagrams.localAddress(ctx.channel()), c.peer()));
        }

        @Override
        public void onAlert(DtlsConnection c, AlertLevel level, AlertDescription description) {
            ctx.fireUserEventTriggered(new DtlsEvent.AlertReceived(c.peer(), level, description));
        }

        @Override
        public void onClosed(DtlsConnection c, DtlsException cause) {
            ctx.fireUserEventTriggered(new DtlsEvent.Closed(c.peer(), cause));
        }
    }
}
