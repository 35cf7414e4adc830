package org.dtls4j.testing;

/**
 * The input alphabet of {@link DtlsClientSul}: what a client can send, after the alphabets of
 * Fiterau-Brostean et al., "Analysis of DTLS Implementations Using Protocol State Fuzzing" (USENIX
 * Security 2020). Each maps to one concrete message built by a {@link ScriptedPeer} from its current
 * state, so the key schedule stays right whatever the order.
 */
public enum AbstractInput {
    /** A ClientHello; when the server answers with a HelloVerifyRequest, the same hello again with the cookie. */
    CLIENT_HELLO,
    /** ClientKeyExchange for the configured suite. */
    CLIENT_KEY_EXCHANGE,
    /** An empty Certificate message. */
    EMPTY_CERTIFICATE,
    /** ChangeCipherSpec; the write epoch moves on. */
    CHANGE_CIPHER_SPEC,
    /** Finished over the transcript so far. */
    FINISHED,
    /** A short application-data record in the current write epoch. */
    APPLICATION_DATA,
    /** A warning close_notify alert. */
    CLOSE_NOTIFY,
    /** A fatal unexpected_message alert. */
    FATAL_ALERT
}
