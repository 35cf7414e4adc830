package org.dtls4j.crypto;

import java.util.Objects;
import org.dtls4j.wire.DtlsException;

/**
 * The AEAD protection of one direction of one epoch: seals and opens record payloads with DTLS 1.2's
 * nonce rules, writing into caller-given arrays so the record layer allocates nothing per record.
 * The caller builds the additional data (it differs with and without a Connection ID). Instances are
 * not thread-safe; {@link #destroy()} wipes the key material when the epoch retires.
 */
public abstract class RecordCipher {
    /** The AEAD this cipher implements. */
    protected final AeadAlgorithm algorithm;

    /**
     * A cipher for {@code algorithm}; subclasses hold the keys.
     *
     * @param algorithm the AEAD
     */
    protected RecordCipher(AeadAlgorithm algorithm) {
        this.algorithm = Objects.requireNonNull(algorithm);
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

    /** {@return the AEAD this cipher implements} */
    public final AeadAlgorithm algorithm() {
        return algorithm;
    }

    /** {@return bytes a sealed record adds to its plaintext: explicit nonce plus tag} */
    public final int overhead() {
        return algorithm.overhead();
    }

    /**
     * Seals {@code in[inOff, inOff+len)} and writes {@code explicit_nonce || ciphertext || tag} to
     * {@code out} at {@code outOff}. {@code seq} is the 64-bit {@code epoch || sequence_number}; it is the
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
     * @return bytes written, always {@code len + overhead()}
     * @throws IllegalStateException when {@code seq} repeats the previous seal's
     */
    public abstract int seal(long seq, byte[] aad, int aadOff, int aadLen,
                             byte[] in, int inOff, int len, byte[] out, int outOff);

    /**
     * Opens a record fragment {@code in[inOff, inOff+len)} ({@code explicit_nonce || ciphertext || tag})
     * and writes the plaintext to {@code out} at {@code outOff}; in place when {@code out == in} and
     * {@code outOff == inOff}. For GCM and CCM the nonce comes from the record itself, as RFC 5288
     * requires; {@code seq} matters only to ChaCha20. Opening the same {@code seq} again (a forged
     * record, then the genuine one) works: authentication, not this call, decides what counts.
     * Unauthenticated plaintext is never left in {@code out}.
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

    /** Writes {@code v} big-endian into {@code b[off, off+8)}. */
    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
