package org.dtls4j.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * One direction of an in-memory network for in-process tests, with no thread and no clock: datagrams
 * queue until the test takes them with {@link #poll()}. Drop, duplicate and reorder decisions come
 * from a {@link Random} seeded by the test, so the same seed and the same datagrams give the same run
 * and a failure can be replayed. A {@linkplain #tamper tamper hook} may replace or drop (return null)
 * each datagram before the loss decisions; {@link #sent()} keeps every datagram as it was offered.
 *
 * <pre>{@code
 * SimulatedLink toServer = new SimulatedLink(seed, 0.2, 0.05, 0.1);
 * client.sink = (b, off, len) -> toServer.send(b, off, len);
 * for (byte[] d; (d = toServer.poll()) != null; ) server.receive(d, now);
 * }</pre>
 */
public final class SimulatedLink {
    private final Random random;
    private final double dropRate;
    private final double duplicateRate;
    private final double reorderRate;
    private final Deque<byte[]> queue = new ArrayDeque<>();
    private final List<byte[]> sent = new ArrayList<>();
    private UnaryOperator<byte[]> tamper = UnaryOperator.identity();
    private boolean healed;
    private int dropped;
    private int duplicated;
    private int reordered;

    /**
     * A link that drops, duplicates and reorders each datagram with the given probabilities.
     *
     * @param seed the seed of the loss decisions: the same seed and datagrams give the same run
     * @param dropRate the chance each datagram is lost, 0..1
     * @param duplicateRate the chance a delivered datagram is queued twice, 0..1
     * @param reorderRate the chance a datagram overtakes the one queued before it, 0..1
     * @throws IllegalArgumentException when a rate is outside 0..1 (or NaN)
     */
    public SimulatedLink(long seed, double dropRate, double duplicateRate, double reorderRate) {
        for (double r : new double[] {dropRate, duplicateRate, reorderRate}) {
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("rate " + r + " outside 0..1");
            }
        }
        this.random = new Random(seed);
        this.dropRate = dropRate;
        this.duplicateRate = duplicateRate;
        this.reorderRate = reorderRate;
    }

    /** {@return a link that delivers everything once, in order} */
    public static SimulatedLink perfect() {
        return new SimulatedLink(0, 0, 0, 0);
    }

    /**
     * Offers one datagram; the link copies it, records it in {@link #sent()}, runs the tamper hook, then
     * decides whether to drop, reorder or duplicate it.
     *
     * @param buf the array holding the datagram
     * @param off where the datagram starts in {@code buf}
     * @param len the datagram length in bytes
     */
    public void send(byte[] buf, int off, int len) {
        byte[] d = Arrays.copyOfRange(buf, off, off + len);
        sent.add(d.clone());
        d = tamper.apply(d);
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
            reordered++;
            byte[] overtaken = queue.pollLast();
            queue.addLast(d);
            queue.addLast(overtaken);
        } else {
            queue.addLast(d);
        }
        if (random.nextDouble() < duplicateRate) {
            duplicated++;
            queue.addLast(d.clone());
        }
    }

    /**
     * Offers a whole array as one datagram.
     *
     * @param datagram the datagram, copied
     */
    public void send(byte[] datagram) {
        send(datagram, 0, datagram.length);
    }

    /** {@return the next datagram to deliver, or null when none is queued} */
    public byte[] poll() {
        return queue.pollFirst();
    }

    /** {@return true when nothing waits for delivery} */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Forgets what waits for delivery (a partition). */
    public void clear() {
        queue.clear();
    }

    /** Stops dropping, duplicating and reordering from now on (for a closing exchange). */
    public void heal() {
        healed = true;
    }

    /**
     * Replaces each datagram before the loss decisions; the hook returns null to drop it.
     *
     * @param hook gets a private copy of each datagram; null restores the identity
     */
    public void tamper(UnaryOperator<byte[]> hook) {
        this.tamper = hook == null ? UnaryOperator.identity() : hook;
    }

    /** {@return every datagram offered so far, as offered before the tamper hook (copies)} */
    public List<byte[]> sent() {
        List<byte[]> out = new ArrayList<>(sent.size());
        for (byte[] d : sent) {
            out.add(d.clone());
        }
        return out;
    }

    /** {@return how many datagrams the link dropped by chance (not those the tamper hook dropped)} */
    public int dropped() {
        return dropped;
    }

    /** {@return how many datagrams the link queued twice} */
    public int duplicated() {
        return duplicated;
    }

    /** {@return how many datagrams overtook the one queued before them} */
    public int reordered() {
        return reordered;
    }

    @Override
    public String toString() {
        return "SimulatedLink[sent=" + sent.size() + " dropped=" + dropped + " duplicated=" + duplicated
                + " reordered=" + reordered + "]";
    }
}
