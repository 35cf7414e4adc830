package org.dtls4j.crypto;

/**
 * A key-exchange group from the supported_groups extension and ServerKeyExchange (RFC 8422 §5.1.1,
 * RFC 7919 registry): an open value over its 16-bit code, so unknown groups round-trip. dtls4j
 * supports x25519, secp256r1 and secp384r1.
 */
public final class NamedGroup {
    /** secp256r1 (NIST P-256, code 23). */
    public static final NamedGroup SECP256R1 = new NamedGroup(23, "secp256r1", true, 65, 32);
    /** secp384r1 (NIST P-384, code 24). */
    public static final NamedGroup SECP384R1 = new NamedGroup(24, "secp384r1", true, 97, 48);
    /** x25519 (RFC 7748, code 29). */
    public static final NamedGroup X25519 = new NamedGroup(29, "x25519", true, 32, 32);

    private final int code;
    private final String name;
    private final boolean supported;
    private final int publicKeyLength;
    private final int sharedSecretLength;

    private NamedGroup(int code, String name, boolean supported, int publicKeyLength, int sharedSecretLength) {
        this.code = code;
        this.name = name;
        this.supported = supported;
        this.publicKeyLength = publicKeyLength;
        this.sharedSecretLength = sharedSecretLength;
    }

    /**
     * {@return the group for a 16-bit wire code; unknown codes get a value of their own, never an error}
     *
     * @param code the 16-bit value from supported_groups or ServerKeyExchange
     */
    public static NamedGroup of(int code) {
        int c = code & 0xffff;
        switch (c) {
            case 23: return SECP256R1;
            case 24: return SECP384R1;
            case 29: return X25519;
            default: return new NamedGroup(c, "unknown(" + c + ")", false, 0, 0);
        }
    }

    /** {@return the 16-bit wire code} */
    public int code() {
        return code;
    }

    /** {@return the IANA name, or {@code unknown(N)}} */
    public String name() {
        return name;
    }

    /** {@return true for the groups {@link EcdheKeyPair} can use} */
    public boolean isSupported() {
        return supported;
    }

    /**
     * Bytes of a public share on the wire: 32 for x25519 (RFC 7748 §5), 1 + 2 × field size for the
     * NIST curves' uncompressed point (RFC 8422 §5.4.1); 0 when unsupported.
      *
     * @return bytes of a public share, 0 when unsupported
     */
    public int publicKeyLength() {
        return publicKeyLength;
    }

    /** {@return bytes of the ECDH result used as premaster secret (RFC 8422 §5.10); 0 when unsupported} */
    public int sharedSecretLength() {
        return sharedSecretLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedGroup other && other.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name;
    }
}
