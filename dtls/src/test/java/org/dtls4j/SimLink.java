package org.dtls4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * One direction of an in-memory network, with no threads and no clock: datagrams queue until the
 * harness delivers them. Seeded drop, duplicate and reorder decisions make a run reproducible; a
 * mutation hook (return null to drop) lets a test tamper with or replace datagrams; every datagram
 * offered is kept in {@link #sent} as sent.
 */
final class SimLink {
    private final Random random;
    private final double dropRate;
    private final double duplicateRate;
    private final double reorderRate;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    final List<byte[]> sent = new ArrayList<>();
    UnaryOperator<byte[]> mutator = UnaryOperator.identity();
    boolean healed;
    int dropped;
    int duplicated;
    int reordered;

    SimLink(long seed, double dropRate, double duplicateRate, double reorderRate) {
        this.random = new Random(seed);
        this.dropRate = dropRate;
        this.duplicateRate = duplicateRate;
        this.reorderRate = reorderRate;
    }

    void send(byte[] buf, int off, int len) {
        byte[] d = Arrays.copyOfRange(buf, off, off + len);
        sent.add(d.clone());
        d = mutator.apply(d);
        if (d == null) {
            return;
        }
        if (healed) {
            queue.addLast(d);
            return;
        }
        if (random.nextDouble() < dropRate) {
            dropped++;
            return;
        }
        if (!queue.isEmpty() && random.nextDouble() < reorderRate) {
            // Jump ahead of the last queued datagram.
            reordered++;
            byte[] last = queue.pollLast();
            queue.addLast(d);
            queue.addLast(last);
        } else {
            queue.addLast(d);
        }
        if (random.nextDouble() < duplicateRate) {
            duplicated++;
            queue.addLast(d.clone());
        }
    }

    byte[] poll() {
        return queue.pollFirst();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    void clear() {
        queue.clear();
    }

    @Override
    public String toString() {
        return "SimLink[sent=" + sent.size() + " dropped=" + dropped + " duplicated=" + duplicated
                + " reordered=" + reordered + "]";
    }
}
