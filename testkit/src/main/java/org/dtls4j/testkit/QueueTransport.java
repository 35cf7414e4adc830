package org.dtls4j.testkit;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/** Bouncy Castle's side of an in-memory datagram path: receives from a queue, sends into a link. */
public final class QueueTransport implements DatagramTransport {
    static final byte[] CLOSED = new byte[0];

    private final BlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private final int mtu;
    private volatile LossyLink outbound;
    private volatile boolean closed;

    public QueueTransport(int mtu) {
        this.mtu = mtu;
    }

    public void connect(LossyLink outbound) {
        this.outbound = outbound;
    }

    /** Where the other side's datagrams arrive. */
    public void deliver(byte[] datagram) {
        inbox.add(datagram);
    }

    @Override
    public int getReceiveLimit() {
        return mtu;
    }

    @Override
    public int getSendLimit() {
        return mtu;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        byte[] d;
        try {
            d = inbox.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (d == null) {
            // BC treats a timeout as "nothing arrived"; -1 is its convention for that.
            return -1;
        }
        if (d == CLOSED) {
            closed = true;
            throw new SocketTimeoutException("transport closed by the test");
        }
        int n = Math.min(len, d.length);
        System.arraycopy(d, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("transport closed");
        }
        outbound.send(buf, off, len);
    }

    @Override
    public void close() {
        closed = true;
        inbox.add(CLOSED);
    }
}
