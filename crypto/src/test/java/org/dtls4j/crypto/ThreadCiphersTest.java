package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The per-thread cipher sets that stand in for per-connection {@code Cipher}s. */
class ThreadCiphersTest {
    private final AtomicInteger keyings = new AtomicInteger();
    /** Which key each set was last keyed with, as the keying callback saw it. */
    private final Map<Cipher[], SecretKeySpec> keyedWith = Collections.synchronizedMap(new IdentityHashMap<>());

    private ThreadCiphers cache(int maxSets) {
        return new ThreadCiphers(maxSets, (ciphers, key) -> {
            keyings.incrementAndGet();
            keyedWith.put(ciphers, key);
            ciphers[0].init(Cipher.ENCRYPT_MODE, key);
        }, "AES/ECB/NoPadding");
    }

    private static SecretKeySpec key(int i) {
        byte[] k = new byte[16];
        k[0] = (byte) i;
        k[1] = (byte) (i >> 8);
        return new SecretKeySpec(k, "AES");
    }

    private static SecretKeySpec[] keys(int n) {
        SecretKeySpec[] keys = new SecretKeySpec[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key(i);
        }
        return keys;
    }

    @Test
    void aKeyInUseKeepsItsSetAndIsKeyedOnce() {
        ThreadCiphers cache = cache(4);
        SecretKeySpec seal = key(1);
        SecretKeySpec open = key(2);
        Cipher[] first = cache.get(seal);
        Cipher[] other = cache.get(open);
        for (int i = 0; i < 10; i++) {
            assertSame(first, cache.get(seal));
            assertSame(other, cache.get(open));
        }
        assertNotSame(first, other);
        assertEquals(2, keyings.get(), "an echoing connection's two keys are keyed once each");
    }

    @Test
    void connectionsThatFitTheBoundNeverReKeyWhateverTheirOrder() {
        ThreadCiphers cache = cache(ThreadCiphers.DEFAULT_MAX_SETS);
        SecretKeySpec[] keys = keys(ThreadCiphers.DEFAULT_MAX_SETS);
        Random random = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            SecretKeySpec k = keys[random.nextInt(keys.length)];
            assertSame(k, keyedWith.get(cache.get(k)));
        }
        assertEquals(keys.length, keyings.get(), "each key keyed once: 128 two-key connections on one thread");
        assertEquals(keys.length, cache.setsHeld());
    }

    @Test
    void moreKeysThanSetsReKeyAndMakeNoMoreCiphers() {
        ThreadCiphers cache = cache(4);
        Set<Cipher[]> sets = Collections.newSetFromMap(new IdentityHashMap<>());
        SecretKeySpec[] keys = keys(7);
        for (int round = 0; round < 3; round++) {
            for (SecretKeySpec k : keys) {
                Cipher[] set = cache.get(k);
                assertSame(k, keyedWith.get(set));
                sets.add(set);
            }
        }
        assertEquals(4, sets.size(), "a thread holds at most its bound of sets");
        assertEquals(3 * keys.length, keyings.get(), "cycling over more keys than sets misses every time");
    }

    @Test
    void clockSparesASetUsedSinceTheHandPassed() {
        ThreadCiphers cache = cache(4);
        SecretKeySpec[] keys = keys(6);
        for (int i = 0; i < 4; i++) {
            cache.get(keys[i]); // all four used once
        }
        cache.get(keys[4]); // the hand clears every bit, then takes set 0 (key 0)
        cache.get(keys[1]); // key 1 used again: spared on the next pass
        int before = keyings.get();
        cache.get(keys[5]); // takes set 1's successor whose bit is clear: key 2
        assertEquals(before + 1, keyings.get());
        before = keyings.get();
        cache.get(keys[1]);
        cache.get(keys[3]);
        assertEquals(before, keyings.get(), "keys 1 and 3 kept their sets");
    }

    @Test
    void aForgottenKeyIsKeyedAgainAndItsSetIsReusedFirst() {
        ThreadCiphers cache = cache(4);
        SecretKeySpec a = key(1);
        SecretKeySpec b = key(2);
        Cipher[] setA = cache.get(a);
        cache.get(b);
        cache.forget(a);
        cache.forget(key(3)); // unknown: nothing happens
        assertSame(setA, cache.get(key(4)), "the forgotten set is re-keyed before a fresh one is made");
        cache.get(a);
        assertEquals(4, keyings.get());
        assertEquals(3, cache.setsHeld());
    }

    @Test
    void randomGetsAndForgetsAlwaysReturnASetKeyedWithTheKeyAsked() {
        // The identity table (linear probing, backward-shift removal) against a plain model.
        for (int bound : new int[] {1, 3, 16, 64}) {
            ThreadCiphers cache = cache(bound);
            SecretKeySpec[] keys = keys(3 * bound + 5);
            Random random = new Random(bound);
            Set<SecretKeySpec> expectHit = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < 5_000; i++) {
                SecretKeySpec k = keys[random.nextInt(keys.length)];
                if (random.nextInt(5) == 0) {
                    cache.forget(k);
                    expectHit.remove(k);
                    continue;
                }
                int before = keyings.get();
                Cipher[] set = cache.get(k);
                assertSame(k, keyedWith.get(set), "bound " + bound + ", step " + i);
                if (expectHit.contains(k)) {
                    assertEquals(before, keyings.get(), "a key just used and not forgotten is still keyed (bound "
                            + bound + ")");
                }
                expectHit.clear(); // after this call only k is sure to be keyed (a smaller bound may evict)
                expectHit.add(k);
                assertTrue(cache.setsHeld() <= bound);
            }
        }
    }

    @Test
    void twoThreadsNeverShareACipher() throws Exception {
        ThreadCiphers cache = cache(4);
        SecretKeySpec k = key(7);
        Cipher[] here = cache.get(k);
        Cipher[] there = CompletableFuture.supplyAsync(() -> cache.get(k)).get(30, TimeUnit.SECONDS);
        assertNotSame(here, there);
        assertNotSame(here[0], there[0]);
        assertEquals(2, keyings.get());
    }

    @Test
    void theBoundComesFromThePropertyWithinItsRange() {
        assertEquals(ThreadCiphers.DEFAULT_MAX_SETS, ThreadCiphers.maxSets(null));
        assertEquals(1, ThreadCiphers.maxSets("1"));
        assertEquals(65_536, ThreadCiphers.maxSets(" 65536 "));
        assertEquals(ThreadCiphers.DEFAULT_MAX_SETS, ThreadCiphers.maxSets("0"));
        assertEquals(ThreadCiphers.DEFAULT_MAX_SETS, ThreadCiphers.maxSets("65537"));
        assertEquals(ThreadCiphers.DEFAULT_MAX_SETS, ThreadCiphers.maxSets("many"));
    }
}
