package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.wire.DtlsException;

/**
 * ChaCha20-Poly1305 record protection (RFC 7905 §2): nonce = fixed IV XOR the left-padded epoch||seq.
 *
 * <p>The JDK's ChaCha20-Poly1305 must be initialised with key and nonce before every record anyway, and
 * ChaCha20 has no key schedule to keep, so, as {@link GcmRecordCipher} does, each thread keeps one
 * {@code Cipher} ({@link #CIPHERS}) that every record of every connection on it initialises with its own
 * key: a connection holds no {@code Cipher} of its own.
 *
 * <p>The JDK's ChaCha20-Poly1305 refuses to initialise twice in a row with the same key and nonce, in
 * either direction. For sealing we keep that guard ourselves ({@link #lastSealed}: a repeated sequence
 * number is our bug), because the shared cipher's last initialisation may have been another
 * connection's. A peer can make us open the same sequence number twice (a forged record, then the
 * genuine one; or any duplicate that reaches us before the replay window marks it), and another instance
 * from the same key block may have sealed under the nonce we now open, so when the JDK refuses, we step
 * over its guard by initialising once with a different nonce first. That costs one extra init in the
 * rare repeat case.
 */
final class ChaChaRecordCipher extends RecordCipher {
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(ChaChaRecordCipher::newCipher);

    private final SecretKeySpec key;
    private final byte[] fixedIv;
    private final byte[] nonce = new byte[12];
    /** The sequence number of this instance's last seal, valid once {@link #sealed}. */
    private long lastSealed;
    private boolean sealed;

    ChaChaRecordCipher(byte[] keyBytes, byte[] fixedIv) {
        super(AeadAlgorithm.CHACHA20_POLY1305);
        this.key = new SecretKeySpec(keyBytes, "ChaCha20");
        this.fixedIv = fixedIv.clone();
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ChaCha20-Poly1305", e);
        }
    }

    private void makeNonce(long seq) {
        System.arraycopy(fixedIv, 0, nonce, 0, 12);
        for (int i = 11; i >= 4; i--) {
            nonce[i] ^= (byte) seq;
            seq >>>= 8;
        }
    }

    @Override
    public int seal(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (sealed && seq == lastSealed) {
            throw new IllegalStateException("ChaCha20-Poly1305 nonce reuse: sequence " + seq + " sealed twice");
        }
        makeNonce(seq);
        Cipher sealer = CIPHERS.get();
        try {
            init(sealer, Cipher.ENCRYPT_MODE);
            lastSealed = seq;
            sealed = true;
            sealer.updateAAD(aad, aadOff, aadLen);
            return sealer.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 seal failed", e);
        }
    }

    /**
     * Initialises the thread's cipher under {@link #nonce}. The JDK refuses when the cipher's last
     * initialisation used the same key and nonce: an open of a repeated sequence number, or a seal after
     * another instance of this key's open of the same one. Neither reuses a nonce for encryption (our own
     * repeated seal is refused before this), so we step over the refusal with a throwaway nonce.
     */
    private void init(Cipher cipher, int mode) throws GeneralSecurityException {
        try {
            cipher.init(mode, key, new IvParameterSpec(nonce));
        } catch (InvalidKeyException e) {
            byte[] other = nonce.clone();
            other[0] ^= 1;
            cipher.init(mode, key, new IvParameterSpec(other));
            cipher.init(mode, key, new IvParameterSpec(nonce));
        }
    }

    @Override
    public int open(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) throws DtlsException {
        if (len < 16) {
            throw RecordCipher.badRecordMac();
        }
        makeNonce(seq);
        Cipher opener = CIPHERS.get();
        try {
            init(opener, Cipher.DECRYPT_MODE);
            opener.updateAAD(aad, aadOff, aadLen);
            if (inOff != 0 && outOff == 0 && out.length >= len) {
                // JDK 17's ChaCha20-Poly1305 decryption buffers and copies any input that does not start at
                // array offset 0 (about 3 KB more per 1 KB record); moved to offset 0 of the output and opened
                // in place, a record allocates only what raw javax.crypto does. (arraycopy is overlap-safe.)
                System.arraycopy(in, inOff, out, 0, len);
                return opener.doFinal(out, 0, len, out, 0);
            }
            return opener.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw RecordCipher.badRecordMac();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 open failed", e);
        }
    }

    @Override
    public void destroy() {
        Arrays.fill(fixedIv, (byte) 0);
        Arrays.fill(nonce, (byte) 0);
        // SecretKeySpec cannot be wiped in place on JDK 17; the thread's cipher keeps the last key it was
        // given until the next record of any connection re-keys it, as a Cipher of our own did until collected.
    }
}
