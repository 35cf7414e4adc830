package org.dtls4j.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;

/**
 * The hash a TLS 1.2 cipher suite names for its PRF (RFC 5246 §5) and for the handshake transcript
 * hash behind Finished and the extended master secret (RFC 7627 §3).
 */
public enum PrfHash {
    /** SHA-256: the PRF of RFC 5246 and of every suite not named SHA384. */
    SHA256("SHA-256", "HmacSHA256", 32, 64),
    /** SHA-384: the PRF of the suites whose names end in SHA384. */
    SHA384("SHA-384", "HmacSHA384", 48, 128);

    private final String digestName;
    private final String macName;
    private final int outputLength;
    private final int blockLength;
    /** The hash's thread digest index in {@link Hmac}. */
    private final int digestIndex;

    PrfHash(String digestName, String macName, int outputLength, int blockLength) {
        this.digestName = digestName;
        this.macName = macName;
        this.outputLength = outputLength;
        this.blockLength = blockLength;
        this.digestIndex = Hmac.hashIndex(digestName);
    }

    /** {@return the JCA {@link MessageDigest} name, e.g. {@code SHA-256}} */
    public String digestName() {
        return digestName;
    }

    /** {@return the JCA {@link Mac} name, e.g. {@code HmacSHA256}} */
    public String macName() {
        return macName;
    }

    /** {@return bytes of one hash (and one HMAC) output} */
    public int outputLength() {
        return outputLength;
    }

    /** {@return a fresh digest for the handshake transcript} */
    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(digestName);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256 and SHA-384.
            throw new IllegalStateException("JDK lacks " + digestName, e);
        }
    }

    /** {@return an HMAC over this hash with no key yet, the PRF's own (see {@link Prf})} */
    /** {@return the hash's block length in bytes: 64 for SHA-256, 128 for SHA-384 (RFC 2104 §2's B)} */
    int blockLength() {
        return blockLength;
    }

    /** {@return the thread's digest of this hash, shared with {@link Hmac} (see {@link Hmac#threadDigest(int)})} */
    MessageDigest threadDigest() {
        return Hmac.threadDigest(digestIndex);
    }

    Hmac newHmac() {
        return new Hmac(digestName, blockLength);
    }

    /** {@return a fresh, uninitialised HMAC for this hash} */
    public Mac newMac() {
        try {
            return Mac.getInstance(macName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + macName, e);
        }
    }
}
