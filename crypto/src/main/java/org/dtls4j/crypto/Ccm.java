package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.wire.DtlsException;

/**
 * The CCM mode of RFC 3610 / NIST SP 800-38C over the JDK's AES, for any nonce length (7..13 bytes) and
 * tag length (4..16, even). The JDK has no CCM, so we compose it from two JDK ciphers that run on the AES
 * intrinsics: CBC-MAC through {@code AES/CBC/NoPadding} and the encryption through {@code AES/CTR/NoPadding}.
 *
 * <p>How it stays fast and allocation-free (beyond what the JDK's {@code Cipher.init} allocates itself):
 * <ul>
 *   <li>The CBC cipher is initialised once with a zero IV. {@code doFinal} returns a JDK CBC cipher to its
 *       initial IV, so each record's MAC is one {@code doFinal} over {@code B0 || encoded AAD || padded
 *       payload}, assembled in a reusable scratch buffer and encrypted in place there; only the last block
 *       (the CBC-MAC value T) is kept.</li>
 *   <li>The CTR cipher is re-initialised per record at counter block A0: its first 16 bytes of key stream
 *       are S0 = E(A0), which masks the tag, and the JDK's 128-bit big-endian counter then runs through
 *       A1, A2, ... exactly as CCM's L-byte counter does, because we refuse payloads long enough to carry
 *       out of the L-byte field (RFC 3610 §2.2).</li>
 * </ul>
 *
 * <p>Bounds: the scratch buffer grows to the largest record seen, at most {@code 16 + 6 + aadLen + 15 +
 * payload + 15} bytes; callers bound the payload ({@link CcmRecordCipher} refuses fragments above
 * 2^14 + 2048 bytes, the largest TLSCiphertext RFC 5246 §6.2.3 allows).
 *
 * <p>{@link #open} never releases unauthenticated plaintext: it decrypts into the caller's buffer, checks
 * the tag in constant time, and on failure zeroes what it wrote before throwing bad_record_mac.
 * Not thread-safe.
 */
final class Ccm {
    private static final int BLOCK = 16;
    private static final byte[] ZERO_BLOCK = new byte[BLOCK];

    private final SecretKeySpec key;
    private final int nonceLength;
    private final int tagLength;
    /** L of RFC 3610: bytes of the message-length field, 15 - nonce length. */
    private final int lengthFieldSize;
    private final long maxPayload;
    private final Cipher cbcMac;
    private final Cipher ctr;
    /** A0 = flags || nonce || 0...0 (RFC 3610 §2.3); the CTR cipher starts here. */
    private final byte[] counterBlock = new byte[BLOCK];
    /** S0 = E(A0), the tag mask. */
    private final byte[] s0 = new byte[BLOCK];
    private final byte[] expectedTag;
    private final byte[] receivedTag;
    private byte[] scratch = new byte[256];

