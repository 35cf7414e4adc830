package org.dtls4j.cookie;

import org.dtls4j.record.ContentType;

/**
 * Finds the fields of the ClientHello at the start of a datagram, checking every length against what
 * remains. One instance is reused per call and holds absolute offsets into the scanned array, so a
 * scan allocates nothing.
 *
 * <p>This is the one place in dtls4j besides {@code org.dtls4j.wire.Reader} that does index
 * arithmetic on peer bytes, on purpose: a spoofed flood reaches this code first, and {@code Reader}
 * reports each malformed datagram by allocating an exception with a stack trace. Every read below is
 * preceded by a check that the bytes are there.
 */
final class ClientHelloScan {
    static final int RECORD_HEADER_LENGTH = 13;
    static final int HANDSHAKE_HEADER_LENGTH = 12;
    /** RFC 5246 §6.2.1: a plaintext record carries at most 2^14 bytes. */
    static final int MAX_PLAINTEXT = 1 << 14;
    static final int CLIENT_HELLO = 1;
    static final int DTLS_1_0 = 0xfeff;
    static final int DTLS_1_2 = 0xfefd;
    /**
     * The largest message_seq a verified ClientHello may carry. The server mirrors it (RFC 6347 §4.2.2) and
     * a full handshake then numbers up to seven server messages from it and four more client ones, all
     * within the 16-bit message_seq; a value above this leaves no room for that, so it is refused here,
     * where it is parsed, rather than overflowing later.
     */
    static final int MAX_MESSAGE_SEQ = 0xFFFF - 16;
    /**
     * The largest record sequence number a ClientHello may carry. The server's epoch-0 records continue
     * from it (errata 4103 of RFC 6347 §4.2.1) and must never reach 2^48 (§4.1); this leaves 2^32 of them.
     */
    static final long MAX_RECORD_SEQUENCE = (1L << 48) - (1L << 32);

    int recordVersion;
    long recordSequenceNumber;
    /** Absolute index one past the first record. */
    int recordEnd;
    /** Absolute index of the handshake header. */
    int messageStart;
    int messageSeq;
    /** Absolute index of the ClientHello body (client_version). */
    int bodyStart;
    /** Absolute indexes of the one- or two-byte length in front of each vector. */
    int sessionIdAt;
    int cookieAt;
    int cookieLength;
    int suitesAt;
    int compressionAt;
    /** -1 when the ClientHello has no extensions block. */
    int extensionsAt;

    /** The record's full length on the wire, header included. */
    int recordLength() {
        return recordEnd - (messageStart - RECORD_HEADER_LENGTH);
    }

    /**
     * Scans the first record of {@code b[off, off + len)}; the caller has checked that range against
     * the array. Returns null when it is one whole, well-formed ClientHello, else why to drop it.
     * Records after the first are not looked at.
     */
    DropReason scan(byte[] b, int off, int len) {
        if (len < RECORD_HEADER_LENGTH) {
            return DropReason.TRUNCATED;
        }
        if ((b[off] & 0xff) != ContentType.HANDSHAKE) {
            return DropReason.WRONG_CONTENT_TYPE;
        }
        recordVersion = u16(b, off + 1);
        if (recordVersion != DTLS_1_0 && recordVersion != DTLS_1_2) {
            return DropReason.BAD_RECORD_VERSION;
        }
        if (u16(b, off + 3) != 0) {
            return DropReason.NONZERO_EPOCH;
        }
        recordSequenceNumber = (long) u16(b, off + 5) << 32 | (long) u16(b, off + 7) << 16 | u16(b, off + 9);
        if (recordSequenceNumber > MAX_RECORD_SEQUENCE) {
            return DropReason.NO_SEQUENCE_ROOM;
        }
        int recordLength = u16(b, off + 11);
        if (recordLength > MAX_PLAINTEXT) {
            return DropReason.RECORD_TOO_LONG;
        }
        if (recordLength > len - RECORD_HEADER_LENGTH || recordLength < HANDSHAKE_HEADER_LENGTH) {
            return DropReason.TRUNCATED;
        }
        int p = off + RECORD_HEADER_LENGTH;
        messageStart = p;
        recordEnd = p + recordLength;
        if ((b[p] & 0xff) != CLIENT_HELLO) {
            return DropReason.NOT_CLIENT_HELLO;
        }
        int length = u24(b, p + 1);
        messageSeq = u16(b, p + 4);
        if (u24(b, p + 6) != 0 || u24(b, p + 9) != length) {
            return DropReason.FRAGMENTED;
        }
        if (messageSeq > MAX_MESSAGE_SEQ) {
            return DropReason.NO_SEQUENCE_ROOM;
        }
        int bodyRoom = recordLength - HANDSHAKE_HEADER_LENGTH;
        if (length != bodyRoom) {
            return length > bodyRoom ? DropReason.TRUNCATED : DropReason.TRAILING_BYTES;
        }
        bodyStart = p + HANDSHAKE_HEADER_LENGTH;
        return scanBody(b, bodyStart, recordEnd);
    }

    /**
     * RFC 6347 §4.2.1 ClientHello body: client_version, random[32], session_id&lt;0..32&gt;,
     * cookie&lt;0..2^8-1&gt;, cipher_suites&lt;2..2^16-2&gt;, compression_methods&lt;1..2^8-1&gt;, then
     * optionally extensions&lt;0..2^16-1&gt;, whose framing (type, length, data) is checked here too.
     */
    private DropReason scanBody(byte[] b, int q, int end) {
        q += 2 + 32;
        if (end - q < 1) {
            return DropReason.MALFORMED;
        }
        sessionIdAt = q;
        int sessionIdLength = b[q] & 0xff;
        if (sessionIdLength > 32) {
            return DropReason.MALFORMED;
        }
        q += 1 + sessionIdLength;
        if (end - q < 1) {
            return DropReason.MALFORMED;
        }
        cookieAt = q;
        cookieLength = b[q] & 0xff;
        q += 1 + cookieLength;
        if (end - q < 2) {
            return DropReason.MALFORMED;
        }
        suitesAt = q;
        int suitesLength = u16(b, q);
        if (suitesLength < 2 || (suitesLength & 1) != 0) {
            return DropReason.MALFORMED;
        }
        q += 2 + suitesLength;
        if (end - q < 1) {
            return DropReason.MALFORMED;
        }
        compressionAt = q;
        int compressionLength = b[q] & 0xff;
        q += 1 + compressionLength;
        if (compressionLength < 1 || q > end) {
            return DropReason.MALFORMED;
        }
        extensionsAt = -1;
        if (q == end) {
            return null;
        }
        return scanExtensions(b, q, end);
    }

    private DropReason scanExtensions(byte[] b, int q, int end) {
        if (end - q < 2) {
            return DropReason.MALFORMED;
        }
        extensionsAt = q;
        int extensionsLength = u16(b, q);
        q += 2;
        if (extensionsLength != end - q) {
            return extensionsLength > end - q ? DropReason.MALFORMED : DropReason.TRAILING_BYTES;
        }
        while (q < end) {
            if (end - q < 4) {
                return DropReason.MALFORMED;
            }
            int dataLength = u16(b, q + 2);
            q += 4;
            if (dataLength > end - q) {
                return DropReason.MALFORMED;
            }
            q += dataLength;
        }
        return null;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff);
    }
}
