package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.IdentityHashMap;
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
    private final ThreadCiphers cache = new ThreadCiphers((ciphers, key) -> {
        keyings.incrementAndGet();
        ciphers[0].init(Cipher.ENCRYPT_MODE, key);
    }, "AES/ECB/NoPadding");

    private static SecretKeySpec key(int i) {
        byte[] k = new byte[16];
        k[0] = (byte) i;
        return new SecretKeySpec(k, "AES");
    }

    @Test
    void aKeyInUseKeepsItsSetAndIsKeyedOnce() {
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
    void moreKeysThanSlotsReKeyTheLeastRecentlyUsedSetAndMakeNoMoreCiphers() {
        Set<Cipher[]> sets = Collections.newSetFromMap(new IdentityHashMap<>());
        SecretKeySpec[] keys = new SecretKeySpec[ThreadCiphers.SLOTS + 3];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(i);
        }
        for (int round = 0; round < 3; round++) {
            for (SecretKeySpec k : keys) {
                sets.add(cache.get(k));
            }
        }
        assertEquals(ThreadCiphers.SLOTS, sets.size(), "a thread holds at most SLOTS sets");
        assertEquals(3 * keys.length, keyings.get(), "cycling over more keys than slots misses every time");
        // The most recently used SLOTS keys are all still keyed.
        int before = keyings.get();
        for (int i = keys.length - ThreadCiphers.SLOTS; i < keys.length; i++) {
            cache.get(keys[i]);
        }
        assertEquals(before, keyings.get());
    }

    @Test
    void aForgottenKeyIsKeyedAgainAndItsSetIsReusedFirst() {
        SecretKeySpec a = key(1);
        SecretKeySpec b = key(2);
        Cipher[] setA = cache.get(a);
        cache.get(b);
        cache.forget(a);
        cache.forget(key(3)); // unknown: nothing happens
        assertSame(setA, cache.get(key(4)), "the forgotten set is re-keyed before a fresh one is made");
        cache.get(a);
        assertEquals(4, keyings.get());
    }

    @Test
    void twoThreadsNeverShareACipher() throws Exception {
        SecretKeySpec k = key(7);
        Cipher[] here = cache.get(k);
        Cipher[] there = CompletableFuture.supplyAsync(() -> cache.get(k)).get(30, TimeUnit.SECONDS);
        assertNotSame(here, there);
        assertNotSame(here[0], there[0]);
        assertTrue(keyings.get() == 2);
    }
}
