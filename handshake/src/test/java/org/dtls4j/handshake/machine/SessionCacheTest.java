package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.junit.jupiter.api.Test;

/** The server's session cache: found by the session_id's content, bounded, least recently used out. */
class SessionCacheTest {
    private static Session session(int id) {
        byte[] sessionId = new byte[32];
        sessionId[0] = (byte) id;
        byte[] master = new byte[48];
        master[0] = 1;
        return new Session(sessionId, CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, master, true, List.of(),
                new byte[] {7}, null);
    }

    private static byte[] id(int id) {
        byte[] b = new byte[32];
        b[0] = (byte) id;
        return b;
    }

    @Test
    void findsASessionByAnEqualIdInAnotherArray() {
        SessionCache cache = new SessionCache(4);
        Session s = session(1);
        cache.put(s);
        assertSame(s, cache.get(id(1)));
        assertNull(cache.get(id(2)));
        assertNull(cache.get(new byte[0]));
        assertNull(cache.get(new byte[31]));
    }

    @Test
    void evictsTheLeastRecentlyUsedBeyondCapacityAndForgetsOnRemove() {
        SessionCache cache = new SessionCache(2);
        Session first = session(1);
        cache.put(first);
        cache.put(session(2));
        cache.get(id(1)); // 2 is now the least recently used
        cache.put(session(3));
        assertEquals(2, cache.size());
        assertSame(first, cache.get(id(1)));
        assertNull(cache.get(id(2)));
        cache.remove(id(1));
        assertNull(cache.get(id(1)));
        assertEquals(1, cache.size());
    }

    @Test
    void changingTheCallersArrayAfterALookupChangesNothing() {
        SessionCache cache = new SessionCache(2);
        Session s = session(5);
        cache.put(s);
        byte[] probe = id(5);
        assertSame(s, cache.get(probe));
        probe[0] = 6;
        assertSame(s, cache.get(id(5)));
    }
}
