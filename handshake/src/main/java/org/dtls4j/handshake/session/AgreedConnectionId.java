package org.dtls4j.handshake.session;

import java.util.HexFormat;

/**
 * What the connection_id extensions of the hellos agreed (RFC 9146 §3). Either CID may be empty: that
 * side asked to receive plain records, though it writes tls12_cid records to the other.
 *
 * @param read the CID the peer puts in records it sends us (what we asked for); empty for none
 * @param write the CID we put in records we send (what the peer asked for); empty for none
 */
public record AgreedConnectionId(byte[] read, byte[] write) {
    /**
     * Copies both CIDs.
     *
     * @param read the CID we receive, 0 to 255 bytes
     * @param write the CID we send, 0 to 255 bytes
     */
    public AgreedConnectionId {
        if (read.length > 255 || write.length > 255) {
            throw new IllegalArgumentException("a CID has at most 255 bytes");
        }
        read = read.clone();
        write = write.clone();
    }

    /** {@return a copy of the CID the peer puts in records it sends us; empty for none} */
    @Override
    public byte[] read() {
        return read.clone();
    }

    /** {@return a copy of the CID we put in records we send; empty for none} */
    @Override
    public byte[] write() {
        return write.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgreedConnectionId a && java.util.Arrays.equals(read, a.read)
                && java.util.Arrays.equals(write, a.write);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(read) * 31 + java.util.Arrays.hashCode(write);
    }

    /** CIDs are visible on the wire anyway (RFC 9146 §8), so printing them leaks nothing. */
    @Override
    public String toString() {
        return "AgreedConnectionId[read=" + HexFormat.of().formatHex(read) + ", write="
                + HexFormat.of().formatHex(write) + "]";
    }
}
