package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Application payloads for ping tests. Every send attempt is a distinct payload (ping number, attempt
 * number, then seeded bytes of a length that varies with the ping), so the receiver can check exactly
 * what DTLS promises: each record arrives intact or not at all, and at most once (the replay window
 * drops the network's duplicates). DTLS promises no ordering and no delivery, hence the retries; an echo
 * is matched by its ping number, whichever attempt it answers.
 */
final class Pings {
    private static final int HEADER = 8;
    private final long seed;
    private final int maxBody;
    private final Map<Long, byte[]> sent = new ConcurrentHashMap<>();

    Pings(long seed, int maxBody) {
        this.seed = seed;
        this.maxBody = maxBody;
    }

    /** The payload of attempt {@code attempt} of ping {@code ping}; remembered for {@link #checkReceived}. */
    byte[] payload(int ping, int attempt) {
        int bodyLength = (ping * 211) % (maxBody + 1);
        byte[] p = new byte[HEADER + bodyLength];
        ByteBuffer.wrap(p).putInt(ping).putInt(attempt);
        byte[] body = new byte[bodyLength];
        new Random(seed * 1_000_003L + ping * 64L + attempt).nextBytes(body);
        System.arraycopy(body, 0, p, HEADER, bodyLength);
        sent.put(key(ping, attempt), p);
        return p.clone();
    }

    /** True when {@code received} answers ping number {@code ping}. */
    static boolean answers(byte[] received, int ping) {
        return received.length >= HEADER && ByteBuffer.wrap(received).getInt() == ping;
    }

    static boolean anyAnswers(List<byte[]> received, int ping) {
        for (byte[] r : received) {
            if (answers(r, ping)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asserts that every record in {@code received} is byte for byte one that was sent, and that none came
     * twice; {@code why} describes the run for the message.
     */
    void checkReceived(List<byte[]> received, String why) {
        Set<Long> seen = new HashSet<>();
        for (byte[] r : received) {
            assertTrue(r.length >= HEADER, "short record " + r.length + " bytes; " + why);
            ByteBuffer b = ByteBuffer.wrap(r);
            long k = key(b.getInt(), b.getInt());
            byte[] original = sent.get(k);
            assertNotNull(original, "a record that was never sent arrived; " + why);
            assertArrayEquals(original, r, "record content changed in transit; " + why);
            assertTrue(seen.add(k), "a record was delivered twice; " + why);
        }
    }

    private static long key(int ping, int attempt) {
        return ((long) ping << 32) | (attempt & 0xffffffffL);
    }
}
