package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * A few keyed JDK {@code Cipher} sets per thread, so that a connection holds key bytes and no
 * {@code Cipher} of its own (a keyed AES {@code Cipher} is about 800 bytes of heap; CCM needs two per
 * direction, CBC two). Each set is the {@code Cipher}s one record operation needs, keyed with one
 * {@link SecretKeySpec}; a set is found by the identity of that key object, which each record cipher owns.
 *
 * <p>Why a few and not one: the JDK's AES expands a key into its round keys when a {@code Cipher} is
 * initialised with a key other than its last one (it remembers only the last). A connection that seals
 * with one key and opens with the other would make one shared {@code Cipher} expand a key on every record;
 * with {@value #SLOTS} sets, an echoing connection (two keys) hits, and so do a couple of busy
 * connections. Many connections taking turns on one thread (a server) miss: the least recently used set is
 * re-keyed, which costs the key expansions a fresh {@code Cipher} would have cost.
 *
 * <p>Thread safety: sets are per thread ({@link ThreadLocal}), and a record operation takes its set and
 * finishes with it before returning, so two connections on two threads never share a {@code Cipher}, and
 * two connections on one thread only take turns. Sets are made on first need, so a thread that serves one
 * connection (a virtual thread per connection, say) holds the two sets that connection uses, as many
 * {@code Cipher}s as the connection itself held before; {@value #SLOTS} sets is the most a thread holds.
 *
 * <p>Key hygiene: a set keeps its key object (and the JDK keeps the expanded key) until the set is re-keyed
 * or its thread ends, as a per-connection {@code Cipher} kept them until it was collected; {@link #forget}
 * drops the calling thread's set at once when an epoch retires.
 */
final class ThreadCiphers {
    /** Sets per thread: two keys per connection, room for two connections. */
    static final int SLOTS = 4;

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
    private final ThreadLocal<Slots> slots = ThreadLocal.withInitial(Slots::new);

    /** One thread's sets, most recently used first. */
    private static final class Slots {
        final SecretKeySpec[] keys = new SecretKeySpec[SLOTS];
        final Cipher[][] ciphers = new Cipher[SLOTS][];
        int count;
    }

    /**
     * A cache whose sets hold one {@code Cipher} of each of {@code transformations}.
     *
     * @param keying initialises a set for a key
     * @param transformations the JDK transformations of a set, e.g. {@code AES/CBC/NoPadding}
     */
    ThreadCiphers(Keying keying, String... transformations) {
        this.keying = keying;
        this.transformations = transformations.clone();
    }

    /**
     * The calling thread's set keyed with {@code key}, keyed now if the thread has none for it. Use it
     * within the current call only.
     *
     * @param key the record cipher's key object (compared by identity)
     * @return the {@code Cipher}s, in the order of the transformations
     */
    Cipher[] get(SecretKeySpec key) {
        Slots s = slots.get();
        SecretKeySpec[] keys = s.keys;
        for (int i = 0; i < s.count; i++) {
            if (keys[i] == key) {
                return i == 0 ? s.ciphers[0] : toFront(s, i);
            }
        }
        int slot;
        if (s.count > 0 && (s.count == SLOTS || keys[s.count - 1] == null)) {
            slot = s.count - 1; // a forgotten set (forget puts it last), else the least recently used
        } else {
            slot = s.count++;
            s.ciphers[slot] = newSet();
        }
        keys[slot] = null;
        try {
            keying.key(s.ciphers[slot], key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused a checked key for " + transformations[0], e);
        }
        keys[slot] = key;
        return toFront(s, slot);
    }

    /**
     * Drops the calling thread's set for {@code key}, if any: after a failed operation (its {@code Cipher}
     * state is unknown) or when the key retires.
     *
     * @param key the record cipher's key object
     */
    void forget(SecretKeySpec key) {
        Slots s = slots.get();
        for (int i = 0; i < s.count; i++) {
            if (s.keys[i] == key) {
                // Keep the Ciphers for the next key, last in line so that they are re-keyed first.
                Cipher[] set = s.ciphers[i];
                int last = s.count - 1;
                System.arraycopy(s.keys, i + 1, s.keys, i, last - i);
                System.arraycopy(s.ciphers, i + 1, s.ciphers, i, last - i);
                s.keys[last] = null;
                s.ciphers[last] = set;
                return;
            }
        }
    }

    private static Cipher[] toFront(Slots s, int i) {
        SecretKeySpec key = s.keys[i];
        Cipher[] set = s.ciphers[i];
        System.arraycopy(s.keys, 0, s.keys, 1, i);
        System.arraycopy(s.ciphers, 0, s.ciphers, 1, i);
        s.keys[0] = key;
        s.ciphers[0] = set;
        return set;
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
