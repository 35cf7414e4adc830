package org.dtls4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.dtls4j.DtlsConnection;

/**
 * The write side both handlers share: the engine's datagrams go down the pipeline as {@link DatagramPacket}s
 * and are flushed once per batch, application writes are encrypted with their promise following the
 * record's write, and the clock is the event loop's ticker. One instance per handler, on its event loop.
 */
final class Outbound {
    private final Datagrams plaintext = new Datagrams();
    private ChannelHandlerContext ctx;
    private ChannelFuture lastWrite;
    private boolean needsFlush;

    void attach(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The event loop's clock, so an {@code EmbeddedChannel}'s {@code advanceTimeBy} drives the engine. */
    long now() {
        return ctx.executor().ticker().nanoTime();
    }

    /** Writes one datagram from the engine to {@code peer}, to be flushed with the batch. */
    void send(byte[] buf, int off, int len, InetSocketAddress peer) {
        ByteBuf data = Datagrams.copy(ctx.alloc(), buf, off, len, true);
        lastWrite = ctx.write(new DatagramPacket(data, peer));
        needsFlush = true;
    }

    /** Sends {@code content} as one record on {@code c}; the promise follows the write of that record. */
    void encrypt(DtlsConnection c, ByteBuf content, ChannelPromise promise) {
        if (!c.isEstablished()) {
            promise.setFailure(new IllegalStateException("cannot send application data while " + c.state()));
            return;
        }
        if (!plaintext.load(content) || plaintext.length > c.maxSendPlaintext()) {
            promise.setFailure(new IllegalArgumentException(content.readableBytes()
                    + " bytes exceed the record limit " + c.maxSendPlaintext()));
            return;
        }
        lastWrite = null;
        try {
            c.send(plaintext.array, plaintext.offset, plaintext.length, now());
        } catch (IllegalStateException e) {
            promise.setFailure(e);
            return;
        } finally {
            plaintext.clear();
        }
        if (lastWrite == null) {
            promise.trySuccess();
        } else {
            lastWrite.addListener(f -> {
                if (f.isSuccess()) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(f.cause());
                }
            });
        }
    }

    /** Flushes when something was written since the last flush. */
    void flushIfNeeded() {
        if (needsFlush) {
            flush();
        }
    }

    /** Flushes the channel (an explicit flush from the pipeline, or the end of a batch). */
    void flush() {
        needsFlush = false;
        ctx.flush();
    }

    /** Forgets pending writes: the channel is gone, so they failed and Netty released them. */
    void discard() {
        needsFlush = false;
    }
}
