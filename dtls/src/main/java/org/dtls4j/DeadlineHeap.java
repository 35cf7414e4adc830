package org.dtls4j;

import java.util.Arrays;

/**
 * An acceptor's timers: its live connections' entries ordered by deadline, earliest first, ties in the order
 * the entries were made. A binary min-heap in one array, where each entry keeps its own slot, so that adding,
 * moving and removing an entry cost O(log n) and nothing is allocated per operation.
 *
 * <p>Why not a {@code TreeSet}: it made a node per entry (a connection's handshake added and removed one), and
 * its rebalancing branches, first met only in a measured phase of a long load (rotations once the tree was
 * deep, deletions once connections closed), deoptimised the worker's compiled loop into which they had been
 * inlined (bench/RESULTS.md, issue 14). A heap's sift loops are the same few branches at every size.
 *
 * <p>Bounds: one slot per live connection (the acceptor's {@code maxConnections} bounds those); the array
 * doubles when full and halves when a quarter full, down to {@value #MIN_CAPACITY} slots, so a server that
 * once held 100,000 connections does not keep their slots. Not thread-safe: it is its acceptor's.
 */
final class DeadlineHeap {
    /** What the heap orders: an acceptor's per-connection timer entry extends this. */
    abstract static class Entry {
        /** Ties between equal deadlines break by creation order, so equal deadlines fire first come, first served. */
        final long order;
        /** While the heap holds the entry: its deadline; otherwise {@link Long#MAX_VALUE}. */
        long deadline = Long.MAX_VALUE;
        /** The entry's slot in the heap's array, or -1 when the heap does not hold it. */
        private int slot = -1;

        Entry(long order) {
            this.order = order;
        }

        /** {@return whether a heap holds this entry now} */
        final boolean scheduled() {
            return slot >= 0;
        }
    }

    static final int MIN_CAPACITY = 16;
    private Entry[] heap = new Entry[MIN_CAPACITY];
    private int size;

    /** {@return whether no entry is scheduled} */
    boolean isEmpty() {
        return size == 0;
    }

    /** {@return how many entries are scheduled} */
    int size() {
        return size;
    }

    /** {@return the entry with the earliest deadline, or null when none is scheduled} */
    Entry first() {
        return size == 0 ? null : heap[0];
    }

    /**
     * Sets {@code e}'s deadline and puts it where that deadline belongs: added when the heap did not hold it,
     * moved (earlier or later) when it did.
     *
     * @param e the entry
     * @param deadline its new deadline; {@link Long#MAX_VALUE} is a deadline like any other (never due)
     */
    void schedule(Entry e, long deadline) {
        if (e.slot < 0) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            e.deadline = deadline;
            place(e, size++);
            siftUp(e.slot);
            return;
        }
        long old = e.deadline;
        e.deadline = deadline;
        if (deadline < old) {
            siftUp(e.slot);
        } else if (deadline > old) {
            siftDown(e.slot);
        }
    }

    /** Takes the entry with the earliest deadline out (its deadline becomes MAX_VALUE); null when empty. */
    Entry pollFirst() {
        if (size == 0) {
            return null;
        }
        Entry first = heap[0];
        removeAt(0);
        return first;
    }

    /** Takes {@code e} out, if the heap holds it; its deadline becomes MAX_VALUE. */
    void remove(Entry e) {
        if (e.slot >= 0) {
            removeAt(e.slot);
        }
    }

    /** Takes every entry out, and gives back the array's room. */
    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].slot = -1;
            heap[i].deadline = Long.MAX_VALUE;
        }
        heap = new Entry[MIN_CAPACITY];
        size = 0;
    }

    /** {@return the array's slots, for tests of its bound} */
    int capacity() {
        return heap.length;
    }

    private void removeAt(int i) {
        Entry gone = heap[i];
        gone.slot = -1;
        gone.deadline = Long.MAX_VALUE;
        int last = --size;
        if (i != last) {
            Entry moved = heap[last];
            place(moved, i);
            heap[last] = null;
            // The last entry may belong above or below the hole it fills.
            siftUp(i);
            if (heap[i] == moved) {
                siftDown(i);
            }
        } else {
            heap[last] = null;
        }
        if (heap.length > MIN_CAPACITY && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
        }
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Entry p = heap[parent];
            if (!earlier(e, p)) {
                break;
            }
            place(p, i);
            i = parent;
        }
        place(e, i);
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Entry c = heap[child];
            int right = child + 1;
            if (right < size && earlier(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!earlier(c, e)) {
                break;
            }
            place(c, i);
            i = child;
        }
        place(e, i);
    }

    private void place(Entry e, int i) {
        heap[i] = e;
        e.slot = i;
    }

    private static boolean earlier(Entry a, Entry b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.order < b.order);
    }
}
