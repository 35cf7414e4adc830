package org.dtls4j.wire;

import static org.dtls4j.wire.RecordPeek.u16;
import static org.dtls4j.wire.RecordPeek.u24;

/**
 * Finds the fields of the ClientHello in the first record of a datagram, checking every length against
 * what remains, without allocating or throwing: the one place in dtls4j that knows the DTLS handshake
 * header's byte offsets and the ClientHello's layout.
 *
 * <p>A spoofed flood reaches this code first (the stateless cookie check and the server's first look at
 * an unknown peer), so it is index arithmetic rather than {@link Reader}, which reports each malformed
 * datagram by allocating an exception. Every read is preceded by a check that the bytes are there. One
 * instance is reused per call and holds absolute offsets into the array last read; it is not
 * thread-safe.
 *
 * <p>It checks structure only: a handshake record of DTLS 1.0 or 1.2 in epoch 0 holding one whole,
 * unfragmented ClientHello whose vectors and extension framing fit exactly. Limits that are policy (how
 * close to 2^48 a sequence number may be) are the caller's.
 */
public final class ClientHelloPeek {
    /** Bytes of the DTLS handshake header (RFC 6347 §4.2.2): msg_type, length, message_seq, fragment_offset, fragment_length. */
    public static final int HANDSHAKE_HEADER_LENGTH = 12;
    /** RFC 5246 §6.2.1 ContentType handshake(22); {@code org.dtls4j.record.ContentType.HANDSHAKE} above. */
    public static final int CONTENT_TYPE_HANDSHAKE = 22;
    /** RFC 5246 §7.4 HandshakeType client_hello(1). */
    public static final int CLIENT_HELLO = 1;
    /** RFC 5246 §7.4 HandshakeType hello_verify_request(3) (RFC 6347 §4.3.2). */
    public static final int HELLO_VERIFY_REQUEST = 3;
    /** RFC 5246 §7.4.1.2: the ClientHello's random is 32 bytes. */
    public static final int RANDOM_LENGTH = 32;
    /** RFC 5246 §7.4.1.2: {@code SessionID session_id<0..32>}. */
    public static final int MAX_SESSION_ID_LENGTH = 32;
    /** The largest message_seq (uint16). */
    public static final int MAX_MESSAGE_SEQ = 0xffff;

    /** Why a datagram does not start with one whole, well-formed ClientHello; {@link #NONE} when it does. */
    public enum Flaw {
        /** It does: every field below was found. */
        NONE,
        /** Fewer bytes than a record header, or a record or message longer than the bytes that carry it. */
        TRUNCATED,
        /** The first record is not a handshake record. */
        WRONG_CONTENT_TYPE,
        /** The record version is neither DTLS 1.0 nor DTLS 1.2. */
        BAD_RECORD_VERSION,
        /** The record is not in epoch 0, so it cannot be an initial ClientHello (RFC 6347 §4.1). */
        NONZERO_EPOCH,
        /** The record is longer than 2^14 bytes, the plaintext limit (RFC 5246 §6.2.1). */
        RECORD_TOO_LONG,
        /** The handshake message is not a ClientHello. */
        NOT_CLIENT_HELLO,
        /** The ClientHello is a fragment (fragment_offset not 0 or fragment_length not length). */
        FRAGMENTED,
        /** A ClientHello vector length runs past the message, or breaks the vector's own bounds. */
        MALFORMED,
        /** Bytes follow the ClientHello inside its message or inside its record. */
        TRAILING_BYTES
    }

    private int recordVersion;
    private long recordSequenceNumber;
    private int recordStart;
    private int recordEnd;
    private int messageStart;
    private int messageSeq;
    private int bodyStart;
    private int sessionIdAt;
    private int cookieAt;
    private int cookieLength;
    private int suitesAt;
    private int compressionAt;
    private int extensionsAt;

    /** Creates a peek; reuse it for every datagram of one thread. */
    public ClientHelloPeek() {
    }

