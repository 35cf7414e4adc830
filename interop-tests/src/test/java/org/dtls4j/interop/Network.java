package org.dtls4j.interop;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.dtls4j.testkit.LossyLink;
import org.dtls4j.testkit.QueueTransport;

/**
 * The simulated path between a dtls4j engine and a Bouncy Castle peer: one seeded {@link LossyLink} each
 * way (30% drop, 10% duplicate, 10% reorder), a queue the dtls4j driver reads and BC's transport. It
 * records the largest datagram dtls4j sent and the largest BC datagram that arrived (BC's link is fed by
 * BC's transport directly), so MTU tests can check them.
 */
final class Network {
    static final double DROP = 0.30;
    static final double DUPLICATE = 0.10;
    static final double REORDER = 0.10;

    final long seed;
    final BlockingQueue<byte[]> toDtls4j = new LinkedBlockingQueue<>();
    final QueueTransport bcTransport;
    final LossyLink dtls4jToBc;
    final LossyLink bcToDtls4j;
    private final AtomicInteger largestFromDtls4j = new AtomicInteger();
    private final AtomicInteger largestFromBc = new AtomicInteger();

    /** The lossy network of the interop tests. */
    Network(long seed, int bcMtu) {
        this(seed, bcMtu, DROP, DUPLICATE, REORDER, d -> false);
    }

    /**
     * A network with the given rates whose BC-to-dtls4j direction also drops every datagram {@code dropFromBc}
     * picks, so a test can lose one exact datagram.
     */
    Network(long seed, int bcMtu, double drop, double duplicate, double reorder, Predicate<byte[]> dropFromBc) {
        this.seed = seed;
        this.bcTransport = new QueueTransport(bcMtu);
        this.dtls4jToBc = new LossyLink(seed, drop, duplicate, reorder, bcTransport::deliver);
        this.bcToDtls4j = new LossyLink(seed * 31 + 7, drop, duplicate, reorder, d -> {
            largestFromBc.accumulateAndGet(d.length, Math::max);
            if (!dropFromBc.test(d)) {
                toDtls4j.add(d);
            }
        });
        bcTransport.connect(bcToDtls4j);
    }

    /** Where dtls4j's sink sends: notes the size, then the lossy link to BC. */
    void sendFromDtls4j(byte[] buf, int off, int len) {
        largestFromDtls4j.accumulateAndGet(len, Math::max);
        dtls4jToBc.send(buf, off, len);
    }

    /** Stops losing, duplicating and reordering both ways (for the closing exchange). */
    void heal() {
        dtls4jToBc.heal();
        bcToDtls4j.heal();
    }

    int largestFromDtls4j() {
        return largestFromDtls4j.get();
    }

    /** The largest of BC's datagrams that reached dtls4j (dropped ones are not seen). */
    int largestFromBc() {
        return largestFromBc.get();
    }

    /** The seed and what the links did, for assertion messages. */
    String describe() {
        return "seed=" + seed + " (dtls4j->bc " + dtls4jToBc.stats() + "; bc->dtls4j " + bcToDtls4j.stats() + ")";
    }
}
