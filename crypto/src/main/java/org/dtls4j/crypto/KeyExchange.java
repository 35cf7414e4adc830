package org.dtls4j.crypto;

/** How a TLS 1.2 cipher suite agrees on its premaster secret and authenticates the server. */
public enum KeyExchange {
    /** RFC 8422: ephemeral ECDH, server signs with an ECDSA or EdDSA certificate key. */
    ECDHE_ECDSA(true, false, true),
    /** RFC 8422: ephemeral ECDH, server signs with an RSA certificate key. */
    ECDHE_RSA(true, false, true),
    /** RFC 4279 §2: a pre-shared key alone; no certificates, no forward secrecy. */
    PSK(false, true, false),
    /** RFC 5489: ephemeral ECDH mixed with a pre-shared key; no certificates. */
    ECDHE_PSK(true, true, false);

    private final boolean ephemeral;
    private final boolean psk;
    private final boolean certificate;

    KeyExchange(boolean ephemeral, boolean psk, boolean certificate) {
        this.ephemeral = ephemeral;
        this.psk = psk;
        this.certificate = certificate;
    }

    /** {@return true when both sides contribute an ECDHE share (ServerKeyExchange carries the server's)} */
    public boolean usesEcdhe() {
        return ephemeral;
    }

    /** {@return true when a PSK identity is sent in ClientKeyExchange} */
    public boolean usesPsk() {
        return psk;
    }

    /** {@return true when the server authenticates with a certificate and a signature} */
    public boolean usesCertificate() {
        return certificate;
    }
}
