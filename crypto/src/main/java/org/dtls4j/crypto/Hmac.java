package org.dtls4j.crypto;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC (RFC 2104) over one JDK {@link MessageDigest}, for the CBC record MACs: the same tags as the
 * JDK's {@code Mac}, computed without allocating (the JDK's {@code Mac.doFinal} returns a fresh array
 * per tag), and with the digest at hand for the constant-time padding work of MAC-then-encrypt
 * ({@link #compressAndDiscard}), which then costs compression calls only, not another HMAC key block.
 *
 * <p>A tag is {@code H((K ^ opad) || H((K ^ ipad) || message))}. The key blocks are XORed once per key,
 * at construction or by {@link #setKey}, and are all an instance holds; the inner one is fed lazily by the
 * first {@link #update}. The PRF keeps one per thread and re-keys it per call ({@link Prf}).
 * The {@code MessageDigest} is the thread's (one per hash per thread, reset at the start of every tag), so
 * 100,000 connections hold no digest of their own. The price: from the first {@link #update} of a tag to
 * its {@link #doFinal}, no other instance of the same hash may be used on the thread (a record's MAC is
 * computed in one call, so the record ciphers never do). Not thread-safe.
 */
final class Hmac {
    private static final byte IPAD = 0x36;
    private static final byte OPAD = 0x5c;

    /** The JDK hashes by index; each thread gets its digest of each on first use. */
    private static final String[] HASHES = {"SHA-1", "SHA-256", "SHA-384"};
    private static final ThreadLocal<MessageDigest[]> DIGESTS =
            ThreadLocal.withInitial(() -> new MessageDigest[HASHES.length]);

    private final int hash;
    /** The thread's digest while a tag is being computed ({@link #started}); else stale. */
    private MessageDigest digest;
    private final int length;
    /** {@code K ^ ipad}, one hash block. */
    private final byte[] innerKey;
    /** {@code K ^ opad}, one hash block, followed by room for the inner hash: the outer input in one piece. */
    private final byte[] outerInput;
    private boolean started;

    /**
     * An HMAC keyed with {@code key} (copied; a key longer than the hash block is hashed first, RFC 2104 §2).
     *
     * @param hashName the JDK {@code MessageDigest} name, e.g. {@code SHA-256}
     * @param blockLength the hash's block length in bytes (64 for SHA-1 and SHA-256, 128 for SHA-384)
     * @param key the MAC key
     */
    Hmac(String hashName, int blockLength, byte[] key) {
        this(hashName, blockLength);
        setKey(key);
    }

    /**
     * An HMAC with no key yet (its key blocks are all zero bytes until {@link #setKey}).
     *
     * @param hashName the JDK {@code MessageDigest} name, e.g. {@code SHA-256}
     * @param blockLength the hash's block length in bytes (64 for SHA-1 and SHA-256, 128 for SHA-384)
     */
    Hmac(String hashName, int blockLength) {
        hash = hashIndex(hashName);
        digest = threadDigest();
        length = digest.getDigestLength();
        innerKey = new byte[blockLength];
        outerInput = new byte[blockLength + length];
    }

    /**
     * Replaces the key (copied into the key blocks; a key longer than the hash block is hashed first,
     * RFC 2104 §2; an empty key is the all-zero block, as RFC 2104 pads every key) and drops any tag half
     * fed.
     *
     * @param key the MAC key
     */
    void setKey(byte[] key) {
        digest = threadDigest();
        digest.reset();
        started = false;
        int blockLength = innerKey.length;
        byte[] k = key.length > blockLength ? digest.digest(key) : key;
        for (int i = 0; i < blockLength; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerKey[i] = (byte) (b ^ IPAD);
            outerInput[i] = (byte) (b ^ OPAD);
        }
        if (k != key) {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** {@return the tag length in bytes} */
    int length() {
        return length;
    }

    /**
     * Adds {@code b[off, off+len)} to the message of the current tag.
     *
     * @param b the bytes
     * @param off where they start
     * @param len how many
     */
    void update(byte[] b, int off, int len) {
        if (!started) {
            start();
        }
        digest.update(b, off, len);
    }

    /** Takes the thread's digest, from a clean state whatever an earlier failure left in it, and feeds K ^ ipad. */
    private void start() {
        digest = threadDigest();
        digest.reset();
        digest.update(innerKey);
        started = true;
    }

    private MessageDigest threadDigest() {
        return threadDigest(hash);
    }

    /**
     * {@return the index of {@code hashName} among the hashes with a digest per thread}
     *
     * @param hashName the JDK {@code MessageDigest} name: SHA-1, SHA-256 or SHA-384
     * @throws IllegalArgumentException for any other
     */
    static int hashIndex(String hashName) {
        int i = Arrays.asList(HASHES).indexOf(hashName);
        if (i < 0) {
            throw new IllegalArgumentException("no HMAC over " + hashName);
        }
        return i;
    }

    /**
     * {@return the thread's digest of hash {@code hash} ({@link #hashIndex}), shared by every HMAC and PRF on
     * the thread: a caller finishes its hash before it lets anything else run on the thread}
     *
     * @param hash the hash's index
     */
    static MessageDigest threadDigest(int hash) {
        MessageDigest[] digests = DIGESTS.get();
        MessageDigest d = digests[hash];
        if (d == null) {
            try {
                d = MessageDigest.getInstance(HASHES[hash]);
            } catch (NoSuchAlgorithmException e) {
                // Java SE requires SHA-1, SHA-256 and SHA-384 (MessageDigest algorithms, "Implementation Requirements").
                throw new IllegalStateException("the JDK lacks " + HASHES[hash], e);
            }
            digests[hash] = d;
        }
        return d;
    }

    /**
     * Writes the tag of the message given since the last tag to {@code out[off, off+length())} and
     * starts the next one.
     *
     * @param out where the tag goes
     * @param off where in {@code out}
     */
    void doFinal(byte[] out, int off) {
        if (!started) {
            start();
        }
        started = false;
        try {
            digest.digest(outerInput, innerKey.length, length);
            digest.update(outerInput);
            digest.digest(out, off, length);
        } catch (DigestException e) {
            // Only a short output array gets here: our bug.
            throw new IllegalStateException("HMAC output does not fit", e);
        }
    }

    /**
     * Feeds {@code b[off, off+len)} to the hash alone and throws the result away; the next tag is
     * unaffected. For work that must take the time of hashing without producing anything (Lucky
     * Thirteen padding). Call it between tags only.
     *
     * @param b the filler
     * @param off where it starts
     * @param len how many bytes to hash
     */
    void compressAndDiscard(byte[] b, int off, int len) {
        MessageDigest d = threadDigest();
        d.update(b, off, len);
        d.reset();
    }

    /** Wipes the key blocks (and any tag half fed); the HMAC is unusable until {@link #setKey}. */
    void destroy() {
        Arrays.fill(innerKey, (byte) 0);
        Arrays.fill(outerInput, (byte) 0);
        if (started) {
            digest.reset();
        }
        started = false;
    }
}
