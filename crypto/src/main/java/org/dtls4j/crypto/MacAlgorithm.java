package org.dtls4j.crypto;

import javax.crypto.Mac;

/**
 * The record MACs of the CBC suites (RFC 5246 §6.2.3.1, RFC 5289 §3.2): HMAC with the hash the suite's
 * name ends in. Besides the sizes on the wire, each knows the shape of its hash's Merkle–Damgård
 * padding (block size and length-field size), which the constant-time MAC-then-encrypt check needs to
 * count compression-function calls (Lucky Thirteen).
 */
public enum MacAlgorithm {
    /** The {@code …_CBC_SHA} suites (RFC 4492, RFC 4279, RFC 5489). */
    HMAC_SHA1("HmacSHA1", "SHA-1", 20, 64, 8),
    /** The {@code …_CBC_SHA256} suites (RFC 5289, RFC 5487, RFC 5489). */
    HMAC_SHA256("HmacSHA256", "SHA-256", 32, 64, 8),
    /** The {@code …_CBC_SHA384} suites, which also use the SHA-384 PRF. */
    HMAC_SHA384("HmacSHA384", "SHA-384", 48, 128, 16);

    private final String jcaName;
    private final String hashName;
    private final int length;
    private final int hashBlockLength;
    private final int lengthFieldLength;

    MacAlgorithm(String jcaName, String hashName, int length, int hashBlockLength, int lengthFieldLength) {
        this.jcaName = jcaName;
        this.hashName = hashName;
        this.length = length;
        this.hashBlockLength = hashBlockLength;
        this.lengthFieldLength = lengthFieldLength;
    }

    /** {@return RFC 5246 §6.3's mac_length, which is also the mac_key_length of every suite here} */
    public int length() {
        return length;
    }

    /** {@return bytes the hash compresses per call (64 for SHA-1 and SHA-256, 128 for SHA-384)} */
    public int hashBlockLength() {
        return hashBlockLength;
    }

    /** Compression-function calls the inner hash of HMAC makes over {@code inputLength} message bytes, key block excluded. */
    int compressions(int inputLength) {
        // Merkle–Damgård padding: one 0x80 byte and the bit-length field, then zeros to a block boundary.
        return (inputLength + lengthFieldLength + hashBlockLength) / hashBlockLength;
    }

    /** {@return the JCA {@link Mac} name, e.g. {@code HmacSHA256}} */
    public String jcaName() {
        return jcaName;
    }

    /** An {@link Hmac} keyed with {@code key}: the same tags as the JDK {@link Mac} named {@link #jcaName()}. */
    Hmac newHmac(byte[] key) {
        return new Hmac(hashName, hashBlockLength, key);
    }
}
