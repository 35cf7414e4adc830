package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.wire.DtlsException;

/**
 * ChaCha20-Poly1305 record protection (RFC 7905 §2): nonce = fixed IV XOR the left-padded epoch||seq.
 *
 * <p>The JDK's ChaCha20-Poly1305 refuses to initialise twice in a row with the same key and nonce, in
 * either direction. For sealing that guard is welcome (a repeated sequence number is our bug), but a
 * peer can make us open the same sequence number twice (a forged record, then the genuine one; or any
 * duplicate that reaches us before the replay window marks it), so the opener steps over the guard by
 * initialising once with a different nonce first. That costs one extra init in the rare repeat case.
 */
final class ChaChaRecordCipher extends RecordCipher {
    private final SecretKeySpec key;
    private final byte[] fixedIv;
    private final byte[] nonce = new byte[12];
    /** The nonce of the opener's last initialisation, to step over the JDK's same-nonce guard. */
    private final byte[] lastOpenNonce = new byte[12];
    private boolean opened;
    private final Cipher sealer;
    private final Cipher opener;

    ChaChaRecordCipher(byte[] keyBytes, byte[] fixedIv) {
        super(AeadAlgorithm.CHACHA20_POLY1305);
        this.key = new SecretKeySpec(keyBytes, "ChaCha20");
        this.fixedIv = fixedIv.clone();
        try {
            this.sealer = Cipher.getInstance("ChaCha20-Poly1305");
            this.opener = Cipher.getInstance("ChaCha20-Poly1305");
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
        makeNonce(seq);
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
            sealer.updateAAD(aad, aadOff, aadLen);
            return sealer.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 seal failed", e);
        }
    }

    @Override
    public int open(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) throws DtlsException {
        if (len < 16) {
            throw RecordCipher.badRecordMac();
        }
        makeNonce(seq);
        try {
            if (opened && Arrays.equals(nonce, lastOpenNonce)) {
                lastOpenNonce[0] ^= 1;
                opener.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(lastOpenNonce));
            }
            System.arraycopy(nonce, 0, lastOpenNonce, 0, 12);
            opened = true;
            opener.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
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
        Arrays.fill(lastOpenNonce, (byte) 0);
    }
}
