package org.dtls4j.crypto;

/**
 * The block ciphers of the CBC suites (RFC 5246 §6.2.3.2): AES in CBC mode with a random explicit IV in
 * every record, on the JDK's {@code AES/CBC/NoPadding} (TLS padding is ours, not PKCS#5).
 */
public enum BlockCipherAlgorithm {
    /** AES with a 128-bit key. */
    AES_128_CBC(16),
    /** AES with a 256-bit key. */
    AES_256_CBC(32);

    /** AES's block: also the length of each record's explicit IV. */
    public static final int BLOCK_LENGTH = 16;

    private final int keyLength;

    BlockCipherAlgorithm(int keyLength) {
        this.keyLength = keyLength;
    }

    /** {@return bytes of the write key} */
    public int keyLength() {
        return keyLength;
    }
}
