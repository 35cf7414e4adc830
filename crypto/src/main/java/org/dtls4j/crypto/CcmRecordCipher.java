package org.dtls4j.crypto;

import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.wire.DtlsException;

/**
 * AES-CCM and AES-CCM_8 record protection (RFC 6655 §3, RFC 7251 §2), on our own {@link Ccm} because the
 * JDK has no CCM. The nonce is the 4-byte salt from the key block || the 8-byte explicit nonce carried in
 * the record (so L = 3); the explicit nonce we send is the 64-bit epoch || sequence number, which never
 * repeats under one key. The tag is 16 bytes (CCM) or 8 (CCM_8).
 *
 * <p>Bounds: fragments longer than 2^14 + 2048 bytes (RFC 5246 §6.2.3) are refused with bad_record_mac;
 * the working memory is fixed (two 2 KB staging buffers in {@link Ccm}) whatever the peer sends.
 */
final class CcmRecordCipher extends RecordCipher {
    /** The largest TLSCiphertext.fragment RFC 5246 §6.2.3 allows. */
    static final int MAX_FRAGMENT = (1 << 14) + 2048;
    /** The two modes TLS uses, shared by every key: 12-byte nonces, 16-byte (CCM) or 8-byte (CCM_8) tags. */
    private static final Ccm CCM = new Ccm(12, 16);
    private static final Ccm CCM_8 = new Ccm(12, 8);

    private final SecretKeySpec key;
    private final Ccm ccm;
    /** The 4-byte salt (client_write_IV or server_write_IV), big-endian. */
    private int salt;
    /** Like the JDK's GCM and ChaCha20, refuse to seal twice in a row under one nonce: it is our bug. */
    private long lastSealed;
    private boolean sealed;

    CcmRecordCipher(AeadAlgorithm algorithm, byte[] key, byte[] salt) {
        super(algorithm);
        this.ccm = algorithm.tagLength() == 8 ? CCM_8 : CCM;
        this.key = Ccm.checkedKey(key);
        this.salt = saltOf(salt);
    }

    @Override
    public int seal(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len > MAX_FRAGMENT - algorithm.overhead()) {
            throw new IllegalArgumentException("record of " + len + " bytes exceeds the TLS limit");
        }
        if (sealed && seq == lastSealed) {
            throw new IllegalStateException("sequence number " + seq + " sealed twice");
        }
        sealed = true;
        lastSealed = seq;
        byte[] nonce = threadNonce(salt);
        putLong(nonce, 4, seq);
        putLong(out, outOff, seq);
        return 8 + ccm.seal(key, nonce, 0, aad, aadOff, aadLen, in, inOff, len, out, outOff + 8);
    }

    @Override
    public int open(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) throws DtlsException {
        if (len < algorithm.overhead() || len > MAX_FRAGMENT) {
            throw RecordCipher.badRecordMac();
        }
        // Copy the explicit nonce first: in-place decryption overwrites it with plaintext.
        byte[] nonce = threadNonce(salt);
        System.arraycopy(in, inOff, nonce, 4, 8);
        return ccm.open(key, nonce, 0, aad, aadOff, aadLen, in, inOff + 8, len - 8, out, outOff);
    }

    @Override
    public void destroy() {
        salt = 0;
        // The AES key lives in a SecretKeySpec, which JDK 17 cannot wipe; dropping it is the best we can do.
        Ccm.destroy(key);
    }
}
