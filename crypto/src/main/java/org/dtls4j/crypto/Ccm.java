package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
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
 * <p>An instance is the mode's parameters (nonce and tag lengths), shared by every key of them, plus an
 * optional key of its own for the calls that take none; the record cipher passes its key to each call. The
 * two {@code Cipher}s come from a bounded per-thread cache keyed by that key ({@link ThreadCiphers}), so
 * 100,000 connections hold no {@code Cipher} (two per direction, about 1.6 KB, before), and the working
 * buffers are per thread too.
 *
 * <p>How it stays fast and allocation-free (beyond what the JDK's {@code Cipher.init} allocates itself):
 * <ul>
 *   <li>The CBC cipher is initialised with a zero IV when its set is keyed. {@code doFinal} returns a JDK
 *       CBC cipher to its initial IV, so each record's MAC is {@code B0 || encoded AAD || padded payload}
 *       streamed through a fixed staging buffer: records up to about 2 KB take a single {@code doFinal},
 *       larger ones add an {@code update} per 2 KB. Only the last output block (the CBC-MAC value T) is kept.</li>
 *   <li>The CTR cipher is re-initialised per record at counter block A0: its first 16 bytes of key stream
 *       are S0 = E(A0), which masks the tag, and the JDK's 128-bit big-endian counter then runs through
 *       A1, A2, ... exactly as CCM's L-byte counter does, because we refuse payloads long enough to carry
 *       out of the L-byte field (RFC 3610 §2.2). Re-initialising with the set's own key costs no key
 *       expansion (the JDK's AES keeps its last key's round keys).</li>
 *   <li>Input and output of each JDK call are distinct arrays: the JDK copies its input (allocating) when
 *       they are the same array, so in-place records go through the staging buffer in 2 KB chunks.</li>
 * </ul>
 *
 * <p>Bounds: two 2 KB staging buffers and a few blocks per thread (not per instance: a record is sealed or
 * opened in one call on one thread, and 100,000 connections with two instances each would otherwise hold
 * 800 MB of them), whatever the record or AAD size. What a record left in them stays until the thread's
 * next record overwrites it, in this process's heap like the caller's own plaintext.
 *
 * <p>{@link #open} never releases unauthenticated plaintext: it decrypts into the caller's buffer, checks
 * the tag in constant time, and on failure zeroes what it wrote before throwing bad_record_mac.
 * Not thread-safe (one instance is used by one thread at a time; instances on different threads never
 * share a {@code Cipher}).
 */
final class Ccm {
    private static final int BLOCK = 16;
    private static final byte[] ZERO_BLOCK = new byte[BLOCK];
    private static final int CHUNK = 2048;
    /**
     * Payloads up to this many bytes take their key stream from the CBC cipher, a block per call, and never
     * touch the CTR cipher: a handshake's Finished (24 bytes) and alerts (2). A new key then costs one AES key
     * expansion instead of two (the JDK expands a key per {@code Cipher}), and a key that seals or opens
     * nothing longer (a server's keys when its thread's cipher sets are re-keyed before the next record)
     * never costs the second.
     */
    static final int SHORT_PAYLOAD = 2 * BLOCK;
    private static final int CBC_MAC = 0;
    private static final int CTR = 1;
    /** Per thread: [CBC-MAC cipher, keyed once with a zero IV; CTR cipher, initialised per record]. */
    private static final ThreadCiphers CIPHERS = new ThreadCiphers(
            (ciphers, key) -> ciphers[CBC_MAC].init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(ZERO_BLOCK)),
            "AES/CBC/NoPadding", "AES/CTR/NoPadding");
    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /** The key of {@link #seal(byte[], int, byte[], int, int, byte[], int, int, byte[], int)} and its kin; null for a shared mode. */
    private final SecretKeySpec key;
    private final int nonceLength;
    private final int tagLength;
    /** L of RFC 3610: bytes of the message-length field, 15 - nonce length. */
    private final int lengthFieldSize;
    private final long maxPayload;

    /** One thread's working memory for one record at a time. */
    private static final class Work {
        /** CBC-MAC input staged here; a multiple of the block size. */
        final byte[] macIn = new byte[CHUNK];
        /** CBC output (only its last block matters), and the bounce buffer for in-place CTR. */
        final byte[] bounce = new byte[CHUNK];
        /** A0 = flags || nonce || 0...0 (RFC 3610 §2.3); the CTR cipher starts here. */
        final byte[] counterBlock = new byte[BLOCK];
        /** S0 = E(A0), the tag mask. */
        final byte[] s0 = new byte[BLOCK];
        /** E(A1), E(A2): the key stream of a short payload ({@link #SHORT_PAYLOAD}). */
        final byte[] keyStream = new byte[SHORT_PAYLOAD];
        final byte[] expectedTag = new byte[BLOCK];
        final byte[] receivedTag = new byte[BLOCK];
        /** Bytes staged in {@link #macIn}. */
        int macPos;
        Cipher cbcMac;
        Cipher ctr;
    }

    /**
     * @throws IllegalArgumentException for a key that is not 16, 24 or 32 bytes, a nonce length outside
     *     7..13, or a tag length outside {4, 6, ..., 16}
     */
    Ccm(byte[] keyBytes, int nonceLength, int tagLength) {
        this(checkedKey(keyBytes), nonceLength, tagLength);
    }

    /**
     * The mode without a key of its own, for callers that pass theirs to every call.
     *
     * @throws IllegalArgumentException for a nonce length outside 7..13 or a tag length outside {4, 6, ..., 16}
     */
    Ccm(int nonceLength, int tagLength) {
        this((SecretKeySpec) null, nonceLength, tagLength);
    }

    private Ccm(SecretKeySpec key, int nonceLength, int tagLength) {
        if (nonceLength < 7 || nonceLength > 13) {
            throw new IllegalArgumentException("CCM nonce of " + nonceLength + " bytes");
        }
        if (tagLength < 4 || tagLength > 16 || (tagLength & 1) != 0) {
            throw new IllegalArgumentException("CCM tag of " + tagLength + " bytes");
        }
        this.key = key;
        this.nonceLength = nonceLength;
        this.tagLength = tagLength;
        this.lengthFieldSize = 15 - nonceLength;
        // Payload length must fit the L-byte field; also keep within int arithmetic.
        this.maxPayload = Math.min(1L << 30, (1L << (8 * Math.min(lengthFieldSize, 4))) - 1);
    }

    /**
     * An AES key for {@link #seal(SecretKeySpec, byte[], int, byte[], int, int, byte[], int, int, byte[], int)}.
     *
     * @throws IllegalArgumentException for a key that is not 16, 24 or 32 bytes
     */
    static SecretKeySpec checkedKey(byte[] keyBytes) {
        if (keyBytes.length != 16 && keyBytes.length != 24 && keyBytes.length != 32) {
            throw new IllegalArgumentException("AES key of " + keyBytes.length + " bytes");
        }
        return new SecretKeySpec(keyBytes, "AES");
    }

    /** The thread's working memory with {@code key}'s ciphers. */
    private static Work work(SecretKeySpec key) {
        Work w = WORK.get();
        Cipher[] ciphers = CIPHERS.get(key);
        w.cbcMac = ciphers[CBC_MAC];
        w.ctr = ciphers[CTR];
        return w;
    }

    /**
     * Encrypts {@code in[inOff, inOff+len)} and writes {@code ciphertext || tag} to {@code out} at
     * {@code outOff}. In-place use ({@code out == in}, {@code outOff == inOff}) is allowed.
     *
     * @return {@code len} plus the tag length
     */
    int seal(byte[] nonce, int nonceOff, byte[] aad, int aadOff, int aadLen,
             byte[] in, int inOff, int len, byte[] out, int outOff) {
        return seal(key, nonce, nonceOff, aad, aadOff, aadLen, in, inOff, len, out, outOff);
    }

    /** {@link #seal(byte[], int, byte[], int, int, byte[], int, int, byte[], int)} under {@code key}. */
    int seal(SecretKeySpec key, byte[] nonce, int nonceOff, byte[] aad, int aadOff, int aadLen,
             byte[] in, int inOff, int len, byte[] out, int outOff) {
        checkLengths(aadLen, len);
        Work w = work(key);
        try {
            // The MAC reads the plaintext before the CTR pass can overwrite it (in-place use).
            cbcMac(w, nonce, nonceOff, aad, aadOff, aadLen, in, inOff, len);
            if (len <= SHORT_PAYLOAD) {
                shortCtr(w, nonce, nonceOff, in, inOff, len, out, outOff);
            } else {
                startCounter(w, key, nonce, nonceOff);
                ctrCrypt(w, in, inOff, len, out, outOff);
            }
        } catch (RuntimeException e) {
            CIPHERS.forget(key);
            throw e;
        }
        int tagOff = outOff + len;
        for (int i = 0; i < tagLength; i++) {
            out[tagOff + i] = (byte) (w.expectedTag[i] ^ w.s0[i]);
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
        return open(key, nonce, nonceOff, aad, aadOff, aadLen, in, inOff, len, out, outOff);
    }

    /** {@link #open(byte[], int, byte[], int, int, byte[], int, int, byte[], int)} under {@code key}. */
    int open(SecretKeySpec key, byte[] nonce, int nonceOff, byte[] aad, int aadOff, int aadLen,
             byte[] in, int inOff, int len, byte[] out, int outOff) throws DtlsException {
        int ptLen = len - tagLength;
        if (ptLen < 0 || ptLen > maxPayload) {
            throw RecordCipher.badRecordMac();
        }
        checkAad(aadLen);
        Work w = work(key);
        byte[] expected = w.expectedTag;
        byte[] received = w.receivedTag;
        // Keep the received tag: in-place decryption may overwrite bytes near it.
        System.arraycopy(in, inOff + ptLen, received, 0, tagLength);
        try {
            if (ptLen <= SHORT_PAYLOAD) {
                shortCtr(w, nonce, nonceOff, in, inOff, ptLen, out, outOff);
            } else {
                startCounter(w, key, nonce, nonceOff);
                ctrCrypt(w, in, inOff, ptLen, out, outOff);
            }
            cbcMac(w, nonce, nonceOff, aad, aadOff, aadLen, out, outOff, ptLen);
        } catch (RuntimeException e) {
            CIPHERS.forget(key);
            throw e;
        }
        // Every tag byte is compared, whatever differs first (as MessageDigest.isEqual does).
        int diff = 0;
        for (int i = 0; i < tagLength; i++) {
            diff |= (expected[i] ^ w.s0[i]) ^ received[i];
        }
        Arrays.fill(expected, (byte) 0);
        if (diff != 0) {
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
    private void startCounter(Work w, SecretKeySpec key, byte[] nonce, int nonceOff) {
        byte[] counterBlock = w.counterBlock;
        counterBlock[0] = (byte) (lengthFieldSize - 1);
        System.arraycopy(nonce, nonceOff, counterBlock, 1, nonceLength);
        Arrays.fill(counterBlock, 1 + nonceLength, BLOCK, (byte) 0);
        try {
            w.ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counterBlock));
            w.ctr.update(ZERO_BLOCK, 0, BLOCK, w.s0, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR refused its key or counter block", e);
        }
    }

    /**
     * S0 and the CTR pass of a payload of at most {@link #SHORT_PAYLOAD} bytes through the CBC cipher: with
     * its zero IV (to which each {@code doFinal} returns it) one block in is E(block) out, so E(A0), E(A1),
     * E(A2) take a call each and the set's CTR cipher is not keyed. Byte by byte, so in-place use is safe.
     */
    private void shortCtr(Work w, byte[] nonce, int nonceOff, byte[] in, int inOff, int len, byte[] out, int outOff) {
        byte[] counterBlock = w.counterBlock;
        counterBlock[0] = (byte) (lengthFieldSize - 1);
        System.arraycopy(nonce, nonceOff, counterBlock, 1, nonceLength);
        Arrays.fill(counterBlock, 1 + nonceLength, BLOCK, (byte) 0);
        try {
            w.cbcMac.doFinal(counterBlock, 0, BLOCK, w.s0, 0);
            for (int block = 0; block * BLOCK < len; block++) {
                counterBlock[BLOCK - 1] = (byte) (block + 1); // A1, A2: the counter's low byte, L >= 2
                w.cbcMac.doFinal(counterBlock, 0, BLOCK, w.keyStream, block * BLOCK);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC refused a block", e);
        }
        byte[] keyStream = w.keyStream;
        for (int i = 0; i < len; i++) {
            out[outOff + i] = (byte) (in[inOff + i] ^ keyStream[i]);
        }
    }

    /** The CTR pass from A1 on; overlapping in-place data goes through the bounce buffer. */
    private static void ctrCrypt(Work w, byte[] in, int inOff, int len, byte[] out, int outOff) {
        Cipher ctr = w.ctr;
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
            byte[] bounce = w.bounce;
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
     * first {@code tagLength} bytes of T to the thread's expected tag.
     */
    private void cbcMac(Work w, byte[] nonce, int nonceOff, byte[] aad, int aadOff, int aadLen,
                        byte[] payload, int payloadOff, int payloadLen) {
        byte[] b = w.macIn;
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
        w.macPos = p;
        macAppend(w, aad, aadOff, aadLen);
        macPad(w);
        macAppend(w, payload, payloadOff, payloadLen);
        macPad(w);
        try {
            w.cbcMac.doFinal(b, 0, w.macPos, w.bounce, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CBC-MAC failed", e);
        }
        System.arraycopy(w.bounce, w.macPos - BLOCK, w.expectedTag, 0, tagLength);
        // The staged plaintext is not wiped per record: it costs ~5% at 1 KB, the caller holds the same
        // plaintext anyway, and the thread's next record overwrites it.
    }

    private static void macAppend(Work w, byte[] src, int off, int len) {
        byte[] macIn = w.macIn;
        while (len > 0) {
            if (w.macPos == CHUNK) {
                // Flush lazily, so the final doFinal always has at least one block.
                try {
                    w.cbcMac.update(macIn, 0, CHUNK, w.bounce, 0);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("CBC-MAC failed", e);
                }
                w.macPos = 0;
            }
            int n = Math.min(len, CHUNK - w.macPos);
            System.arraycopy(src, off, macIn, w.macPos, n);
            w.macPos += n;
            off += n;
            len -= n;
        }
    }

    /** Zero-pads the staged MAC input to a block boundary (CHUNK is a multiple of the block size). */
    private static void macPad(Work w) {
        int end = padded(w.macPos);
        Arrays.fill(w.macIn, w.macPos, end, (byte) 0);
        w.macPos = end;
    }

    private static int padded(int n) {
        return (n + BLOCK - 1) & -BLOCK;
    }

    /**
     * Retires this key: the calling thread's cipher set for it is dropped and the thread's tag mask wiped.
     * Other threads' sets for it (if a connection moved threads) go when they are re-keyed. The key bytes
     * live in a {@code SecretKeySpec}, which JDK 17 cannot wipe.
     */
    void destroy() {
        destroy(key);
    }

    /** {@link #destroy()} for {@code key}. */
    static void destroy(SecretKeySpec key) {
        CIPHERS.forget(key);
        Work w = WORK.get();
        Arrays.fill(w.s0, (byte) 0);
        Arrays.fill(w.keyStream, (byte) 0);
        Arrays.fill(w.counterBlock, (byte) 0);
    }
}
