package org.dtls4j.crypto;

import java.util.Optional;

/**
 * The SRTP protection profiles use_srtp can negotiate (RFC 5764 §4.1.2, RFC 7714 §14.2), with the SRTP
 * master key and salt lengths that size the exporter output (RFC 5764 §4.2).
 */
public enum SrtpProtectionProfile {
    /** AES-128 counter mode, HMAC-SHA1 with an 80-bit tag (RFC 5764 §4.1.2). */
    SRTP_AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, "SRTP_AES128_CM_SHA1_80"),
    /** AES-128 counter mode, HMAC-SHA1 with a 32-bit tag (RFC 5764 §4.1.2). */
    SRTP_AES128_CM_HMAC_SHA1_32(0x0002, 16, 14, "SRTP_AES128_CM_SHA1_32"),
    /** AEAD_AES_128_GCM (RFC 7714 §14.2): 96-bit salt. */
    SRTP_AEAD_AES_128_GCM(0x0007, 16, 12, "SRTP_AEAD_AES_128_GCM"),
    /** AEAD_AES_256_GCM (RFC 7714 §14.2): 256-bit key, 96-bit salt. */
    SRTP_AEAD_AES_256_GCM(0x0008, 32, 12, "SRTP_AEAD_AES_256_GCM");

    private final int code;
    private final int masterKeyLength;
    private final int masterSaltLength;
    private final String opensslName;

    SrtpProtectionProfile(int code, int masterKeyLength, int masterSaltLength, String opensslName) {
        this.code = code;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
        this.opensslName = opensslName;
    }

    /** {@return the two-byte SRTPProtectionProfile value on the wire} */
    public int code() {
        return code;
    }

    /** {@return the bytes of one direction's SRTP master key} */
    public int masterKeyLength() {
        return masterKeyLength;
    }

    /** {@return the bytes of one direction's SRTP master salt} */
    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** {@return 2 * (key + salt): the exporter output RFC 5764 §4.2 splits into both directions' keys and salts} */
    public int keyingMaterialLength() {
        return 2 * (masterKeyLength + masterSaltLength);
    }

    /** {@return the name OpenSSL's {@code -use_srtp} and {@code SSL_CTX_set_tlsext_use_srtp} take} */
    public String opensslName() {
        return opensslName;
    }

    /**
     * Looks a profile up by its wire code.
     *
     * @param code the two-byte code a peer sent
     * @return the profile, or empty for one we do not implement (a peer may offer any)
     */
    public static Optional<SrtpProtectionProfile> of(int code) {
        for (SrtpProtectionProfile p : values()) {
            if (p.code == code) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Looks a profile up by name, e.g. for a command-line option.
     *
     * @param name its RFC name or OpenSSL's, case-insensitive
     * @return the profile, or empty when no profile has that name
     */
    public static Optional<SrtpProtectionProfile> byName(String name) {
        for (SrtpProtectionProfile p : values()) {
            if (p.name().equalsIgnoreCase(name) || p.opensslName.equalsIgnoreCase(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
