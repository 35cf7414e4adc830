package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * AES-GCM record protection (RFC 5288 §3): nonce = 4-byte salt from the key block || 8-byte explicit
 * nonce. We send the 64-bit epoch || sequence number as the explicit nonce; on open the explicit nonce is
 * taken from the record itself, as RFC 5288 requires.
 *
 * <p>Allocation: the one object we create per record is the {@code GCMParameterSpec} that
 * {@code Cipher.init} demands (the JCA has no way to re-key a GCM cipher with a new IV without one); the
 * JDK's GCM then allocates about 1 KB per call of its own. AeadBench measures the same bytes per record
 * as raw {@code javax.crypto} doing the same work.
 */
final class GcmRecordCipher extends RecordCipher {
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final byte[] nonce = new byte[12];
    private final Cipher sealer;
    private final Cipher opener;

    GcmRecordCipher(AeadAlgorithm algorithm, byte[] keyBytes, byte[] salt) {
        super(algorithm);
        this.key = new SecretKeySpec(keyBytes, "AES");
        System.arraycopy(salt, 0, nonce, 0, 4);
        try {
            this.sealer = Cipher.getInstance("AES/GCM/NoPadding");
            this.opener = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
        }
    }

    @Override
    public int seal(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) {
        putLong(nonce, 4, seq);
        putLong(out, outOff, seq);
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            sealer.updateAAD(aad, aadOff, aadLen);
            return 8 + sealer.doFinal(in, inOff, len, out, outOff + 8);
        } catch (GeneralSecurityException e) {
            // Only a reused (key, nonce) pair or a short output buffer gets here: both are our bugs.
            throw new IllegalStateException("GCM seal failed", e);
        }
    }

    @Override
    public int open(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) throws DtlsException {
        if (len < 8 + 16) {
            throw badRecordMac();
        }
        System.arraycopy(in, inOff, nonce, 4, 8);
        try {
            opener.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            opener.updateAAD(aad, aadOff, aadLen);
            return opener.doFinal(in, inOff + 8, len - 8, out, outOff);
        } catch (AEADBadTagException e) {
            throw badRecordMac();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM open failed", e);
        }
    }

    static DtlsException badRecordMac() {
        return new DtlsException(AlertDescription.BAD_RECORD_MAC, "record failed authentication");
    }

    @Override
    public void destroy() {
        Arrays.fill(nonce, (byte) 0);
        // SecretKeySpec cannot be wiped in place on JDK 17; dropping the reference is the best we can do.
    }
}
