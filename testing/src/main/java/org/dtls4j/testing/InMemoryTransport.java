package org.dtls4j.testing;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link Transport} over byte arrays for an implementation running in the same process. What the
 * peer sends goes to {@code outbound} (which typically feeds the implementation under test directly, on
 * the caller's thread); what the implementation sends comes back through {@link #deliver}, from any
 * thread. A synchronous implementation answers before {@code send} returns, so a short receive
 * timeout is enough; one on its own thread (Bouncy Castle's blocking API) needs a longer one.
 */
public final class InMemoryTransport implements Transport {
    private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private volatile Consumer<byte[]> outbound;
    private volatile boolean closed;

    /**
     * A transport whose outgoing datagrams go to {@code outbound}.
     *
     * @param outbound called with a copy of each datagram the peer sends, on the sending thread
     */
    public InMemoryTransport(Consumer<byte[]> outbound) {
        this.outbound = outbound;
    }

    /** A transport whose outbound side is connected later with {@link #connect}. */
    public InMemoryTransport() {
        this(d -> {
        });
    }

    /**
     * Sets where outgoing datagrams go from now on, for an implementation built after the transport.
     *
     * @param to called with a copy of each datagram the peer sends
     */
    public void connect(Consumer<byte[]> to) {
        this.outbound = to;
    }

    /**
     * Called by (or for) the implementation under test with each datagram it sends; safe from any
     * thread. Ignored once the transport is closed.
     *
     * @param datagram the datagram, copied before this returns
     */
    public void deliver(byte[] datagram) {
        if (!closed) {
            inbox.add(datagram.clone());
        }
    }

    @Override
    public void send(byte[] datagram) {
        if (!closed) {
            outbound.accept(datagram.clone());
        }
    }

    @Override
    public byte[] receive(Duration timeout) {
        try {
            return closed ? null : inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        inbox.clear();
    }
}
