package org.dtls4j;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The buffers connections seal outgoing records into, lent for one send and returned right after it, so an
 * established connection holds no 17 KiB send buffer of its own (issue 14: 100,000 idle connections).
 *
 * <p>Why a small shared pool and not a {@code ThreadLocal}: a sealed datagram lives only until the
 * {@link DatagramSink} returns, so at any moment only the threads that are inside a send hold a buffer. A
 * {@code ThreadLocal} would keep one per thread that ever sent, which is fine for a server's few workers but
 * costs 17 KiB for every virtual thread (or large platform pool) that touches a connection, and that memory
 * lives as long as the thread. The pool holds at most {@link #SLOTS} buffers however many threads exist;
 * a borrower who finds no free slot gets a fresh array that is dropped afterwards (garbage, not a leak). Each
 * borrow and return is one atomic swap on a slot chosen by the thread's id, so threads rarely share a slot
 * and no lock is taken.
 *
 * <p>What a buffer held (sealed records: ciphertext, epoch-0 handshake messages) is not wiped on return:
 * the bytes already went on the wire.
 */
final class SendBuffers {
    /** Room for the largest record: 2^14 plaintext plus header, CID and AEAD overhead. */
    static final int SIZE = org.dtls4j.record.RecordLayerConfig.MAX_PLAINTEXT + 1024;
    /** Enough for every core to be inside a send at once, with room for threads that block in the sink. */
    static final int SLOTS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private static final AtomicReferenceArray<byte[]> POOL = new AtomicReferenceArray<>(SLOTS);

    private SendBuffers() {
    }

    /**
     * Lends a buffer of at least {@code size} bytes; give it back with {@link #giveBack} once the sink returned.
     *
     * @param size the bytes needed, usually {@link #SIZE}; a larger need (a big configured datagram) gets its
     *     own array, never pooled
     * @return a buffer the caller owns until it gives it back
     */
    static byte[] borrow(int size) {
        if (size > SIZE) {
            return new byte[size];
        }
        int start = slotOf(Thread.currentThread());
        for (int i = 0; i < SLOTS; i++) {
            byte[] b = POOL.getAndSet((start + i) % SLOTS, null);
            if (b != null) {
                return b;
            }
        }
        return new byte[SIZE];
    }

    /**
     * Returns a borrowed buffer to the pool, or lets it go when the pool is full or the buffer is not of pool size.
     *
     * @param buffer what {@link #borrow} lent
     */
    static void giveBack(byte[] buffer) {
        if (buffer.length != SIZE) {
            return;
        }
        int start = slotOf(Thread.currentThread());
        for (int i = 0; i < SLOTS; i++) {
            if (POOL.compareAndSet((start + i) % SLOTS, null, buffer)) {
                return;
            }
        }
    }

    private static int slotOf(Thread t) {
        return (int) Long.remainderUnsigned(t.getId(), SLOTS);
    }
}
