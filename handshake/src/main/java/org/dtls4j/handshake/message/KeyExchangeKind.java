package org.dtls4j.handshake.message;

/**
 * Which ServerKeyExchange and ClientKeyExchange body format the negotiated cipher suite uses: the
 * context those two bodies cannot be parsed without (RFC 5246 §7.4.3 and §7.4.7). Stands apart from
 * the crypto layer's key-exchange registry so the codecs do not depend on it; the state machine maps one
 * to the other.
 */
public enum KeyExchangeKind {
    /** ECDHE_ECDSA and ECDHE_RSA: signed ServerECDHParams (RFC 8422 §5.4), client point (§5.7). */
    ECDHE_SIGNED,
    /** Plain PSK: identity hint and identity (RFC 4279 §2). */
    PSK,
    /** ECDHE_PSK: hint or identity followed by the ECDH values, no signature (RFC 5489 §2). */
    ECDHE_PSK
}
