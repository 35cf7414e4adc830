package org.dtls4j;

import java.util.List;
import java.util.function.UnaryOperator;
import org.dtls4j.testing.SimulatedLink;

/**
 * The harness's view of one direction of the in-memory network: dtls4j-testing's seeded
 * {@link SimulatedLink}, with the fields the tests set and read directly (a mutation hook that returns
 * null to drop, a healed flag, every datagram as sent).
 */
final class SimLink {
    private final SimulatedLink link;
    UnaryOperator<byte[]> mutator = UnaryOperator.identity();
    boolean healed;
    final List<byte[]> sent = new java.util.ArrayList<>();

    SimLink(long seed, double dropRate, double duplicateRate, double reorderRate) {
        this.link = new SimulatedLink(seed, dropRate, duplicateRate, reorderRate);
        link.tamper(d -> mutator.apply(d));
    }

    void send(byte[] buf, int off, int len) {
        if (healed) {
            link.heal();
        }
        sent.add(java.util.Arrays.copyOfRange(buf, off, off + len));
        link.send(buf, off, len);
    }

    byte[] poll() {
        return link.poll();
    }

    boolean isEmpty() {
        return link.isEmpty();
    }

    void clear() {
        link.clear();
    }

    @Override
    public String toString() {
        return link.toString();
    }
}