    /**
     * True when the datagram's first record is an epoch-0 handshake record whose fragment starts with a
     * client_hello msg_type: the cheap first look a server takes at a datagram from an unknown address,
     * before any of the ClientHello is checked.
     *
     * @param b the datagram buffer
     * @param off the datagram's first byte
     * @param len the datagram's length
     * @return whether it looks like the start of a ClientHello
     */
    public static boolean startsClientHello(byte[] b, int off, int len) {
        return RecordPeek.holds(b, off, len, RecordPeek.HEADER_LENGTH + 1)
                && RecordPeek.type(b, off, len) == CONTENT_TYPE_HANDSHAKE && RecordPeek.epoch(b, off, len) == 0
                && (b[off + RecordPeek.HEADER_LENGTH] & 0xff) == CLIENT_HELLO;
    }

    /**
     * Reads the first record of {@code b[off, off + len)}; records after it are not looked at. The
     * accessors are meaningful only after this returned {@link Flaw#NONE}.
     *
     * @param b the datagram buffer
     * @param off the datagram's first byte
     * @param len the datagram's length
     * @return {@link Flaw#NONE} for one whole, well-formed ClientHello, else the first flaw found
     */
    public Flaw read(byte[] b, int off, int len) {
        if (!RecordPeek.hasHeader(b, off, len)) {
            return Flaw.TRUNCATED;
        }
        if (RecordPeek.type(b, off, len) != CONTENT_TYPE_HANDSHAKE) {
            return Flaw.WRONG_CONTENT_TYPE;
        }
        recordVersion = RecordPeek.version(b, off, len);
        if (recordVersion != RecordPeek.DTLS_1_0 && recordVersion != RecordPeek.DTLS_1_2) {
            return Flaw.BAD_RECORD_VERSION;
        }
        if (RecordPeek.epoch(b, off, len) != 0) {
            return Flaw.NONZERO_EPOCH;
        }
        recordSequenceNumber = RecordPeek.sequenceNumber(b, off, len);
        int recordLength = RecordPeek.fragmentLength(b, off, len, 0);
        if (recordLength > RecordPeek.MAX_PLAINTEXT) {
            return Flaw.RECORD_TOO_LONG;
        }
        if (recordLength > len - RecordPeek.HEADER_LENGTH || recordLength < HANDSHAKE_HEADER_LENGTH) {
            return Flaw.TRUNCATED;
        }
        recordStart = off;
        messageStart = off + RecordPeek.HEADER_LENGTH;
        recordEnd = messageStart + recordLength;
        return readMessage(b, messageStart, recordLength);
    }

    /** RFC 6347 §4.2.2 handshake header; the ClientHello must be whole in this one record. */
    private Flaw readMessage(byte[] b, int p, int recordLength) {
        if ((b[p] & 0xff) != CLIENT_HELLO) {
            return Flaw.NOT_CLIENT_HELLO;
        }
        int length = u24(b, p + 1);
        messageSeq = u16(b, p + 4);
        if (u24(b, p + 6) != 0 || u24(b, p + 9) != length) {
            return Flaw.FRAGMENTED;
        }
        int bodyRoom = recordLength - HANDSHAKE_HEADER_LENGTH;
        if (length != bodyRoom) {
            return length > bodyRoom ? Flaw.TRUNCATED : Flaw.TRAILING_BYTES;
        }
        bodyStart = p + HANDSHAKE_HEADER_LENGTH;
        return readBody(b, bodyStart, recordEnd);
    }

    /**
     * RFC 6347 §4.2.1 ClientHello body: client_version, random[32], session_id&lt;0..32&gt;,
     * cookie&lt;0..2^8-1&gt;, cipher_suites&lt;2..2^16-2&gt;, compression_methods&lt;1..2^8-1&gt;, then
     * optionally extensions&lt;0..2^16-1&gt;.
     */
    private Flaw readBody(byte[] b, int q, int end) {
        q += 2 + RANDOM_LENGTH;
        if (end - q < 1) {
            return Flaw.MALFORMED;
        }
        sessionIdAt = q;
        int sessionIdLength = b[q] & 0xff;
        if (sessionIdLength > MAX_SESSION_ID_LENGTH) {
            return Flaw.MALFORMED;
        }
        q += 1 + sessionIdLength;
        if (end - q < 1) {
            return Flaw.MALFORMED;
        }
        cookieAt = q;
        cookieLength = b[q] & 0xff;
        q += 1 + cookieLength;
        if (end - q < 2) {
            return Flaw.MALFORMED;
        }
        suitesAt = q;
        int suitesLength = u16(b, q);
        if (suitesLength < 2 || (suitesLength & 1) != 0) {
            return Flaw.MALFORMED;
        }
        q += 2 + suitesLength;
        if (end - q < 1) {
            return Flaw.MALFORMED;
        }
        compressionAt = q;
        int compressionLength = b[q] & 0xff;
        q += 1 + compressionLength;
        if (compressionLength < 1 || q > end) {
            return Flaw.MALFORMED;
        }
        extensionsAt = -1;
        return q == end ? Flaw.NONE : readExtensions(b, q, end);
    }

