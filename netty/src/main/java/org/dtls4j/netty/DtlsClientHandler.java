package org.dtls4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.dtls4j.ConnectionState;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;

/**
 * A DTLS 1.2 client on a datagram channel, talking to one server: the handshake starts when the channel
 * becomes active (or when the handler is added to an active channel), and {@link #handshakeFuture()}
 * completes with its result or fails with its {@link DtlsException}.
 *
 * <p>In the pipeline, after this handler: inbound, each record of application data is a
 * {@code DatagramPacket} from the server (the receiver releases it); datagrams from any other sender are
 * dropped and counted. Outbound, a {@code ByteBuf}, or a {@code DatagramPacket} addressed to the server, is
 * encrypted as one record (at most {@link DtlsConnection#maxSendPlaintext()} bytes); before the handshake
 * completes and after the connection ends the write's promise fails. Handshake completion, warning alerts
 * and the end of the connection are also {@link DtlsEvent} user events.
 *
 * <p>Timers run on the channel's event loop (one scheduled task, at the connection's retransmission
 * deadline), with the event loop's {@code ticker()} as the clock. Writes made while handling a read batch are
 * flushed once, in {@code channelReadComplete}. Closing the channel sends close_notify first. Not sharable:
 * one instance per channel, used on its event loop only.
 */
public final class DtlsClientHandler extends ChannelDuplexHandler {
    private final DtlsConfig config;
    private final InetSocketAddress server;
    private final Session resume;
    private final Datagrams in = new Datagrams();
    private final Outbound out = new Outbound();
    private final EventLoopTimer timer = new EventLoopTimer(this::onTimer);
    private final Promise<HandshakeResult> handshake = ImmediateEventExecutor.INSTANCE.newPromise();
    private ChannelHandlerContext ctx;
    private DtlsConnection connection;
    private long foreignDatagrams;

    /**
     * A client for {@code server} that runs a full handshake.
     *
     * @param config a config with a suite a client can offer (PSK identity or trust anchors)
     * @param server the server's address: where datagrams go, and the only sender accepted
     */
    public DtlsClientHandler(DtlsConfig config, InetSocketAddress server) {
        this(config, server, null);
    }

    /**
     * A client for {@code server} that offers {@code resume} for an abbreviated handshake.
     *
     * @param config a config with a suite a client can offer (PSK identity or trust anchors)
     * @param server the server's address: where datagrams go, and the only sender accepted
     * @param resume a session from an earlier {@link HandshakeResult#session()}, or null for a full handshake
     */
    public DtlsClientHandler(DtlsConfig config, InetSocketAddress server, Session resume) {
        this.config = Objects.requireNonNull(config, "config");
        this.server = Objects.requireNonNull(server, "server");
        this.resume = resume;
    }

    /**
     * The handshake's outcome: its result, or the failure (also when the channel closes first).
     *
     * @return a future completed on the channel's event loop
     */
    public Future<HandshakeResult> handshakeFuture() {
        return handshake;
    }

    /**
     * The engine underneath, for its state and counters; null until the handler is added to a pipeline.
     *
     * @return the connection, or null
     */
    public DtlsConnection connection() {
        return connection;
    }

    /**
     * Inbound datagrams dropped because they did not come from the server (or were larger than UDP allows).
     *
     * @return the count since the handler was made
     */
    public long foreignDatagrams() {
        return foreignDatagrams;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        out.attach(ctx);
        this.connection = DtlsConnection.client(config, server, (buf, off, len) -> out.send(buf, off, len, server),
                new Events(), resume);
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (connection.state() == ConnectionState.NEW) {
            // One reading of the clock for both: the timer then never fires before the flight's deadline.
            long now = out.now();
            connection.start(now);
            timer.arm(ctx.executor(), connection.nextTimeoutNanos(), now);
            out.flushIfNeeded();
        }
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
            if (!server.equals(packet.sender()) || !in.load(packet.content())) {
                foreignDatagrams++;
                return;
            }
            connection.receive(in.array, in.offset, in.length, out.now());
        } finally {
            in.clear();
            packet.release();
        }
        armTimer();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        out.flushIfNeeded();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        try {
            if (msg instanceof ByteBuf buf) {
                out.encrypt(connection, buf, promise);
            } else if (!(msg instanceof DatagramPacket packet)) {
                promise.setFailure(Datagrams.unsupported(msg));
            } else if (packet.recipient() != null && !server.equals(packet.recipient())) {
                promise.setFailure(new IllegalArgumentException("this DTLS client talks to " + server + " only, not "
                        + packet.recipient()));
            } else {
                out.encrypt(connection, packet.content(), promise);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }


    @Override
    public void flush(ChannelHandlerContext ctx) {
        out.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        timer.cancel();
        connection.close(out.now());
        out.flushIfNeeded();
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timer.cancel();
        connection.close(out.now());
        out.discard();
        handshake.tryFailure(new DtlsException(AlertDescription.CLOSE_NOTIFY, "the channel closed"));
        ctx.fireChannelInactive();
    }

    /** Whether the retransmission task is scheduled (for tests). */
    boolean timerArmed() {
        return timer.isArmed();
    }

    private void onTimer() {
        connection.onTimeout(out.now());
        armTimer();
        out.flushIfNeeded();
    }

    private void armTimer() {
        timer.arm(ctx.executor(), connection.nextTimeoutNanos(), out.now());
    }

    /** Turns the engine's callbacks into the handshake future and pipeline events. */
    private final class Events implements DtlsListener {
        @Override
        public void onHandshakeComplete(DtlsConnection c, HandshakeResult result) {
            handshake.trySuccess(result);
            ctx.fireUserEventTriggered(new DtlsEvent.HandshakeCompleted(server, result));
        }

        @Override
        public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
            ByteBuf data = Datagrams.copy(ctx.alloc(), buf, off, len, false);
            ctx.fireChannelRead(new DatagramPacket(data, Datagrams.localAddress(ctx.channel()), server));
        }

        @Override
        public void onAlert(DtlsConnection c, AlertLevel level, AlertDescription description) {
            ctx.fireUserEventTriggered(new DtlsEvent.AlertReceived(server, level, description));
        }

        @Override
        public void onClosed(DtlsConnection c, DtlsException cause) {
            handshake.tryFailure(cause != null ? cause
                    : new DtlsException(AlertDescription.CLOSE_NOTIFY, "closed before the handshake completed"));
            ctx.fireUserEventTriggered(new DtlsEvent.Closed(server, cause));
        }
    }
}
