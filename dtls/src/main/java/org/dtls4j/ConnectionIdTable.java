package org.dtls4j;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The acceptor's second routing table (RFC 9146 §6): connections by the Connection ID they read with, for
 * records that arrive from an address the connection does not know yet. Every CID in it has the same
 * length, the generator's, because a tls12_cid header does not carry the length of its CID.
 *
 * <p>Bound: it holds a CID only for a connection that is in the acceptor's address table (or pending
 * beside one), so it never holds more entries than {@code maxConnections}. Lookups allocate nothing: a
 * reusable probe key points into the datagram.
 */
final class ConnectionIdTable {
    /** tls12_cid content type (RFC 9146 §4). */
    static final int TLS12_CID = 25;
    /** Offset of the CID in a tls12_cid record header: type, version, epoch, sequence number. */
    static final int CID_OFFSET = 11;

    private final int cidLength;
    /** A {@link DtlsConnection}, or the {@link ConnectionAtRest} form of one at rest. */
    private final Map<Key, Object> byCid = new HashMap<>();
    private final Key probe = new Key();

    /**
     * An empty table for CIDs of {@code cidLength} bytes.
     *
     * @param cidLength the length of every CID, 1 to 255
     */
    ConnectionIdTable(int cidLength) {
        if (cidLength < 1 || cidLength > 255) {
            throw new IllegalArgumentException("CID length " + cidLength);
        }
        this.cidLength = cidLength;
    }

    /** {@return the length of every CID in the table} */
    int cidLength() {
        return cidLength;
    }

    /**
     * Finds the connection for a datagram whose first record is a tls12_cid record; nothing is
     * authenticated yet, so the caller treats the answer as a routing hint only.
     *
     * @return the connection or the form of one at rest, or null when the first record is no tls12_cid record
     *     or its CID is unknown
     */
    Object find(byte[] datagram, int off, int len) {
        if (len < CID_OFFSET + cidLength + 2 || (datagram[off] & 0xff) != TLS12_CID) {
            return null;
        }
        probe.point(datagram, off + CID_OFFSET, cidLength);
        Object c = byCid.get(probe);
        probe.point(null, 0, 0);
        return c;
    }

    /**
     * Adds a CID for a connection (or the form of one at rest).
     *
     * @return false when the CID is taken already (a collision: the caller makes another)
     */
    boolean add(byte[] cid, Object c) {
        if (cid.length != cidLength) {
            throw new IllegalArgumentException("CID of " + cid.length + " bytes in a table of " + cidLength);
        }
        return byCid.putIfAbsent(new Key().point(cid.clone(), 0, cidLength), c) == null;
    }

    /** Removes the CID of a connection (or form), if it still maps to that one. */
    void remove(byte[] cid, Object c) {
        if (cid != null && cid.length == cidLength) {
            byCid.remove(new Key().point(cid, 0, cidLength), c);
        }
    }

    /** Points a CID that maps to {@code from} at {@code to}: a connection going to rest, or waking. */
    void replace(byte[] cid, Object from, Object to) {
        if (cid != null && cid.length == cidLength) {
            byCid.replace(new Key().point(cid, 0, cidLength), from, to);
        }
    }

    /** Removes every CID that maps to {@code c} (by identity): a scan, for a failure path only. */
    void removeValue(Object c) {
        byCid.values().removeIf(v -> v == c);
    }

    /** {@return how many CIDs the table holds} */
    int size() {
        return byCid.size();
    }

    /** Empties the table. */
    void clear() {
        byCid.clear();
    }

    /** A CID as a range of some buffer; stored keys own their buffer, the probe borrows the datagram's. */
    private static final class Key {
        private byte[] buf;
        private int off;
        private int len;
        private int hash;

        Key point(byte[] b, int o, int l) {
            buf = b;
            off = o;
            len = l;
            int h = 1;
            for (int i = 0; i < l; i++) {
                h = 31 * h + b[o + i];
            }
            hash = h;
            return this;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(buf, off, off + len, k.buf, k.off, k.off + k.len);
        }
    }
}
