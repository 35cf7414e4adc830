package org.dtls4j.interop;

import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.dtls4j.DtlsAcceptor;
import org.dtls4j.DtlsConnection;

/**
 * Runs a dtls4j engine on the test thread in real time, because its Bouncy Castle peer is blocking and
 * uses the wall clock: take datagrams from the inbox, waiting no longer than the engine's next timer,
 * and fire that timer when it is due. {@link #runUntil} is the only loop; everything else is a call into it.
 */
final class Dtls4jDriver {
    /** How long one wait on the inbox lasts at most, so conditions set by other threads are seen promptly. */
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** What the driver needs from a {@link DtlsConnection} or a {@link DtlsAcceptor}. */
    interface Engine {
        void receive(byte[] datagram, long nowNanos);

        long nextTimeoutNanos();

        void onTimeout(long nowNanos);
    }

    private final BlockingQueue<byte[]> inbox;
    private final Engine engine;

    private Dtls4jDriver(BlockingQueue<byte[]> inbox, Engine engine) {
        this.inbox = inbox;
        this.engine = engine;
    }

    static Dtls4jDriver of(DtlsConnection connection, BlockingQueue<byte[]> inbox) {
        return new Dtls4jDriver(inbox, new Engine() {
            @Override
            public void receive(byte[] datagram, long nowNanos) {
                connection.receive(datagram, 0, datagram.length, nowNanos);
            }

            @Override
            public long nextTimeoutNanos() {
                return connection.nextTimeoutNanos();
            }

            @Override
            public void onTimeout(long nowNanos) {
                connection.onTimeout(nowNanos);
            }
        });
    }

    /** Drives an acceptor whose every datagram comes from {@code from} (one simulated client address). */
    static Dtls4jDriver of(DtlsAcceptor acceptor, InetSocketAddress from, BlockingQueue<byte[]> inbox) {
        return of(acceptor, () -> from, inbox);
    }

    /** Drives an acceptor whose datagrams come from where {@code from} says at each one (a NAT may rebind). */
    static Dtls4jDriver of(DtlsAcceptor acceptor, Supplier<InetSocketAddress> from, BlockingQueue<byte[]> inbox) {
        return new Dtls4jDriver(inbox, new Engine() {
            @Override
            public void receive(byte[] datagram, long nowNanos) {
                acceptor.receive(datagram, 0, datagram.length, from.get(), nowNanos);
            }

            @Override
            public long nextTimeoutNanos() {
                return acceptor.nextTimeoutNanos();
            }

            @Override
            public void onTimeout(long nowNanos) {
                acceptor.onTimeout(nowNanos);
            }
        });
    }

    /**
     * Delivers datagrams and fires timers until {@code done} holds or {@code limitMillis} of real time
     * passed; returns whether {@code done} held.
     */
    boolean runUntil(BooleanSupplier done, long limitMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        while (!done.getAsBoolean()) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return false;
            }
            long timer = engine.nextTimeoutNanos();
            if (timer != Long.MAX_VALUE && now - timer >= 0) {
                engine.onTimeout(now);
                continue;
            }
            long wait = Math.min(MAX_WAIT_NANOS, deadline - now);
            if (timer != Long.MAX_VALUE) {
                wait = Math.min(wait, timer - now);
            }
            byte[] datagram = inbox.poll(wait, TimeUnit.NANOSECONDS);
            if (datagram != null) {
                engine.receive(datagram, System.nanoTime());
            }
        }
        return true;
    }
}
