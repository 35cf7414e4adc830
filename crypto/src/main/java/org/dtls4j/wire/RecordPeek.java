package org.dtls4j.wire;

/**
 * Reads the fields of one DTLS 1.2 record header straight from a datagram, allocating nothing and never
 * throwing: the one place in dtls4j that knows the header's byte offsets. RFC 6347 §4.1:
 * <pre>
 * struct {
 *     ContentType type;                     // byte 0
 *     ProtocolVersion version;              // bytes 1..2
 *     uint16 epoch;                         // bytes 3..4
 *     uint48 sequence_number;               // bytes 5..10
 *     uint16 length;                        // bytes 11..12
 *     opaque fragment[DTLSPlaintext.length];
 * } DTLSPlaintext;
 * </pre>
 * RFC 9146 §4 puts {@code opaque cid[cid_length]} between sequence_number and length in a tls12_cid
 * record; its length is negotiated, never written, so the readers that need it take {@code cidLength}.
 *
 * <p>Every reader takes the record's first byte {@code off} and the bytes {@code len} that remain in the
 * datagram from there, and answers -1 when the range is not inside the array or does not hold the whole
 * header. A hostile datagram therefore costs a few comparisons; checking the values (version, epoch,
 * type) is the caller's policy, not the peek's.
 */
public final class RecordPeek {
    /** Bytes of a record header without a Connection ID. */
    public static final int HEADER_LENGTH = 13;
    /** Offset of the Connection ID of a tls12_cid record (RFC 9146 §4), where {@code length} sits otherwise. */
    public static final int CID_OFFSET = 11;
    /** The largest Connection ID (RFC 9146 §3: {@code opaque cid<0..2^8-1>}). */
    public static final int MAX_CID_LENGTH = 255;
    /** DTLS 1.0's version on the wire, {254,255}: seen in first flights only (RFC 6347 §4.1). */
    public static final int DTLS_1_0 = 0xfeff;
    /** DTLS 1.2's version on the wire, {254,253}. */
    public static final int DTLS_1_2 = 0xfefd;
    /** The largest epoch (uint16). */
    public static final int MAX_EPOCH = 0xffff;
    /** The largest sequence number (uint48). */
    public static final long MAX_SEQUENCE_NUMBER = (1L << 48) - 1;
    /** The largest fragment length a record header can state (uint16). */
    public static final int MAX_FRAGMENT_LENGTH = 0xffff;
    /** RFC 5246 §6.2.1: a plaintext fragment carries at most 2^14 bytes. */
    public static final int MAX_PLAINTEXT = 1 << 14;

    private static final int VERSION_OFFSET = 1;
    private static final int EPOCH_OFFSET = 3;
    private static final int SEQUENCE_OFFSET = 5;

    private RecordPeek() {
    }

    /**
     * {@return bytes of a header carrying a Connection ID of {@code cidLength} bytes (0 for none)}
     *
     * @param cidLength 0..255
     */
    public static int headerLength(int cidLength) {
        return HEADER_LENGTH + cidLength;
    }

    /**
     * {@return true when {@code b[off, off + len)} lies inside {@code b} and holds a whole header without
     * a Connection ID}
     *
     * @param b the datagram buffer, may be null
     * @param off the record's first byte
     * @param len bytes from {@code off} to the datagram's end
     */
    public static boolean hasHeader(byte[] b, int off, int len) {
        return holds(b, off, len, HEADER_LENGTH);
    }

    /**
     * {@return the outer content type (0..255), or -1 without a whole header}
     *
     * @param b the datagram buffer
     * @param off the record's first byte
     * @param len bytes from {@code off} to the datagram's end
     */
    public static int type(byte[] b, int off, int len) {
        return hasHeader(b, off, len) ? b[off] & 0xff : -1;
    }

    /**
     * {@return the record version in its 16-bit wire form, or -1 without a whole header}
     *
     * @param b the datagram buffer
     * @param off the record's first byte
     * @param len bytes from {@code off} to the datagram's end
     */
    public static int version(byte[] b, int off, int len) {
        return hasHeader(b, off, len) ? u16(b, off + VERSION_OFFSET) : -1;
    }

