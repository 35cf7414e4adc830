package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed JDK {@code Cipher} sets per thread, so that a connection holds key bytes and no {@code Cipher} of
 * its own (a keyed AES {@code Cipher} is about 800 bytes of heap; CCM needs two per direction, CBC two).
 * Each set is the {@code Cipher}s one record operation needs, keyed with one {@link SecretKeySpec}; a set
 * is found by the identity of that key object, which each record cipher owns.
 *
 * <p>Why a cache of many sets and not one {@code Cipher}: the JDK's AES expands a key into its round keys
 * whenever a {@code Cipher} is initialised with a key other than its last one (it remembers only the
 * last), and on JDK 17 that expansion (encryption and decryption schedules) costs more than sealing a
 * 100-byte CCM record. A server thread that takes the records of its connections in turn would expand a
 * key on every record. So a thread keeps keyed sets, up to a bound: as long as the connections active on a
 * thread fit (two keys each), no record re-keys; beyond that, the sets are re-keyed in CLOCK order (an
 * approximation of least recently used: a set used since the hand last passed is spared once), which costs
 * what a fresh {@code Cipher} per record would. Idle connections cost nothing here: a set is bounded per
 * thread, not kept per connection, so 100,000 idle connections hold no {@code Cipher}.
 *
 * <p>The bound follows the thread's load, between {@value #START_SETS} sets (128 connections with both
 * keys) and a ceiling of {@value #DEFAULT_MAX_SETS} unless the system property {@value #MAX_SETS_PROPERTY}
 * says otherwise (1 to 65,536; ~1.6 KB per CCM set on JDK 17, so about 3.3 MB per thread at the default
 * ceiling for CCM, under 1 KB per GCM set). Every {@value #WINDOW} lookups a thread reviews its last window:
 * <ul>
 *   <li>when more than one lookup in {@value #GROW_WHEN_ONE_IN} re-keyed a key the thread had evicted shortly
 *       before, for the second time at least (the misses more sets would have saved; ARC's ghost entries, as
 *       bits), its active keys outnumber its sets, and the bound doubles (up to the ceiling). A server whose connections active per
 *       worker rose from 100 to 400 had paid 4.3 → 7.5 µs per echoed GCM record on JDK 17 with a fixed bound
 *       of 256 (bench/RESULTS.md). Keys that are keyed once and not used again (handshakes of connections
 *       that then stay quiet) evict others but never come back, and keys that come back once (those
 *       connections closing together later) do not come back twice, so neither grows anything;</li>
 *   <li>when no evicted key came back and fewer than a quarter of the bound's sets were used, two windows in
 *       a row, the bound halves (not below {@value #START_SETS}) and the sets above it are let go, so a burst
 *       of activity does not pin its memory after it.</li>
 * </ul>
 * Sets and the lookup table are made on first need and grow with use, so a thread that serves one
 * connection (a virtual thread per connection, say) holds the two sets that connection uses, as many
 * {@code Cipher}s as the connection itself held before.
 *
 * <p>Lookup: an open-addressing table keyed by the key object's identity hash (linear probing, removal by
 * backward shift, so no tombstones), O(1) per record.
 *
 * <p>Thread safety: sets are per thread ({@link ThreadLocal}), and a record operation takes its set and
 * finishes with it before returning, so two connections on two threads never share a {@code Cipher}, and
 * two connections on one thread only take turns.
 *
 * <p>Key hygiene: a set keeps its key object (and the JDK keeps the expanded key) until the set is re-keyed
 * or its thread ends, as a per-connection {@code Cipher} kept them until it was collected; {@link #forget}
 * frees the calling thread's set at once when an epoch retires or an operation failed.
 */
final class ThreadCiphers {
    /** The system property that bounds the sets per thread. */
    static final String MAX_SETS_PROPERTY = "org.dtls4j.crypto.threadCipherSets";
    /** The ceiling of a thread's sets by default: 1,024 connections active on one thread without re-keying. */
    static final int DEFAULT_MAX_SETS = 2048;
    /** A thread's bound to begin with, and its floor when it shrinks (unless the ceiling is lower). */
    static final int START_SETS = 256;
    /** Sets per thread: the ceiling of the bound. */
    static final int MAX_SETS = maxSets(System.getProperty(MAX_SETS_PROPERTY));
    /** Lookups per review of a thread's bound. */
    static final int WINDOW = 4096;
    /** A window in which more than one lookup in this many re-keyed an evicted key doubles the bound. */
    static final int GROW_WHEN_ONE_IN = 8;
    /** Bits that remember which keys a thread evicted in the current window. */
    static final int GHOST_BITS = 4096;

    /** Keys a fresh or re-used set of {@code Cipher}s for {@code key}. */
    @FunctionalInterface
    interface Keying {
        /**
         * Initialises {@code ciphers} (made from this cache's transformations, in order) for {@code key}.
         *
         * @param ciphers the set
         * @param key the key
         * @throws GeneralSecurityException when the JDK refuses the key (a bug: lengths were checked)
         */
        void key(Cipher[] ciphers, SecretKeySpec key) throws GeneralSecurityException;
    }

    private final String[] transformations;
    private final Keying keying;
    private final int maxSets;
    private final int startSets;
    private final int window;
    private final ThreadLocal<Sets> sets = ThreadLocal.withInitial(Sets::new);

    /**
     * A cache whose sets hold one {@code Cipher} of each of {@code transformations}: a thread's bound starts at
     * {@link #START_SETS} and follows its load up to {@link #MAX_SETS}.
     *
     * @param keying initialises a set for a key
     * @param transformations the JDK transformations of a set, e.g. {@code AES/CBC/NoPadding}
     */
    ThreadCiphers(Keying keying, String... transformations) {
        this(START_SETS, MAX_SETS, WINDOW, keying, transformations);
    }

    /** A cache of a fixed {@code maxSets} sets per thread (tests use small ones). */
    ThreadCiphers(int maxSets, Keying keying, String... transformations) {
        this(maxSets, maxSets, WINDOW, keying, transformations);
    }

    /**
     * A cache whose per-thread bound starts at {@code startSets} (at most {@code maxSets}) and moves between
     * there and {@code maxSets}, reviewed every {@code window} lookups (tests use small ones).
     */
    ThreadCiphers(int startSets, int maxSets, int window, Keying keying, String... transformations) {
        if (maxSets < 1 || maxSets > 65_536) {
            throw new IllegalArgumentException("sets per thread: " + maxSets);
        }
        if (startSets < 1 || window < 1) {
            throw new IllegalArgumentException("start " + startSets + ", window " + window);
        }
        this.maxSets = maxSets;
        this.startSets = Math.min(startSets, maxSets);
        this.window = window;
        this.keying = keying;
        this.transformations = transformations.clone();
    }

    /** The bound from the property's value; the default when absent or not a number from 1 to 65,536. */
    static int maxSets(String value) {
        if (value == null) {
            return DEFAULT_MAX_SETS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n >= 1 && n <= 65_536 ? n : DEFAULT_MAX_SETS;
        } catch (NumberFormatException e) {
            return DEFAULT_MAX_SETS;
        }
    }

    /**
     * The calling thread's set keyed with {@code key}, keyed now if the thread has none for it. Use it
     * within the current call only.
     *
     * @param key the record cipher's key object (compared by identity)
     * @return the {@code Cipher}s, in the order of the transformations
     */
    Cipher[] get(SecretKeySpec key) {
        Sets s = sets.get();
        int set = s.find(key);
        if (set < 0) {
            s.noteMiss(key);
            set = s.take();
            try {
                keying.key(s.ciphers[set], key);
            } catch (GeneralSecurityException e) {
                s.free(set);
                throw new IllegalStateException("the JDK refused a checked key for " + transformations[0], e);
            }
            s.bind(set, key);
        }
        Cipher[] keyed = s.ciphers[set];
        s.used[set] = true;
        if (s.stamp[set] != s.windows) {
            s.stamp[set] = s.windows;
            s.touched++;
        }
        if (++s.lookups == window) {
            s.review(); // may let this very set go: the caller still has it for this call
        }
        return keyed;
    }

    /**
     * Frees the calling thread's set for {@code key}, if any, to be re-keyed first: after a failed operation
     * (its {@code Cipher} state is unknown) or when the key retires.
     *
     * @param key the record cipher's key object
     */
    void forget(SecretKeySpec key) {
        Sets s = sets.get();
        int set = s.find(key);
        if (set >= 0) {
            s.unbind(set);
            s.free(set);
        }
    }

    /** {@return the sets the calling thread holds now, keyed or free} */
    int setsHeld() {
        return sets.get().count;
    }

    /** {@return the calling thread's bound on its sets now} */
    int boundNow() {
        return sets.get().bound;
    }

    /** One thread's sets and the identity table that finds them. */
    private final class Sets {
        /** The sets made so far ({@link #count} of them), each with the key it holds (null: free). */
        Cipher[][] ciphers = new Cipher[4][];
        SecretKeySpec[] owner = new SecretKeySpec[4];
        /** CLOCK's reference bits: used since the hand last passed. */
        boolean[] used = new boolean[4];
        int count;
        int hand;
        /** Free sets (forgotten, or whose keying failed), re-keyed before any other. */
        int[] freeSets = new int[4];
        int freeCount;
        /** Open addressing by identity hash: key objects and their set numbers; at most half full. */
        SecretKeySpec[] tableKeys = new SecretKeySpec[8];
        int[] tableSets = new int[8];
        /** The most sets now: from {@link #startSets} up to {@link #maxSets}, as the reviews decide. */
        int bound = startSets;
        /**
         * The review window: its number, lookups in it, sets used in it, and misses for a key that this thread
         * evicted in this window or the one before (by its {@link #ghosts}) and that had come back so once
         * already ({@link #returned}): the misses of keys in steady use that more sets would have saved.
         */
        int windows = 1;
        int lookups;
        int touched;
        int returns;
        /**
         * The identity hashes of the keys evicted in this window, as bits (a key that comes back finds its
         * bit set; a false positive needs another evicted key's hash in the same one of 4,096 bits), and those
         * of the window before, so a key that comes back just after a review still counts. Misses for keys
         * never seen, or not seen again (connections that handshook and went quiet), grow nothing. Made at the
         * thread's first eviction, so a thread that never fills its sets (one serving a connection or a few)
         * holds none of these bits.
         */
        RecentBits ghosts;
        /**
         * The keys that came back once in this window or the one before, as bits like the ghosts. Only a second
         * return counts: when connections left quiet all close at once, each key comes back once (its
         * close_notify), and a burst like that must not grow the bound as keys in turn do.
         */
        RecentBits returned;
        /** The window each set was last used in ({@link #touched} counts each set once per window). */
        int[] stamp = new int[4];
        /** Reviews in a row that found the bound four times what the thread used. */
        int quietReviews;

        int find(SecretKeySpec key) {
            int mask = tableKeys.length - 1;
            for (int i = slotOf(key, mask); tableKeys[i] != null; i = (i + 1) & mask) {
                if (tableKeys[i] == key) {
                    return tableSets[i];
                }
            }
            return -1;
        }

        /** A set to key: a free one, a new one while under the bound, else CLOCK's victim (unbound). */
        int take() {
            if (freeCount > 0) {
                return freeSets[--freeCount];
            }
            if (count < bound) {
                grow();
                ciphers[count] = newSet();
                return count++;
            }
            while (used[hand]) {
                used[hand] = false;
                hand = hand + 1 == count ? 0 : hand + 1;
            }
            int victim = hand;
            hand = hand + 1 == count ? 0 : hand + 1;
            if (ghosts == null) {
                ghosts = new RecentBits();
                returned = new RecentBits();
            }
            ghosts.set(ghostBit(owner[victim]));
            unbind(victim);
            return victim;
        }

        void bind(int set, SecretKeySpec key) {
            owner[set] = key;
            int mask = tableKeys.length - 1;
            int i = slotOf(key, mask);
            while (tableKeys[i] != null) {
                i = (i + 1) & mask;
            }
            tableKeys[i] = key;
            tableSets[i] = set;
        }

        /** Takes the set's key out of the table (backward-shift deletion keeps every probe chain whole). */
        void unbind(int set) {
            SecretKeySpec key = owner[set];
            if (key == null) {
                return;
            }
            owner[set] = null;
            used[set] = false;
            int mask = tableKeys.length - 1;
            int i = slotOf(key, mask);
            while (tableKeys[i] != key) {
                i = (i + 1) & mask;
            }
            int hole = i;
            for (int j = (hole + 1) & mask; tableKeys[j] != null; j = (j + 1) & mask) {
                int home = slotOf(tableKeys[j], mask);
                // Move j into the hole unless its home lies cyclically in (hole, j].
                boolean homeAfterHole = hole <= j ? hole < home && home <= j : hole < home || home <= j;
                if (!homeAfterHole) {
                    tableKeys[hole] = tableKeys[j];
                    tableSets[hole] = tableSets[j];
                    hole = j;
                }
            }
            tableKeys[hole] = null;
        }

        void free(int set) {
            used[set] = false;
            // The set keeps its Ciphers: a server's next handshake re-keys it, where a new set would cost two
            // Cipher.getInstance (a transformation parse and provider look-up, the largest allocation site of a
            // server's handshakes when free sets gave their Ciphers back). The bound on sets bounds the memory.
            freeSets[freeCount++] = set;
        }

        /** Room for one more set, and a table at most half full once it is bound. */
        private void grow() {
            if (count == ciphers.length) {
                resize(Math.min(maxSets, count * 2));
            }
            if (2 * (count + 1) > tableKeys.length) {
                rehash(tableKeys.length * 2);
            }
        }

        /** Counts a miss as a return when its key's ghost bit is set and it came back so once before. */
        void noteMiss(SecretKeySpec key) {
            if (ghosts == null) {
                return; // nothing evicted yet
            }
            int ghost = ghostBit(key);
            if (!ghosts.has(ghost)) {
                return;
            }
            if (returned.has(ghost)) {
                returns++;
            } else {
                returned.set(ghost);
            }
        }

        /** The end of a window: the bound doubles, halves or stays (see the class comment). */
        void review() {
            if (returns * GROW_WHEN_ONE_IN > lookups && bound < maxSets) {
                bound = Math.min(maxSets, bound * 2);
                quietReviews = 0;
            } else if (returns == 0 && bound > startSets && touched * 4 < bound) {
                if (++quietReviews == 2) {
                    shrink(Math.max(startSets, bound / 2));
                    quietReviews = 0;
                }
            } else {
                quietReviews = 0;
            }
            windows++;
            lookups = 0;
            touched = 0;
            returns = 0;
            if (ghosts != null) {
                ghosts.nextWindow();
                returned.nextWindow();
            }
        }

        /** Lowers the bound to {@code newBound} and lets go of the sets above it (their keys are keyed again on their next use). */
        private void shrink(int newBound) {
            bound = newBound;
            if (count <= newBound) {
                return;
            }
            for (int set = newBound; set < count; set++) {
                unbind(set);
            }
            int kept = 0;
            for (int j = 0; j < freeCount; j++) {
                if (freeSets[j] < newBound) {
                    freeSets[kept++] = freeSets[j];
                }
            }
            freeCount = kept;
            count = newBound;
            hand = hand >= count ? 0 : hand;
            resize(newBound); // the dropped sets' Ciphers go to the GC with the old arrays' tails
            rehash(Math.max(8, Integer.highestOneBit(2 * count - 1) << 1)); // at most half full
        }

        private void resize(int n) {
            ciphers = java.util.Arrays.copyOf(ciphers, n);
            owner = java.util.Arrays.copyOf(owner, n);
            used = java.util.Arrays.copyOf(used, n);
            freeSets = java.util.Arrays.copyOf(freeSets, n);
            stamp = java.util.Arrays.copyOf(stamp, n);
        }

        private void rehash(int length) {
            SecretKeySpec[] oldKeys = tableKeys;
            int[] oldSets = tableSets;
            tableKeys = new SecretKeySpec[length];
            tableSets = new int[length];
            int mask = length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != null) {
                    int i = slotOf(oldKeys[j], mask);
                    while (tableKeys[i] != null) {
                        i = (i + 1) & mask;
                    }
                    tableKeys[i] = oldKeys[j];
                    tableSets[i] = oldSets[j];
                }
            }
        }
    }

    /**
     * {@link #GHOST_BITS} bits set in this window or the one before: a bit set now stays visible through the
     * next review and is gone after the one after.
     */
    private static final class RecentBits {
        private long[] now = new long[GHOST_BITS / 64];
        private long[] older = new long[GHOST_BITS / 64];

        boolean has(int bit) {
            return ((now[bit >>> 6] | older[bit >>> 6]) & 1L << bit) != 0;
        }

        void set(int bit) {
            now[bit >>> 6] |= 1L << bit;
        }

        void nextWindow() {
            long[] cleared = older;
            java.util.Arrays.fill(cleared, 0L);
            older = now;
            now = cleared;
        }
    }

    /** A key's bit among a thread's {@link #GHOST_BITS} ghost bits (the hash's high bits: the table uses the low). */
    private static int ghostBit(SecretKeySpec key) {
        return spread(key) >>> Integer.numberOfLeadingZeros(GHOST_BITS - 1);
    }

    /** The identity hash times the golden-ratio constant, so both its high and its low bits vary. */
    private static int spread(SecretKeySpec key) {
        return System.identityHashCode(key) * 0x9E3779B9;
    }

    /** The multiply and fold spread the identity hash over the low bits the mask keeps. */
    private static int slotOf(SecretKeySpec key, int mask) {
        int h = spread(key);
        return (h ^ h >>> 16) & mask;
    }

    private Cipher[] newSet() {
        Cipher[] set = new Cipher[transformations.length];
        try {
            for (int i = 0; i < set.length; i++) {
                set[i] = Cipher.getInstance(transformations[i]);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + String.join(" or ", transformations), e);
        }
        return set;
    }
}
