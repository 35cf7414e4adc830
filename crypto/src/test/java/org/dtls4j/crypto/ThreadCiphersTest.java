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
        return new ThreadCiphers(maxSets, this::key, "AES/ECB/NoPadding");
    }

    /** A cache whose bound starts at {@code start} and may move up to {@code max}, reviewed every {@code window} lookups. */
    private ThreadCiphers adaptive(int start, int max, int window) {
        return new ThreadCiphers(start, max, window, this::key, "AES/ECB/NoPadding");
    }

    private void key(Cipher[] ciphers, SecretKeySpec key) throws java.security.GeneralSecurityException {
        keyings.incrementAndGet();
        keyedWith.put(ciphers, key);
        ciphers[0].init(Cipher.ENCRYPT_MODE, key);
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
        ThreadCiphers cache = cache(ThreadCiphers.START_SETS);
        SecretKeySpec[] keys = keys(ThreadCiphers.START_SETS);
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

    /** Cycles over {@code keys} {@code rounds} times, checking each set holds the key asked for. */
    private void cycle(ThreadCiphers cache, SecretKeySpec[] keys, int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (SecretKeySpec k : keys) {
                assertSame(k, keyedWith.get(cache.get(k)));
            }
        }
    }

    @Test
    void theBoundDoublesWhileActiveKeysOutnumberItsSetsThenStopsReKeying() {
        ThreadCiphers cache = adaptive(4, 64, 64);
        SecretKeySpec[] keys = keys(20);
        assertEquals(4, cache.boundNow());
        cycle(cache, keys, 20); // 400 lookups: every one re-keys until the bound passes 20
        assertEquals(32, cache.boundNow(), "4 -> 8 -> 16 -> 32, and no further: 20 keys fit");
        int before = keyings.get();
        cycle(cache, keys, 50);
        assertEquals(before, keyings.get(), "once the keys fit, no record re-keys");
        assertEquals(20, cache.setsHeld());
        assertEquals(32, cache.boundNow(), "a bound the keys fit in stays");
    }

    @Test
    void theBoundNeverPassesTheCeiling() {
        ThreadCiphers cache = adaptive(2, 8, 16);
        SecretKeySpec[] keys = keys(20);
        cycle(cache, keys, 30);
        assertEquals(8, cache.boundNow());
        assertEquals(8, cache.setsHeld());
        int before = keyings.get();
        cycle(cache, keys, 1);
        assertEquals(before + keys.length, keyings.get(), "past the ceiling every lookup of the cycle re-keys");
    }

    @Test
    void keysUsedOnceEvictOthersButGrowNothing() {
        // A thread that handshakes connections which then stay quiet: each new key evicts one, none comes back.
        ThreadCiphers cache = adaptive(4, 64, 32);
        cycle(cache, keys(2_000), 1);
        assertEquals(4, cache.boundNow());
        assertEquals(4, cache.setsHeld());
    }

    @Test
    void quietConnectionsClosingTogetherGrowNothing() {
        // 200 connections' keys used in turn once (their last records), then each once more (their close_notify,
        // all at once): every key of the second pass was evicted and comes back, but only once.
        ThreadCiphers cache = adaptive(4, 64, 256); // two windows remember more than a cycle of the 200 keys
        SecretKeySpec[] keys = keys(200);
        cycle(cache, keys, 2);
        assertEquals(4, cache.boundNow());
        cycle(cache, keys, 2); // in turn, again and again: now they grow it
        assertTrue(cache.boundNow() > 4, "keys that keep coming back grow the bound");
    }

    @Test
    void aThreadWhoseKeysFitItsStartNeverGrows() {
        ThreadCiphers cache = adaptive(8, 64, 16);
        cycle(cache, keys(8), 100);
        assertEquals(8, cache.boundNow());
        assertEquals(8, keyings.get());
    }

    @Test
    void theBoundHalvesBackToItsStartOnceTheLoadFallsAndLetsTheSetsGo() {
        ThreadCiphers cache = adaptive(4, 64, 32);
        SecretKeySpec[] many = keys(20);
        cycle(cache, many, 20);
        assertEquals(32, cache.boundNow());
        assertEquals(20, cache.setsHeld());
        SecretKeySpec[] few = {many[3], many[17]}; // the second lives in a set above the start bound
        int lookups = 0;
        while (cache.boundNow() == 32 && lookups < 1_000) {
            cycle(cache, few, 1);
            lookups += few.length;
        }
        // Two quiet windows (2 sets used of 32), after the one the 20 keys were still used in.
        assertTrue(lookups > 2 * 32 && lookups <= 3 * 32 + 32, "halved after " + lookups + " lookups");
        assertEquals(16, cache.boundNow(), "one halving at a time");
        assertTrue(cache.setsHeld() <= 16, "sets above the bound are let go: " + cache.setsHeld());
        cycle(cache, few, 500);
        assertEquals(8, cache.boundNow(), "2 sets used of 8 are a quarter, not fewer: the bound stays");
        assertTrue(cache.setsHeld() <= 8);
        int before = keyings.get();
        cycle(cache, few, 10);
        assertEquals(before, keyings.get(), "the keys still in use keep their sets after the shrinking");
        cycle(cache, new SecretKeySpec[] {few[0]}, 1_000);
        assertEquals(4, cache.boundNow(), "down to the start, not below");
        assertTrue(cache.setsHeld() <= 4);
        cycle(cache, many, 20);
        assertEquals(32, cache.boundNow(), "and the bound grows again with the load");
    }

    @Test
    void randomLoadsAndForgetsOnAnAdaptiveCacheAlwaysGiveTheKeyAsked() {
        Random random = new Random(42);
        ThreadCiphers cache = adaptive(2, 32, 24);
        SecretKeySpec[] keys = keys(80);
        for (int phase = 0; phase < 40; phase++) {
            int active = 1 + random.nextInt(keys.length); // the load moves up and down
            for (int i = 0; i < 300; i++) {
                SecretKeySpec k = keys[random.nextInt(active)];
                if (random.nextInt(7) == 0) {
                    cache.forget(k);
                    continue;
                }
                assertSame(k, keyedWith.get(cache.get(k)), "phase " + phase + ", step " + i);
                int bound = cache.boundNow();
                assertTrue(bound >= 2 && bound <= 32, "bound " + bound);
                assertTrue(cache.setsHeld() <= bound, "held " + cache.setsHeld() + " over bound " + bound);
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
