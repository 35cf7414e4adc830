package org.dtls4j.handshake.session;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dtls4j.handshake.message.Bytes;

/**
 * A server's bounded cache of resumable sessions by session ID, least recently used first out.
 * A peer can fill it only by completing full handshakes, and never beyond {@code capacity} entries.
 * Thread-safe, so one cache can serve every connection of a server. Keys are copies of the session_ids
 * compared by content: 64 bytes an entry, where the hex {@code String} that keyed them before took 104.
 */
public final class SessionCache {
    private final int capacity;
    private final LinkedHashMap<Bytes, Session> map;

    /**
     * A cache evicting the least recently used session beyond {@code capacity}.
     *
     * @param capacity the most sessions kept
     */
    public SessionCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Bytes, Session> eldest) {
                if (size() > SessionCache.this.capacity) {
                    eldest.getValue().destroy();
                    return true;
                }
                return false;
            }
        };
    }

    /**
     * Stores {@code session} under its session_id.
     *
     * @param session the session
     */
    public synchronized void put(Session session) {
        if (session.isResumable()) {
            map.put(Bytes.of(session.sessionId()), session);
        }
    }

    /**
     * {@return the session for {@code sessionId}, or null}
     *
     * @param sessionId a session_id from a ClientHello
     */
    public synchronized Session get(byte[] sessionId) {
        if (sessionId.length == 0) {
            return null;
        }
        Session s = map.get(Bytes.of(sessionId));
        return s != null && s.isResumable() ? s : null;
    }

    /**
     * Forgets the session with {@code sessionId}.
     *
     * @param sessionId the session_id
     */
    public synchronized void remove(byte[] sessionId) {
        Session s = map.remove(Bytes.of(sessionId));
        if (s != null) {
            s.destroy();
        }
    }

    /** {@return how many sessions are cached} */
    public synchronized int size() {
        return map.size();
    }

    /** {@return the most sessions kept} */
    public int capacity() {
        return capacity;
    }
}