    /**
     * @throws IllegalArgumentException for a key that is not 16, 24 or 32 bytes, a nonce length outside
     *     7..13, or a tag length outside {4, 6, ..., 16}
     */
    Ccm(byte[] keyBytes, int nonceLength, int tagLength) {
        if (keyBytes.length != 16 && keyBytes.length != 24 && keyBytes.length != 32) {
            throw new IllegalArgumentException("AES key of " + keyBytes.length + " bytes");
        }
        if (nonceLength < 7 || nonceLength > 13) {
            throw new IllegalArgumentException("CCM nonce of " + nonceLength + " bytes");
        }
        if (tagLength < 4 || tagLength > 16 || (tagLength & 1) != 0) {
            throw new IllegalArgumentException("CCM tag of " + tagLength + " bytes");
        }
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.nonceLength = nonceLength;
        this.tagLength = tagLength;
        this.lengthFieldSize = 15 - nonceLength;
        // Payload length must fit the L-byte field; also keep within int arithmetic.
        this.maxPayload = Math.min(1L << 30, (1L << (8 * Math.min(lengthFieldSize, 4))) - 1);
        this.expectedTag = new byte[tagLength];
        this.receivedTag = new byte[tagLength];
        try {
            this.cbcMac = Cipher.getInstance("AES/CBC/NoPadding");
            this.cbcMac.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(ZERO_BLOCK));
            this.ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/CBC or AES/CTR", e);
        }
    }

    int tagLength() {
        return tagLength;
    }

    /**
     * Encrypts {@code in[inOff, inOff+len)} and writes {@code ciphertext || tag} to {@code out} at
     * {@code outOff}. In-place use ({@code out == in}, {@code outOff == inOff}) is allowed.
     *
     * @return {@code len + tagLength()}
     */
    int seal(byte[] nonce, int nonceOff, byte[] aad, int aadOff, int aadLen,
             byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkLengths(aadLen, len);
        startCounter(nonce, nonceOff);
        // The MAC reads the plaintext before the CTR pass can overwrite it (in-place use).
        int macEnd = cbcMac(nonce, nonceOff, aad, aadOff, aadLen, in, inOff, len);
        try {
            ctr.update(ZERO_BLOCK, 0, BLOCK, s0, 0);
            if (len > 0) {
                ctr.doFinal(in, inOff, len, out, outOff);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CCM encryption failed", e);
        }
        int tagOff = outOff + len;
        for (int i = 0; i < tagLength; i++) {
            out[tagOff + i] = (byte) (scratch[macEnd - BLOCK + i] ^ s0[i]);
        }
        return len + tagLength;
    }

    /**
     * Decrypts and authenticates {@code in[inOff, inOff+len)} ({@code ciphertext || tag}), writing the
     * plaintext to {@code out} at {@code outOff}; {@code outOff <= inOff} when {@code out == in}.
     *
     * @return the plaintext length
     * @throws DtlsException bad_record_mac for a short input, a length beyond this mode's limits, or a tag
     *     that does not verify (the written plaintext is zeroed first)
     */
    int open(byte[] nonce, int nonceOff, byte[] aad, int aadOff, int aadLen,
             byte[] in, int inOff, int len, byte[] out, int outOff) throws DtlsException {
        int ptLen = len - tagLength;
        if (ptLen < 0 || ptLen > maxPayload || aadLen < 0) {
            throw GcmRecordCipher.badRecordMac();
        }
        checkAad(aadLen);
        // Keep the received tag: in-place decryption may overwrite bytes near it.
        System.arraycopy(in, inOff + ptLen, receivedTag, 0, tagLength);
        startCounter(nonce, nonceOff);
        try {
            ctr.update(ZERO_BLOCK, 0, BLOCK, s0, 0);
            if (ptLen > 0) {
                ctr.doFinal(in, inOff, ptLen, out, outOff);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CCM decryption failed", e);
        }
        int macEnd = cbcMac(nonce, nonceOff, aad, aadOff, aadLen, out, outOff, ptLen);
        for (int i = 0; i < tagLength; i++) {
            expectedTag[i] = (byte) (scratch[macEnd - BLOCK + i] ^ s0[i]);
        }
        // MessageDigest.isEqual runs in time independent of where the arrays differ (JDK 6u17+).
        if (!MessageDigest.isEqual(expectedTag, receivedTag)) {
            Arrays.fill(out, outOff, outOff + ptLen, (byte) 0);
            Arrays.fill(expectedTag, (byte) 0);
            throw GcmRecordCipher.badRecordMac();
        }
        return ptLen;
    }

    private void checkLengths(int aadLen, int len) {
        if (len < 0 || len > maxPayload) {
            throw new IllegalArgumentException("CCM payload of " + len + " bytes with L = " + lengthFieldSize);
        }
        if (aadLen < 0) {
            throw new IllegalArgumentException("negative AAD length");
        }
        checkAad(aadLen);
    }

    private static void checkAad(int aadLen) {
        // Our encoding covers 0 < l(a) < 2^32 (RFC 3610 §2.2); the bound keeps the scratch size an int.
        if (aadLen > (1 << 24)) {
            throw new IllegalArgumentException("AAD of " + aadLen + " bytes");
        }
    }

    /** Re-initialises CTR at A0 = (L-1) || nonce || 0 (RFC 3610 §2.3). */
    private void startCounter(byte[] nonce, int nonceOff) {
        counterBlock[0] = (byte) (lengthFieldSize - 1);
        System.arraycopy(nonce, nonceOff, counterBlock, 1, nonceLength);
        Arrays.fill(counterBlock, 1 + nonceLength, BLOCK, (byte) 0);
        try {
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counterBlock));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR refused its key or counter block", e);
        }
    }

    /**
     * Computes CBC-MAC over B0 || encoded AAD || payload (each zero-padded to a block, RFC 3610 §2.2) in
     * the scratch buffer; returns the end of the encrypted data, whose last block is T.
     */
    private int cbcMac(byte[] nonce, int nonceOff, byte[] aad, int aadOff, int aadLen,
                       byte[] payload, int payloadOff, int payloadLen) {
        int aadHeader = aadLen == 0 ? 0 : aadLen < 0xFF00 ? 2 : 6;
        int aadBlocks = padded(aadHeader + aadLen);
        int total = BLOCK + aadBlocks + padded(payloadLen);
        if (scratch.length < total) {
            Arrays.fill(scratch, (byte) 0);
            scratch = new byte[total];
        }
        byte[] s = scratch;
        // B0: flags = 64*Adata + 8*((M-2)/2) + (L-1), then the nonce, then l(m) in L bytes.
        s[0] = (byte) ((aadLen > 0 ? 0x40 : 0) | ((tagLength - 2) / 2) << 3 | (lengthFieldSize - 1));
        System.arraycopy(nonce, nonceOff, s, 1, nonceLength);
        long m = payloadLen;
        for (int i = BLOCK - 1; i > nonceLength; i--) {
            s[i] = (byte) m;
            m >>>= 8;
        }
        int p = BLOCK;
        if (aadHeader == 2) {
            s[p++] = (byte) (aadLen >>> 8);
            s[p++] = (byte) aadLen;
        } else if (aadHeader == 6) {
            s[p++] = (byte) 0xFF;
            s[p++] = (byte) 0xFE;
            for (int shift = 24; shift >= 0; shift -= 8) {
                s[p++] = (byte) (aadLen >>> shift);
            }
        }
        System.arraycopy(aad, aadOff, s, p, aadLen);
        p += aadLen;
        int end = BLOCK + aadBlocks;
        Arrays.fill(s, p, end, (byte) 0);
        System.arraycopy(payload, payloadOff, s, end, payloadLen);
        Arrays.fill(s, end + payloadLen, total, (byte) 0);
        try {
            // In place: a JDK CBC doFinal with input == output at the same offset copies nothing, and it
            // resets the chaining value to the zero IV for the next record.
            cbcMac.doFinal(s, 0, total, s, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CBC-MAC failed", e);
        }
        return total;
    }

    private static int padded(int n) {
        return (n + BLOCK - 1) & -BLOCK;
    }

    /** Zeroes every buffer that held key stream, MAC state or plaintext. */
    void destroy() {
        Arrays.fill(scratch, (byte) 0);
        Arrays.fill(s0, (byte) 0);
        Arrays.fill(counterBlock, (byte) 0);
        Arrays.fill(expectedTag, (byte) 0);
        Arrays.fill(receivedTag, (byte) 0);
    }
}