    /** RFC 5246 §7.4.1.4: extensions&lt;0..2^16-1&gt;, each type, length, data; only the framing is checked. */
    private Flaw readExtensions(byte[] b, int q, int end) {
        if (end - q < 2) {
            return Flaw.MALFORMED;
        }
        extensionsAt = q;
        int extensionsLength = u16(b, q);
        q += 2;
        if (extensionsLength != end - q) {
            return extensionsLength > end - q ? Flaw.MALFORMED : Flaw.TRAILING_BYTES;
        }
        while (q < end) {
            if (end - q < 4) {
                return Flaw.MALFORMED;
            }
            int dataLength = u16(b, q + 2);
            q += 4;
            if (dataLength > end - q) {
                return Flaw.MALFORMED;
            }
            q += dataLength;
        }
        return Flaw.NONE;
    }

    /**
     * Writes an unfragmented DTLS handshake header (RFC 6347 §4.2.2: fragment_offset 0, fragment_length
     * = length) at {@code b[off]}; the caller has checked that it fits and that the values are in range.
     *
     * @param b the buffer
     * @param off where the header starts
     * @param msgType the HandshakeType
     * @param length the body length, 0..2^24-1
     * @param messageSeq 0..65535
     */
    public static void writeHandshakeHeader(byte[] b, int off, int msgType, int length, int messageSeq) {
        b[off] = (byte) msgType;
        put24(b, off + 1, length);
        RecordPeek.put16(b, off + 4, messageSeq);
        put24(b, off + 6, 0);
        put24(b, off + 9, length);
    }

    private static void put24(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 16);
        RecordPeek.put16(b, at + 1, v);
    }

    /** {@return the record version in its 16-bit wire form: DTLS 1.0 or 1.2} */
    public int recordVersion() {
        return recordVersion;
    }

    /** {@return the record's 48-bit sequence number} */
    public long recordSequenceNumber() {
        return recordSequenceNumber;
    }

    /** {@return the record's full length on the wire, header included} */
    public int recordLength() {
        return recordEnd - recordStart;
    }

    /** {@return the absolute index one past the record} */
    public int recordEnd() {
        return recordEnd;
    }

    /** {@return the absolute index of the handshake header} */
    public int messageStart() {
        return messageStart;
    }

    /** {@return the ClientHello's message_seq} */
    public int messageSeq() {
        return messageSeq;
    }

    /** {@return the absolute index of the ClientHello body (client_version)} */
    public int bodyStart() {
        return bodyStart;
    }

    /** {@return the absolute index of session_id's one-byte length} */
    public int sessionIdAt() {
        return sessionIdAt;
    }

    /** {@return the absolute index of the cookie's one-byte length} */
    public int cookieAt() {
        return cookieAt;
    }

    /** {@return the length of the cookie (0..255), which starts one byte after {@link #cookieAt()}} */
    public int cookieLength() {
        return cookieLength;
    }

    /** {@return the absolute index of cipher_suites' two-byte length} */
    public int suitesAt() {
        return suitesAt;
    }

    /** {@return the absolute index of compression_methods' one-byte length} */
    public int compressionAt() {
        return compressionAt;
    }

    /** {@return the absolute index of the extensions block's two-byte length, -1 when there is none} */
    public int extensionsAt() {
        return extensionsAt;
    }
}
