package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.wire.DtlsException;

/** ChaCha20-Poly1305 record protection (RFC 7905 §2): nonce = fixed IV XOR the left-padded epoch||seq. */
final class ChaChaRecordCipher extends RecordCipher {
    private final SecretKeySpec key;
    private final byte[] fixedIv;
    private final byte[] nonce = new byte[12];
    private final Cipher sealer;
    private final Cipher opener;
    /** The seq of the opener's last init; -1 before the first. */
    private long lastOpenSeq = -1;

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
            throw GcmRecordCipher.badRecordMac();
        }
        makeNonce(seq);
        try {
            if (seq == lastOpenSeq) {
                // The JDK refuses to re-init ChaCha20 with the previous key and nonce even for decryption,
                // which a forged record followed by the genuine one with the same seq would trigger: init
                // once with another nonce in between.
                nonce[11] ^= 1;
                opener.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
                nonce[11] ^= 1;
            }
            lastOpenSeq = seq;
            opener.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
            opener.updateAAD(aad, aadOff, aadLen);
            return opener.doFinal(in, inOff, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw GcmRecordCipher.badRecordMac();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 open failed", e);
        }
    }

    @Override
    public void destroy() {
        Arrays.fill(fixedIv, (byte) 0);
        Arrays.fill(nonce, (byte) 0);
    }
}
