package org.dtls4j.handshake.config;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Makes the Connection IDs a server asks its clients to put in their records (RFC 9146 §3). Every CID
 * it makes has the same {@link #length()}: a tls12_cid record header does not say how long its CID is
 * (RFC 9146 §4), so a server that routes by CID must know the length before it has found the connection.
 *
 * <p>A server that runs several workers on one port may receive a connection's record on a worker that
 * does not hold it (a NAT rebinding moves the client to a new 4-tuple, and {@code SO_REUSEPORT} hashes
 * it elsewhere). A generator can therefore write an <em>owner</em> — the index of the worker that
 * holds the connection — into the CID it makes, and read it back with {@link #ownerOf}, so any worker
 * can pass the datagram to the right one without a shared table.
 */
public interface ConnectionIdGenerator {
    /** {@return the length of every CID this generator makes, 0 to 255} */
    int length();

    /**
     * Makes a fresh CID for a new connection.
     *
     * @param owner the index of the worker (acceptor) that will hold the connection, 0 to 255; a
     *     generator that does not encode owners ignores it
     * @return a new CID of {@link #length()} bytes
     */
    byte[] newConnectionId(int owner);

    /**
     * Reads the owner back from a CID this generator made.
     *
     * @param cid the buffer holding the CID
     * @param off where the CID starts ({@link #length()} bytes)
     * @return the owner written by {@link #newConnectionId}, or -1 when this generator encodes none
     */
    default int ownerOf(byte[] cid, int off) {
        return -1;
    }

    /**
     * The default generator: {@code length} random bytes from {@code random}, no owner. With 8 or more
     * bytes a collision between live connections is negligible (and the acceptor checks anyway).
     *
     * @param length the CID length, 0 to 255
     * @param random the source of the bytes
     * @return the generator
     */
    static ConnectionIdGenerator random(int length, SecureRandom random) {
        checkLength(length, 0);
        return new RandomConnectionIds(length, Objects.requireNonNull(random, "random"), false);
    }

    /**
     * A generator for multi-worker servers: the first byte is the owner, the rest random.
     *
     * @param length the CID length, 2 to 255 (one byte of owner, at least one random)
     * @param random the source of the random bytes
     * @return the generator
     */
    static ConnectionIdGenerator ownerPrefixed(int length, SecureRandom random) {
        checkLength(length, 2);
        return new RandomConnectionIds(length, Objects.requireNonNull(random, "random"), true);
    }

    private static void checkLength(int length, int min) {
        if (length < min || length > 255) {
            throw new IllegalArgumentException("CID length must be " + min + "..255: " + length);
        }
    }

    /** Random CIDs, with the owner in the first byte when {@code ownerPrefixed}. */
    record RandomConnectionIds(int length, SecureRandom random, boolean ownerPrefixed) implements ConnectionIdGenerator {
        @Override
        public byte[] newConnectionId(int owner) {
            if (ownerPrefixed && (owner < 0 || owner > 255)) {
                throw new IllegalArgumentException("owner must be 0..255: " + owner);
            }
            byte[] cid = new byte[length];
            random.nextBytes(cid);
            if (ownerPrefixed) {
                cid[0] = (byte) owner;
            }
            return cid;
        }

        @Override
        public int ownerOf(byte[] cid, int off) {
            return ownerPrefixed ? cid[off] & 0xff : -1;
        }

        @Override
        public String toString() {
            return (ownerPrefixed ? "owner-prefixed" : "random") + " CIDs of " + length + " bytes";
        }
    }
}
