package org.dtls4j.bench;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.bouncycastle.tls.DatagramTransport;

/**
 * One end of an in-memory, lossless datagram pipe for Bouncy Castle's blocking DTLS classes. During a
 * handshake (two threads) datagrams travel through a blocking queue; after it, {@link #direct()} switches
 * to a one-slot buffer that a single thread fills with {@code send} and empties with the peer's
 * {@code receive}, so the application-data benchmark measures BC and not the harness (no copy, no lock,
 * no allocation here).
 */
final class PipeTransport implements DatagramTransport {
    private static final int MTU = 1400;

    private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private final byte[] slot = new byte[1 << 15];
    private int slotLength = -1;
    private PipeTransport peer;
    private boolean direct;
    /** Told the result of {@link BenchPeers#inspect} for each datagram sent, while set (setup only). */
    volatile IntConsumer inspector;

    /** Two connected ends. */
    static PipeTransport[] pair() {
        PipeTransport a = new PipeTransport();
        PipeTransport b = new PipeTransport();
        a.peer = b;
        b.peer = a;
        return new PipeTransport[] {a, b};
    }

    /** Switches both ends to the single-threaded one-slot mode (call once both handshakes returned). */
    void direct() {
        direct = true;
        peer.direct = true;
    }

    @Override
    public int getReceiveLimit() {
        return MTU;
    }

    @Override
    public int getSendLimit() {
        return MTU;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (direct) {
            int n = slotLength;
            if (n < 0) {
                return -1;
            }
            slotLength = -1;
            System.arraycopy(slot, 0, buf, off, Math.min(n, len));
            return Math.min(n, len);
        }
        byte[] d;
        try {
            d = inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (d == null) {
            return -1;
        }
        int n = Math.min(len, d.length);
        System.arraycopy(d, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        IntConsumer i = inspector;
        if (i != null) {
            i.accept(BenchPeers.inspect(buf, off, len));
        }
        if (direct) {
            System.arraycopy(buf, off, peer.slot, 0, len);
            peer.slotLength = len;
            return;
        }
        byte[] d = new byte[len];
        System.arraycopy(buf, off, d, 0, len);
        peer.inbox.add(d);
    }

    @Override
    public void close() {
    }
}
