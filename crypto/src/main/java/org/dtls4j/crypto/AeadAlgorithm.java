package org.dtls4j.crypto;

/**
 * The AEAD record-protection algorithms of DTLS 1.2 and the sizes that shape a record: key, the
 * implicit (fixed) IV from the key block, the explicit nonce carried in each record, and the tag.
 */
public enum AeadAlgorithm {
    /** RFC 5288: 4-byte salt from the key block, 8-byte explicit nonce per record. */
    AES_128_GCM(16, 4, 8, 16),
    /** RFC 5288: AES-GCM with a 256-bit key, the same nonce shape as AES_128_GCM. */
    AES_256_GCM(32, 4, 8, 16),
    /** RFC 6655 / RFC 7251: the same nonce shape as GCM, 16-byte tag. */
    AES_128_CCM(16, 4, 8, 16),
    /** RFC 6655 / RFC 7251: 8-byte tag, the usual choice for constrained devices. */
    AES_128_CCM_8(16, 4, 8, 8),
    /** RFC 7905: 12-byte IV XOR the padded epoch and sequence number; nothing explicit on the wire. */
    CHACHA20_POLY1305(32, 12, 0, 16);

    private final int keyLength;
    private final int fixedIvLength;
    private final int explicitNonceLength;
    private final int tagLength;

    AeadAlgorithm(int keyLength, int fixedIvLength, int explicitNonceLength, int tagLength) {
        this.keyLength = keyLength;
        this.fixedIvLength = fixedIvLength;
        this.explicitNonceLength = explicitNonceLength;
        this.tagLength = tagLength;
    }

    /** {@return bytes of each direction's write key} */
    public int keyLength() {
        return keyLength;
    }

    /** {@return bytes of IV taken from the key block for each direction} */
    public int fixedIvLength() {
        return fixedIvLength;
    }

    /** {@return bytes of nonce written in front of each record's ciphertext} */
    public int explicitNonceLength() {
        return explicitNonceLength;
    }

    /** {@return bytes of the authentication tag at the end of each record} */
    public int tagLength() {
        return tagLength;
    }

    /** {@return bytes a protected record adds to its plaintext} */
    public int overhead() {
        return explicitNonceLength + tagLength;
    }
}
