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
 *       initial IV, so each record's MAC is {@code B0 || encoded AAD || padded payload} streamed through a
 *       fixed staging buffer: records up to about 2 KB take a single {@code doFinal}, larger ones add an
 *       {@code update} per 2 KB. Only the last output block (the CBC-MAC value T) is kept.</li>
 *   <li>The CTR cipher is re-initialised per record at counter block A0: its first 16 bytes of key stream
 *       are S0 = E(A0), which masks the tag, and the JDK's 128-bit big-endian counter then runs through
 *       A1, A2, ... exactly as CCM's L-byte counter does, because we refuse payloads long enough to carry
 *       out of the L-byte field (RFC 3610 §2.2).</li>
 *   <li>Input and output of each JDK call are distinct arrays: the JDK copies its input (allocating) when
 *       they are the same array, so in-place records go through the staging buffer in 2 KB chunks.</li>
 * </ul>
 *
 * <p>Bounds: two 2 KB staging buffers per thread (not per instance: a record is sealed or opened in
 * one call on one thread, and 100,000 connections with two instances each would otherwise hold 800 MB of
 * them), whatever the record or AAD size. What a record left in them stays until the thread's next
 * record overwrites it, in this process's heap like the caller's own plaintext.
 *
 * <p>{@link #open} never releases unauthenticated plaintext: it decrypts into the caller's buffer, checks
 * the tag in constant time, and on failure zeroes what it wrote before throwing bad_record_mac.
 * Not thread-safe.
 */
final class Ccm {
    private static final int BLOCK = 16;
    private static final byte[] ZERO_BLOCK = new byte[BLOCK];
    private static final int CHUNK = 2048;
    private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

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
    private int macPos;

    /** One thread's staging buffers. */
    private static final class Staging {
        /** CBC-MAC input staged here; a multiple of the block size. */
        final byte[] macIn = new byte[CHUNK];
        /** CBC output (only its last block matters), and the bounce buffer for in-place CTR. */
        final byte[] bounce = new byte[CHUNK];
    }

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

    /**
     * Encrypts {@code in[inOff, inOff+len)} and writes {@code ciphertext || tag} to {@code out} at
     * {@code outOff}. In-place use ({@code out == in}, {@code outOff == inOff}) is allowed.
     *
     * @return {@code len} plus the tag length
     */
    int seal(byte[] nonce, int nonceOff, byte[] aad, int aadOff, int aadLen,
             byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkLengths(aadLen, len);
        Staging staging = STAGING.get();
        // The MAC reads the plaintext before the CTR pass can overwrite it (in-place use).
        cbcMac(staging, nonce, nonceOff, aad, aadOff, aadLen, in, inOff, len, expectedTag);
        startCounter(nonce, nonceOff);
        ctrCrypt(staging.bounce, in, inOff, len, out, outOff);
        int tagOff = outOff + len;
        for (int i = 0; i < tagLength; i++) {
            out[tagOff + i] = (byte) (expectedTag[i] ^ s0[i]);
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
        if (ptLen < 0 || ptLen > maxPayload) {
            throw RecordCipher.badRecordMac();
        }
        checkAad(aadLen);
        Staging staging = STAGING.get();
        // Keep the received tag: in-place decryption may overwrite bytes near it.
        System.arraycopy(in, inOff + ptLen, receivedTag, 0, tagLength);
        startCounter(nonce, nonceOff);
        ctrCrypt(staging.bounce, in, inOff, ptLen, out, outOff);
        cbcMac(staging, nonce, nonceOff, aad, aadOff, aadLen, out, outOff, ptLen, expectedTag);
        for (int i = 0; i < tagLength; i++) {
            expectedTag[i] ^= s0[i];
        }
        // MessageDigest.isEqual takes time independent of where equal-length arrays differ (JDK 6u17+).
        boolean ok = MessageDigest.isEqual(expectedTag, receivedTag);
        Arrays.fill(expectedTag, (byte) 0);
        if (!ok) {
            Arrays.fill(out, outOff, outOff + ptLen, (byte) 0);
            throw RecordCipher.badRecordMac();
        }
        return ptLen;
    }

    private void checkLengths(int aadLen, int len) {
        if (len < 0 || len > maxPayload) {
            throw new IllegalArgumentException("CCM payload of " + len + " bytes with L = " + lengthFieldSize);
        }
        checkAad(aadLen);
    }

    private static void checkAad(int aadLen) {
        // Our encoding covers 0 <= l(a) < 2^32 (RFC 3610 §2.2), so any non-negative int length fits.
        if (aadLen < 0) {
            throw new IllegalArgumentException("negative AAD length");
        }
    }

    /** Re-initialises CTR at A0 = (L-1) || nonce || 0 (RFC 3610 §2.3) and takes S0 = E(A0). */
    private void startCounter(byte[] nonce, int nonceOff) {
        counterBlock[0] = (byte) (lengthFieldSize - 1);
        System.arraycopy(nonce, nonceOff, counterBlock, 1, nonceLength);
        Arrays.fill(counterBlock, 1 + nonceLength, BLOCK, (byte) 0);
        try {
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counterBlock));
            ctr.update(ZERO_BLOCK, 0, BLOCK, s0, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR refused its key or counter block", e);
        }
    }

    /** The CTR pass from A1 on; overlapping in-place data goes through the bounce buffer. */
    private void ctrCrypt(byte[] bounce, byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            if (in != out || inOff + len <= outOff || outOff + len <= inOff) {
                if (len > 0) {
                    ctr.doFinal(in, inOff, len, out, outOff);
                }
                return;
            }
            if (outOff > inOff) {
                // Writing ahead of unread input would destroy it; no caller of ours does this.
                throw new IllegalArgumentException("output overlaps ahead of input");
            }
            // Output at or behind input: each chunk is read before any write can reach it.
            while (len > 0) {
                int n = Math.min(len, CHUNK);
                ctr.update(in, inOff, n, bounce, 0);
                System.arraycopy(bounce, 0, out, outOff, n);
                inOff += n;
                outOff += n;
                len -= n;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed", e);
        }
    }

    /**
     * CBC-MAC over B0 || encoded AAD || payload, each zero-padded to a block (RFC 3610 §2.2); writes the
     * first {@code tagLength} bytes of T to {@code t}.
     */
    private void cbcMac(Staging staging, byte[] nonce, int nonceOff, byte[] aad, int aadOff, int aadLen,
                        byte[] payload, int payloadOff, int payloadLen, byte[] t) {
        byte[] macIn = staging.macIn;
        byte[] bounce = staging.bounce;
        byte[] b = macIn;
        // B0: flags = 64*Adata + 8*((M-2)/2) + (L-1), then the nonce, then l(m) in L bytes.
        b[0] = (byte) ((aadLen > 0 ? 0x40 : 0) | ((tagLength - 2) / 2) << 3 | (lengthFieldSize - 1));
        System.arraycopy(nonce, nonceOff, b, 1, nonceLength);
        long m = payloadLen;
        for (int i = BLOCK - 1; i > nonceLength; i--) {
            b[i] = (byte) m;
            m >>>= 8;
        }
        int p = BLOCK;
        if (aadLen > 0 && aadLen < 0xFF00) {
            b[p++] = (byte) (aadLen >>> 8);
            b[p++] = (byte) aadLen;
        } else if (aadLen > 0) {
            b[p++] = (byte) 0xFF;
            b[p++] = (byte) 0xFE;
            for (int shift = 24; shift >= 0; shift -= 8) {
                b[p++] = (byte) (aadLen >>> shift);
            }
        }
        macPos = p;
        macAppend(staging, aad, aadOff, aadLen);
        macPad(macIn);
        macAppend(staging, payload, payloadOff, payloadLen);
        macPad(macIn);
        try {
            cbcMac.doFinal(macIn, 0, macPos, bounce, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CBC-MAC failed", e);
        }
        System.arraycopy(bounce, macPos - BLOCK, t, 0, tagLength);
        // The staged plaintext is not wiped per record: it costs ~5% at 1 KB, the caller holds the same
        // plaintext anyway, and the thread's next record overwrites it.
    }

    private void macAppend(Staging staging, byte[] src, int off, int len) {
        byte[] macIn = staging.macIn;
        while (len > 0) {
            if (macPos == CHUNK) {
                // Flush lazily, so the final doFinal always has at least one block.
                try {
                    cbcMac.update(macIn, 0, CHUNK, staging.bounce, 0);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("CBC-MAC failed", e);
                }
                macPos = 0;
            }
            int n = Math.min(len, CHUNK - macPos);
            System.arraycopy(src, off, macIn, macPos, n);
            macPos += n;
            off += n;
            len -= n;
        }
    }

    /** Zero-pads the staged MAC input to a block boundary (CHUNK is a multiple of the block size). */
    private void macPad(byte[] macIn) {
        int end = padded(macPos);
        Arrays.fill(macIn, macPos, end, (byte) 0);
        macPos = end;
    }

    private static int padded(int n) {
        return (n + BLOCK - 1) & -BLOCK;
    }

    /**
     * Zeroes this instance's buffers that held key stream or MAC state. The per-thread staging buffers
     * are not touched: another connection on their thread may be using them.
     */
    void destroy() {
        Arrays.fill(s0, (byte) 0);
        Arrays.fill(counterBlock, (byte) 0);
        Arrays.fill(expectedTag, (byte) 0);
        Arrays.fill(receivedTag, (byte) 0);
    }
}
