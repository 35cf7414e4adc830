package org.dtls4j.crypto;

import java.security.SecureRandom;
import java.util.Objects;
import org.dtls4j.wire.DtlsException;

/**
 * The record protection of one direction of one epoch: AEAD with DTLS 1.2's nonce rules, or AES-CBC
 * with HMAC (MAC-then-encrypt, or encrypt-then-MAC per RFC 7366). Seals and opens record payloads
 * writing into caller-given arrays so the record layer allocates nothing per record.
 *
 * <p>The caller builds the additional data (it differs with and without a Connection ID); it always
 * ends with a two-byte length field. AEAD ciphers authenticate it as given; CBC ciphers overwrite that
 * field with the length their MAC covers, which only they know (RFC 5246 §6.2.3.1, RFC 7366 §3).
 * Instances are not thread-safe; {@link #destroy()} wipes the key material when the epoch retires.
 */
public abstract class RecordCipher {
    /** The AEAD algorithm; null for a CBC cipher. */
    protected final AeadAlgorithm algorithm;

    /**
     * A cipher for {@code algorithm}; subclasses hold the keys.
     *
     * @param algorithm the AEAD
     */
    protected RecordCipher(AeadAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    /**
     * The cipher for {@code algorithm} with this direction's write key and fixed IV from the key block.
     *
     * @param algorithm the suite's AEAD
     * @param key this direction's write key
     * @param fixedIv this direction's implicit IV
     * @return a cipher owning copies of the key material
     * @throws IllegalArgumentException when a length does not match the algorithm
     */
    public static RecordCipher create(AeadAlgorithm algorithm, byte[] key, byte[] fixedIv) {
        if (key.length != algorithm.keyLength() || fixedIv.length != algorithm.fixedIvLength()) {
            throw new IllegalArgumentException("key/IV length does not match " + algorithm);
        }
        return switch (algorithm) {
            case AES_128_GCM, AES_256_GCM -> new GcmRecordCipher(algorithm, key, fixedIv);
            case CHACHA20_POLY1305 -> new ChaChaRecordCipher(key, fixedIv);
            case AES_128_CCM, AES_128_CCM_8 -> new CcmRecordCipher(algorithm, key, fixedIv);
        };
    }

    /**
     * The cipher for a CBC suite (RFC 5246 §6.2.3.2): AES write key, MAC key, and whether this epoch
     * uses encrypt_then_mac (RFC 7366). {@code random} keys the explicit-IV generator of a thread that
     * seals its first CBC record with this cipher (the generators are per thread, see CbcRecordCipher).
     *
     * @param cipher the block cipher
     * @param mac the record MAC
     * @param key the write key
     * @param macKey the MAC key
     * @param encryptThenMac whether the epoch uses RFC 7366
     * @param random keys a thread's explicit-IV generator
     * @return the cipher
     * @throws IllegalArgumentException when a key length does not match its algorithm
     */
    public static RecordCipher createCbc(BlockCipherAlgorithm cipher, MacAlgorithm mac, byte[] key, byte[] macKey,
                                         boolean encryptThenMac, SecureRandom random) {
        if (key.length != cipher.keyLength() || macKey.length != mac.length()) {
            throw new IllegalArgumentException("key/MAC key length does not match " + cipher + " " + mac);
        }
        return new CbcRecordCipher(cipher, mac, key, macKey, encryptThenMac, Objects.requireNonNull(random));
    }

    /**
     * One direction's cipher for {@code suite} from its key block: the client's write direction when
     * {@code clientWrite}, else the server's. {@code encryptThenMac} matters only to CBC suites.
     *
     * @param suite the negotiated suite
     * @param keys its key block
     * @param clientWrite the client's write direction (else the server's)
     * @param encryptThenMac whether a CBC suite uses RFC 7366
     * @param random seeds a CBC cipher's explicit-IV generator
     * @return the cipher
     */
    public static RecordCipher forSuite(CipherSuite suite, KeyBlock keys, boolean clientWrite, boolean encryptThenMac,
                                        SecureRandom random) {
        byte[] key = clientWrite ? keys.clientWriteKey() : keys.serverWriteKey();
        if (suite.isAead()) {
            return create(suite.aead(), key, clientWrite ? keys.clientWriteIv() : keys.serverWriteIv());
        }
        byte[] macKey = clientWrite ? keys.clientWriteMacKey() : keys.serverWriteMacKey();
        return createCbc(suite.blockCipher(), suite.mac(), key, macKey, encryptThenMac, random);
    }

    /** {@return true for AEAD protection, false for CBC-HMAC} */
    public boolean isAead() {
        return true;
    }

    /**
     * {@return the AEAD algorithm}
     *
     * @throws IllegalStateException for a CBC cipher
     */
    public final AeadAlgorithm algorithm() {
        if (algorithm == null) {
            throw new IllegalStateException("not an AEAD cipher: " + this);
        }
        return algorithm;
    }

    /**
     * {@return the most bytes a sealed record adds to its plaintext} Explicit nonce plus tag for AEAD
     * (exactly); IV, MAC and the longest padding we write for CBC. Size datagrams with this when the
     * plaintext length is not known yet.
     */
    public int overhead() {
        return algorithm.overhead();
    }

    /**
     * {@return bytes {@link #seal} writes for {@code plaintextLength} bytes} Also the least a peer's
     * record of that plaintext can have.
     *
     * @param plaintextLength the plaintext's length
     */
    public int protectedLength(int plaintextLength) {
        return plaintextLength + overhead();
    }

    /**
     * {@return bytes written in front of the encrypted plaintext} The explicit nonce (AEAD) or IV (CBC). An
     * in-place {@link #seal} expects the plaintext at this offset from the output.
     */
    public int recordIvLength() {
        return algorithm.explicitNonceLength();
    }

    /**
     * Seals {@code in[inOff, inOff+len)} and writes {@code explicit_nonce || ciphertext || tag} (CBC:
     * {@code IV || ciphertext}, with the MAC before or after encryption) to {@code out} at {@code outOff}. {@code seq} is the 64-bit {@code epoch || sequence_number}; it is the
     * explicit nonce (GCM, CCM) or is mixed into the IV (ChaCha20). In-place use is allowed when the
     * plaintext already sits at {@code outOff + algorithm().explicitNonceLength()}. Sealing the same
     * {@code seq} twice in a row throws {@link IllegalStateException} (a repeated nonce is a caller bug;
     * the JDK's GCM and ChaCha20 enforce it and CCM does the same).
     *
     * @param seq the 64-bit {@code epoch || sequence_number}
     * @param aad the additional data's buffer
     * @param aadOff where the additional data starts
     * @param aadLen its length
     * @param in the plaintext's buffer
     * @param inOff where the plaintext starts
     * @param len the plaintext's length
     * @param out where the sealed fragment is written
     * @param outOff where in {@code out} it starts
     * @return bytes written, always {@link #protectedLength protectedLength(len)}
     * @throws IllegalStateException when {@code seq} repeats the previous seal's (AEAD; CBC ciphers
     *     draw a fresh IV for every call, so for them a repeated {@code seq} is harmless)
     */
    public abstract int seal(long seq, byte[] aad, int aadOff, int aadLen,
                             byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Opens a record fragment {@code in[inOff, inOff+len)} ({@code explicit_nonce || ciphertext || tag})
     * and writes the plaintext to {@code out} at {@code outOff}; in place when {@code out == in} and
     * {@code outOff == inOff}. For GCM and CCM the nonce comes from the record itself, as RFC 5288
     * requires; {@code seq} matters only to ChaCha20. Opening the same {@code seq} again (a forged
     * record, then the genuine one) works: authentication, not this call, decides what counts.
     * Unauthenticated plaintext is never left in {@code out}. CBC ciphers need room for
     * {@code len - recordIvLength()} bytes in {@code out} (padding and MAC are decrypted there too).
     *
     * @param seq the 64-bit {@code epoch || sequence_number}
     * @param aad the additional data's buffer
     * @param aadOff where the additional data starts
     * @param aadLen its length
     * @param in the fragment's buffer
     * @param inOff where the fragment starts
     * @param len the fragment's length
     * @param out where the plaintext is written
     * @param outOff where in {@code out} it starts
     * @return the plaintext length
     * @throws DtlsException with bad_record_mac for a short fragment or any authentication failure
     */
    public abstract int open(long seq, byte[] aad, int aadOff, int aadLen,
                             byte[] in, int inOff, int len, byte[] out, int outOff) throws DtlsException;

    /** Wipes this direction's key material; the cipher is unusable afterwards. */
    public abstract void destroy();

    @Override
    public String toString() {
        return "RecordCipher[" + algorithm + "]";
    }

    /** The failure every {@link #open} reports: bad_record_mac, without a stack trace (forgeries are cheap to send). */
    static DtlsException badRecordMac() {
        return DtlsException.withoutStackTrace(org.dtls4j.wire.AlertDescription.BAD_RECORD_MAC,
                "record failed authentication");
    }

    /**
     * The 12-byte nonce of the AEAD record being sealed or opened (RFC 5288 §3, RFC 6655 §3): written and
     * used within one call, so one per thread rather than one per connection.
     */
    private static final ThreadLocal<byte[]> NONCE = ThreadLocal.withInitial(() -> new byte[12]);

    /** {@return the thread's nonce buffer with {@code salt} in its first four bytes} The caller writes the rest. */
    static byte[] threadNonce(int salt) {
        byte[] nonce = NONCE.get();
        nonce[0] = (byte) (salt >>> 24);
        nonce[1] = (byte) (salt >>> 16);
        nonce[2] = (byte) (salt >>> 8);
        nonce[3] = (byte) salt;
        return nonce;
    }

    /** {@return the first four bytes of {@code iv} (the AEAD salt) as a big-endian int} */
    static int saltOf(byte[] iv) {
        return (iv[0] & 0xff) << 24 | (iv[1] & 0xff) << 16 | (iv[2] & 0xff) << 8 | (iv[3] & 0xff);
    }

    /** Writes {@code v} big-endian into {@code b[off, off+8)}. */
    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
