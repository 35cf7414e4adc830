package org.dtls4j.crypto;

/**
 * What a shared secret is for. Each purpose gets its own keys, so a cookie secret never doubles as a
 * ticket key (one key, one use).
 */
public enum SecretPurpose {
    /** RFC 6347 §4.2.1 HelloVerifyRequest cookies (an HMAC key). */
    COOKIE("cookie"),
    /** RFC 5077 session tickets (an AES-256-GCM key and its 16-byte key_name). */
    SESSION_TICKET("session ticket");

    private final String label;

    SecretPurpose(String label) {
        this.label = label;
    }

    /** The label mixed into key derivation. */
    public String label() {
        return label;
    }
}
