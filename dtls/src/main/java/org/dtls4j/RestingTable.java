package org.dtls4j;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link DtlsAcceptor}'s table of connections at rest: their {@link ConnectionAtRest} forms by peer address, in
 * one open-addressing array (linear probing, backward-shift removal) whose key is the form's own first bytes.
 * A connection at rest costs its form plus two array slots, no node, key or address object. Lookups of an
 * IPv4 peer allocate nothing. Not thread-safe: the acceptor's thread owns it.
 *
 * <p>Bound: it holds at most one form per address, and the acceptor counts every form against
 * {@code maxConnections}; the array is at most four times the number of forms (or 16 slots).
 */
final class RestingTable {
    private static final int MIN_CAPACITY = 16;

    private byte[][] slots = new byte[MIN_CAPACITY][];
    private int size;

    /** {@return how many connections are at rest} */
    int size() {
        return size;
    }

    /** {@return the form kept under {@code peer}, or null} */
    byte[] get(InetSocketAddress peer) {
        if (size == 0) {
            return null;
        }
        int mask = slots.length - 1;
        for (int i = ConnectionAtRest.hash(peer) & mask; slots[i] != null; i = (i + 1) & mask) {
            if (ConnectionAtRest.isFor(slots[i], peer)) {
                return slots[i];
            }
        }
        return null;
    }

    /**
     * Keeps a form under the address it holds; the acceptor puts a form only for an address that has none.
     *
     * @throws IllegalStateException when a form is kept under that address already (a bug in the caller)
     */
    void put(byte[] form) {
        if (2 * (size + 1) > slots.length) {
            resize(slots.length * 2);
        }
        int mask = slots.length - 1;
        int i = ConnectionAtRest.hash(form) & mask;
        while (slots[i] != null) {
            if (samePeer(slots[i], form)) {
                throw new IllegalStateException("a connection at rest under this address already");
            }
            i = (i + 1) & mask;
        }
        slots[i] = form;
        size++;
    }

    /**
     * Forgets a form (found by identity).
     *
     * @return true when it was kept here
     */
    boolean remove(byte[] form) {
        int mask = slots.length - 1;
        for (int i = ConnectionAtRest.hash(form) & mask; slots[i] != null; i = (i + 1) & mask) {
            if (slots[i] == form) {
                removeAt(i);
                return true;
            }
        }
        return false;
    }

    /**
     * Collects forms whose last progress is at or before {@code before}, at most {@code max} of them (the
     * caller wakes each to close it, so it bounds the work of one call and comes back for the rest).
     *
     * @param before the latest last-progress that counts as idle
     * @param max the most forms to return
     * @return the forms found (still in the table)
     */
    List<byte[]> idleSince(long before, int max) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] form : slots) {
            if (out.size() >= max) {
                break;
            }
            if (form != null && ConnectionAtRest.lastProgress(form) - before <= 0) {
                out.add(form);
            }
        }
        return out;
    }

    /** {@return every form, for closing them all} */
    List<byte[]> all() {
        List<byte[]> out = new ArrayList<>(size);
        for (byte[] form : slots) {
            if (form != null) {
                out.add(form);
            }
        }
        return out;
    }

    /** Forgets every form. */
    void clear() {
        slots = new byte[MIN_CAPACITY][];
        size = 0;
    }

    private void removeAt(int hole) {
        int mask = slots.length - 1;
        slots[hole] = null;
        size--;
        // Backward shift: pull later members of the probe run into the hole so lookups never stop early.
        for (int i = (hole + 1) & mask; slots[i] != null; i = (i + 1) & mask) {
            int home = ConnectionAtRest.hash(slots[i]) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                slots[hole] = slots[i];
                slots[i] = null;
                hole = i;
            }
        }
        if (slots.length > MIN_CAPACITY && 8 * size < slots.length) {
            resize(slots.length / 2);
        }
    }

    private void resize(int capacity) {
        byte[][] old = slots;
        slots = new byte[capacity][];
        int mask = capacity - 1;
        for (byte[] form : old) {
            if (form != null) {
                int i = ConnectionAtRest.hash(form) & mask;
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = form;
            }
        }
    }

    private static boolean samePeer(byte[] a, byte[] b) {
        int keyLength = 1 + a[0] + 2;
        return java.util.Arrays.equals(a, 0, keyLength, b, 0, keyLength);
    }
}
