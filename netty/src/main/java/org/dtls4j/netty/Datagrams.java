package org.dtls4j.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The bridge between Netty's {@link ByteBuf}s and the engine's byte arrays: a heap buffer is read in place,
 * anything else is copied once into a scratch array the handler owns (the engine never keeps the bytes past
 * the call). One instance per handler, used on its event loop only.
 */
final class Datagrams {
    /** The largest UDP payload; nothing bigger can arrive in one datagram. */
    static final int MAX_DATAGRAM = 65_535;

    private final byte[] scratch = new byte[MAX_DATAGRAM];
    byte[] array;
    int offset;
    int length;

    /**
     * Points {@link #array}, {@link #offset} and {@link #length} at the readable bytes of {@code buf}.
     *
     * @return false when the buffer holds more than one datagram can (nothing is loaded)
     */
    boolean load(ByteBuf buf) {
        int n = buf.readableBytes();
        if (buf.hasArray()) {
            array = buf.array();
            offset = buf.arrayOffset() + buf.readerIndex();
        } else if (n <= scratch.length) {
            buf.getBytes(buf.readerIndex(), scratch, 0, n);
            array = scratch;
            offset = 0;
        } else {
            return false;
        }
        length = n;
        return true;
    }

    /** Forgets the loaded bytes, so a released buffer's array is not kept reachable. */
    void clear() {
        array = null;
    }

    /** A new buffer holding a copy of the bytes; the caller owns it. */
    static ByteBuf copy(ByteBufAllocator alloc, byte[] buf, int off, int len, boolean forIo) {
        ByteBuf out = forIo ? alloc.ioBuffer(len) : alloc.heapBuffer(len);
        return out.writeBytes(buf, off, len);
    }

    /** The failure for a write of something other than what a handler encrypts. */
    static IllegalArgumentException unsupported(Object msg) {
        return new IllegalArgumentException("a DTLS handler writes DatagramPackets (or ByteBufs, client side), not "
                + msg.getClass().getName());
    }

    /** The channel's local address when it is an IP socket address (not, for example, an embedded channel's). */
    static InetSocketAddress localAddress(Channel channel) {
        SocketAddress a = channel.localAddress();
        return a instanceof InetSocketAddress inet ? inet : null;
    }
}
