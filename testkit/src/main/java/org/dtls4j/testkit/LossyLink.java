package org.dtls4j.testkit;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One direction of a simulated network: a seeded source of drop, duplicate and reorder decisions in
 * front of a receiver. The same seed gives the same sequence of decisions for the same sequence of
 * datagrams, so a failing run can be replayed. Reordering holds a datagram back until the next one
 * has been delivered, or for {@link #HOLD_MILLIS} when nothing follows it.
 */
public final class LossyLink {
    static final long HOLD_MILLIS = 15;
    private static final ScheduledExecutorService RELEASER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lossy-link-releaser");
        t.setDaemon(true);
        return t;
    });

    private final Random random;
    private final double dropRate;
    private final double duplicateRate;
    private final double reorderRate;
    private final Consumer<byte[]> receiver;
    private final ArrayDeque<byte[]> heldBack = new ArrayDeque<>();
    private volatile boolean healed;
    private int sent;
    private int dropped;
    private int duplicated;
    private int reordered;

    public LossyLink(long seed, double dropRate, double duplicateRate, double reorderRate, Consumer<byte[]> receiver) {
        this.random = new Random(seed);
        this.dropRate = dropRate;
        this.duplicateRate = duplicateRate;
        this.reorderRate = reorderRate;
        this.receiver = receiver;
    }

    /** Stops losing, duplicating and reordering from now on (used for the closing exchange). */
    public void heal() {
        healed = true;
    }

    public synchronized void send(byte[] buf, int off, int len) {
        byte[] datagram = Arrays.copyOfRange(buf, off, off + len);
        sent++;
        if (healed) {
            flushHeld();
            receiver.accept(datagram);
            return;
        }
        if (random.nextDouble() < dropRate) {
            dropped++;
            return;
        }
        if (random.nextDouble() < reorderRate) {
            reordered++;
            heldBack.add(datagram);
            RELEASER.schedule(this::releaseHeld, HOLD_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        receiver.accept(datagram);
        if (random.nextDouble() < duplicateRate) {
            duplicated++;
            receiver.accept(datagram.clone());
        }
        flushHeld();
    }

    private synchronized void releaseHeld() {
        flushHeld();
    }

    private void flushHeld() {
        while (!heldBack.isEmpty()) {
            receiver.accept(heldBack.poll());
        }
    }

    public synchronized String stats() {
        return "sent=" + sent + " dropped=" + dropped + " duplicated=" + duplicated + " reordered=" + reordered;
    }
}
