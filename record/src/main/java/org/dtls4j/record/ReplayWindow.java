package org.dtls4j.record;

import java.util.Arrays;

/**
 * The anti-replay window of one read epoch (RFC 6347 §4.1.2.6): the highest sequence number that
 * authenticated (the right edge) and a bitmap of the {@code size} numbers ending at it. The check
 * ({@link #isFresh}) is separate from the update ({@link #markReceived}), and the layer marks only after
 * the record authenticated, so a forger cannot move the window.
 *
 * <p>The bitmap is circular: bit {@code seq mod capacity} stands for {@code seq}, so advancing the edge
 * clears the bits it passes instead of shifting the whole map. Memory is fixed at construction
 * ({@code ceil(size/64)} longs, at most {@value #MAX_SIZE} bits); a peer cannot make it grow. A window of
 * up to 64 (the default) keeps its one word in a field rather than an array: two per connection, that is
 * 48 bytes less for each of 100,000 connections.
 * Not thread-safe.
 */
public final class ReplayWindow {
    /** The default window, as RFC 6347 §4.1.2.6 suggests (32 is the minimum it names). */
    public static final int DEFAULT_SIZE = 64;
    /** The largest window we allow; far more than any reordering a datagram path produces. */
    public static final int MAX_SIZE = 1 << 16;

    private static final long MAX_SEQUENCE = (1L << 48) - 1;

    private final int size;
    /** The bitmap for windows above 64; null for the rest, which use {@link #bits0}. */
    private final long[] bits;
    private long bits0;
    private final int capacityMask;
    private long rightEdge = -1;

    /**
     * A window of {@code size} sequence numbers, 1 to {@value #MAX_SIZE}.
     *
     * @param size how many sequence numbers left of the right edge the window remembers
     */
    public ReplayWindow(int size) {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("replay window size must be 1.." + MAX_SIZE + ": " + size);
        }
        this.size = size;
        // A power-of-two capacity of at least 64 bits makes "seq mod capacity" a mask.
        int capacity = Math.max(64, Integer.highestOneBit(size - 1) << 1);
        this.bits = capacity > 64 ? new long[capacity >>> 6] : null;
        this.capacityMask = capacity - 1;
    }

    /** {@return how many sequence numbers the window covers} */
    public int size() {
        return size;
    }

    /** {@return the highest sequence number marked so far, or -1 before the first} */
    public long rightEdge() {
        return rightEdge;
    }

    /**
     * {@return true when {@code seq} is neither marked nor left of the window: the record may be opened}
     *
     * @param seq a record sequence number
     */
    public boolean isFresh(long seq) {
        if (seq < 0 || seq > MAX_SEQUENCE) {
            return false;
        }
        if (seq > rightEdge) {
            return true;
        }
        return rightEdge - seq < size && !isSet(seq);
    }

    /**
     * {@return true when {@code seq} lies left of the window (the {@code too old} drop, as opposed to a replay)}
     *
     * @param seq a record sequence number
     */
    public boolean isTooOld(long seq) {
        return rightEdge >= 0 && seq <= rightEdge && rightEdge - seq >= size;
    }

    /**
     * Records that {@code seq} authenticated; call only after {@link #isFresh} and a successful open.
     *
     * @param seq the sequence number of the record that opened
     */
    public void markReceived(long seq) {
        if (seq < 0 || seq > MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence number out of range: " + seq);
        }
        if (seq > rightEdge) {
            advanceTo(seq);
        } else if (rightEdge - seq >= size) {
            return;
        }
        if (bits == null) {
            bits0 |= 1L << (seq & 63);
        } else {
            bits[(int) (seq & capacityMask) >>> 6] |= 1L << (seq & 63);
        }
    }

    /**
     * Moves the right edge to {@code seq} (if it is not past it already) and marks every number in the window
     * received: what a restored connection knows of a window it cannot see.
     *
     * @param seq the sequence number everything up to which counts as received
     */
    public void markAllUpTo(long seq) {
        if (seq < 0 || seq > MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence number out of range: " + seq);
        }
        if (seq > rightEdge) {
            rightEdge = seq;
        }
        if (bits == null) {
            bits0 = -1L;
        } else {
            Arrays.fill(bits, -1L);
        }
    }

    /**
     * {@return a copy of the bitmap's words, for a connection put away and rebuilt later}
     * With {@link #rightEdge()} it is the whole state; {@link #restore} puts it back into a window of the same size.
     */
    public long[] words() {
        return bits == null ? new long[] {bits0} : bits.clone();
    }

    /**
     * Puts back a state read by {@link #rightEdge()} and {@link #words()} from a window of the same size, so
     * a rebuilt connection takes exactly the records the original would have (no replay, no late loss).
     *
     * @param edge the right edge, -1 for none
     * @param saved the words, as many as this window has
     * @throws IllegalArgumentException when the state cannot be this window's
     */
    public void restore(long edge, long[] saved) {
        if (edge < -1 || edge > MAX_SEQUENCE || saved.length != (bits == null ? 1 : bits.length)) {
            throw new IllegalArgumentException("not the state of a window of " + size + ": edge " + edge
                    + ", " + saved.length + " words");
        }
        rightEdge = edge;
        if (bits == null) {
            bits0 = saved[0];
        } else {
            System.arraycopy(saved, 0, bits, 0, saved.length);
        }
    }

    private boolean isSet(long seq) {
        long word = bits == null ? bits0 : bits[(int) (seq & capacityMask) >>> 6];
        return (word & 1L << (seq & 63)) != 0;
    }

    /** Moves the right edge to {@code seq}, clearing the bits of the numbers passed over. */
    private void advanceTo(long seq) {
        long delta = seq - rightEdge;
        if (rightEdge < 0 || delta > capacityMask) {
            bits0 = 0;
            if (bits != null) {
                Arrays.fill(bits, 0L);
            }
        } else if (bits == null) {
            for (long s = rightEdge + 1; s <= seq; s++) {
                bits0 &= ~(1L << (s & 63));
            }
        } else {
            for (long s = rightEdge + 1; s <= seq; s++) {
                bits[(int) (s & capacityMask) >>> 6] &= ~(1L << (s & 63));
            }
        }
        rightEdge = seq;
    }

    @Override
    public String toString() {
        return "ReplayWindow[size=" + size + ", rightEdge=" + rightEdge + "]";
    }
}