    /**
     * {@return the epoch (0..65535), or -1 without a whole header}
     *
     * @param b the datagram buffer
     * @param off the record's first byte
     * @param len bytes from {@code off} to the datagram's end
     */
    public static int epoch(byte[] b, int off, int len) {
        return hasHeader(b, off, len) ? u16(b, off + EPOCH_OFFSET) : -1;
    }

    /**
     * {@return the 48-bit sequence number, or -1 without a whole header}
     *
     * @param b the datagram buffer
     * @param off the record's first byte
     * @param len bytes from {@code off} to the datagram's end
     */
    public static long sequenceNumber(byte[] b, int off, int len) {
        if (!hasHeader(b, off, len)) {
            return -1;
        }
        int at = off + SEQUENCE_OFFSET;
        return (long) u16(b, at) << 32 | (long) u16(b, at + 2) << 16 | u16(b, at + 4);
    }

    /**
     * {@return the fragment length the header states (0..65535), or -1 without a whole header}; the
     * fragment itself may still run past the datagram, which {@link #recordLength} checks.
     *
     * @param b the datagram buffer
     * @param off the record's first byte
     * @param len bytes from {@code off} to the datagram's end
     * @param cidLength the Connection ID length in this header, 0 for none
     */
    public static int fragmentLength(byte[] b, int off, int len, int cidLength) {
        if (cidLength < 0 || cidLength > MAX_CID_LENGTH || !holds(b, off, len, HEADER_LENGTH + cidLength)) {
            return -1;
        }
        return u16(b, off + CID_OFFSET + cidLength);
    }

    /**
     * {@return the whole record's length, header and fragment, or -1 when the header or the fragment runs
     * past {@code len}}: where the next record of the datagram starts (RFC 6347 §4.1.1).
     *
     * @param b the datagram buffer
     * @param off the record's first byte
     * @param len bytes from {@code off} to the datagram's end
     * @param cidLength the Connection ID length in this header, 0 for none
     */
    public static int recordLength(byte[] b, int off, int len, int cidLength) {
        int fragment = fragmentLength(b, off, len, cidLength);
        if (fragment < 0 || fragment > len - HEADER_LENGTH - cidLength) {
            return -1;
        }
        return HEADER_LENGTH + cidLength + fragment;
    }

    /**
     * Writes a record header at {@code b[off]}, for the callers that frame records by hand (the record
     * layer, the stateless HelloVerifyRequest); the caller has checked that the header fits and that every
     * value is within its field's width.
     *
     * @param b the datagram buffer
     * @param off where the header starts
     * @param type the outer content type
     * @param version the record version in its wire form
     * @param epoch 0..65535
     * @param sequenceNumber 0..2^48-1
     * @param cid the Connection ID of a tls12_cid record, or null for none
     * @param fragmentLength 0..65535
     * @return the header's length, {@code HEADER_LENGTH} plus the CID's
     */
    public static int writeHeader(byte[] b, int off, int type, int version, int epoch, long sequenceNumber,
                                  byte[] cid, int fragmentLength) {
        b[off] = (byte) type;
        put16(b, off + VERSION_OFFSET, version);
        put16(b, off + EPOCH_OFFSET, epoch);
        int at = off + SEQUENCE_OFFSET;
        put16(b, at, (int) (sequenceNumber >>> 32));
        put16(b, at + 2, (int) (sequenceNumber >>> 16));
        put16(b, at + 4, (int) sequenceNumber);
        int cidLength = cid == null ? 0 : cid.length;
        if (cidLength > 0) {
            System.arraycopy(cid, 0, b, off + CID_OFFSET, cidLength);
        }
        put16(b, off + CID_OFFSET + cidLength, fragmentLength);
        return HEADER_LENGTH + cidLength;
    }

    /** True when {@code [off, off + len)} is inside {@code b} and {@code len >= need}; overflow-safe. */
    static boolean holds(byte[] b, int off, int len, int need) {
        return b != null && off >= 0 && len >= need && len <= b.length - off;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static int u24(byte[] b, int at) {
        return (b[at] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | b[at + 2] & 0xff;
    }
}
