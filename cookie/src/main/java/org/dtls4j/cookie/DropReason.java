package org.dtls4j.cookie;

/** Why {@link CookieVerifier} dropped a datagram without answering it. */
public enum DropReason {
    /** Fewer bytes than a record header, or a record or message longer than the bytes that carry it. */
    TRUNCATED,
    /** The first record is not a handshake record. */
    WRONG_CONTENT_TYPE,
    /** The record version is neither DTLS 1.0 (254,255) nor DTLS 1.2 (254,253). */
    BAD_RECORD_VERSION,
    /** The record is not in epoch 0, so it cannot be an initial ClientHello (RFC 6347 §4.1). */
    NONZERO_EPOCH,
    /** The record is longer than 2^14 bytes, the plaintext limit (RFC 5246 §6.2.1). */
    RECORD_TOO_LONG,
    /** The handshake message is not a ClientHello. */
    NOT_CLIENT_HELLO,
    /**
     * The ClientHello is a fragment. Only a ClientHello whole in its record is read: the cookie covers
     * fields after the cookie, and reassembly would be per-peer state.
     */
    FRAGMENTED,
    /** A ClientHello vector length runs past the message, or breaks the vector's own bounds. */
    MALFORMED,
    /** Bytes follow the ClientHello inside its message or inside its record. */
    TRAILING_BYTES,
    /**
     * The ClientHello's message_seq or record sequence number is so close to its maximum that the server,
     * which continues both from it (RFC 6347 §4.2.1, §4.2.2), would run out during the handshake.
     */
    NO_SEQUENCE_ROOM,
    /** The HelloVerifyRequest would be larger than the ClientHello record that asked for it. */
    WOULD_AMPLIFY
}
