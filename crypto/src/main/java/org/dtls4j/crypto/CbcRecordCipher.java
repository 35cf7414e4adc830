package org.dtls4j.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.wire.DtlsException;

/**
 * AES-CBC with HMAC record protection (RFC 5246 §6.2.3.2, with DTLS's per-record explicit IV, RFC 6347
 * §4.1.2.1), MAC-then-encrypt or, when negotiated, encrypt-then-MAC (RFC 7366 §3).
 *
 * <p>The MAC input is {@code seq_num || type || version || length || data}, where {@code seq_num} is
 * the 64-bit epoch || sequence_number; the caller passes it as the additional data and this class writes
 * the length field (the last two bytes of it): the plaintext length for MAC-then-encrypt, the length of
 * IV || ciphertext for encrypt-then-MAC (RFC 7366 §3). With a Connection ID the caller's RFC 9146 prefix
 * works the same way.
 *
 * <p>Explicit IVs: the JDK's CBC cipher is initialised with a zero IV, and each record's IV is XORed
 * into its first plaintext block by hand (CBC's first block is E(P1 XOR IV)), so no per-record
 * re-initialisation or allocation is needed. The IV itself is AES, under a random key drawn from
 * {@link SecureRandom} once per thread, of the thread's 64-bit counter: unpredictable to the peer and,
 * AES being a permutation, never the same twice under one key. (A separate key, never the write key:
 * with the write key, a chosen-plaintext block could show the next IV before it is used, RFC 5246 §6.2.3.2.)
 *
 * <p>Memory: an instance holds its keys only (the AES key, the HMAC key blocks). The two CBC
 * {@code Cipher}s come from a bounded per-thread cache keyed by this instance's key ({@link ThreadCiphers}),
 * the hash from a per-thread {@code MessageDigest} ({@link Hmac}), and the IV generator, MAC scratch and
 * padding filler are per thread or shared, so a connection holds no {@code Cipher} or digest of its own.
 *
 * <p>MAC-then-encrypt opening is constant-time in the padding (Lucky Thirteen, AlFardan and Paterson
 * 2013): every padding byte a record could have is checked with masks, the MAC is computed and then the
 * hash is fed the compression-function calls a zero-padding record would have needed, and a bad padding
 * and a bad MAC fail at the same point with the same exception.
 *
 * <p>The MAC is our {@link Hmac} over the JDK's {@code MessageDigest} rather than the JDK's {@code Mac}:
 * the same tags, no allocation per record, and the constant-time filler costs compression calls on the
 * same digest instead of a second HMAC key block (see {@code crypto/docs/cbc.md} for the figures).
 */
final class CbcRecordCipher extends RecordCipher {
    private static final int BLOCK = BlockCipherAlgorithm.BLOCK_LENGTH;
    /** The padding_length byte can say at most 255, so at most 256 bytes end a record as padding. */
    private static final int MAX_PADDING = 256;
    /** Eight bytes at a time for the padding check, the last byte of a word being its lowest. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final BlockCipherAlgorithm blockCipher;
    private final MacAlgorithm macAlgorithm;
    private final boolean encryptThenMac;
    /** Input for the compression calls that even out MAC-then-encrypt timing; its content does not matter. */
    private static final byte[] FILLER = new byte[(MAX_PADDING / 128 + 2) * 128];
    private static final byte[] ZERO_BLOCK = new byte[BLOCK];
    private static final int ENCRYPT = 0;
    private static final int DECRYPT = 1;
    /** Per thread: [encryptor, decryptor], both keyed once with a zero IV. */
    private static final ThreadCiphers CIPHERS = new ThreadCiphers((ciphers, key) -> {
        ciphers[ENCRYPT].init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(ZERO_BLOCK));
        ciphers[DECRYPT].init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(ZERO_BLOCK));
    }, "AES/CBC/NoPadding", "AES/CBC/NoPadding");
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final int macLength;
    private final SecretKeySpec key;
    private final Hmac mac;
    /** Keys the IV generator of a thread that seals its first CBC record with this instance. */
    private final SecureRandom random;

    /** One thread's IV generator and scratch for one record at a time. */
    private static final class Scratch {
        final byte[] ivCounter = new byte[BLOCK];
        final byte[] iv = new byte[BLOCK];
        final byte[] computedMac = new byte[48];
        /** AES/ECB under a random key; null until the thread seals its first CBC record. */
        Cipher ivGenerator;
        long ivCount;
    }

    CbcRecordCipher(BlockCipherAlgorithm blockCipher, MacAlgorithm macAlgorithm, byte[] key, byte[] macKey,
                    boolean encryptThenMac, SecureRandom random) {
        super(null);
        this.blockCipher = blockCipher;
        this.macAlgorithm = macAlgorithm;
        this.encryptThenMac = encryptThenMac;
        this.macLength = macAlgorithm.length();
        this.random = random;
        this.key = new SecretKeySpec(key, "AES");
        this.mac = macAlgorithm.newHmac(macKey);
    }

    @Override
    public boolean isAead() {
        return false;
    }

    @Override
    public int recordIvLength() {
        return BLOCK;
    }

    /** IV, MAC and the longest padding we write (padding_length byte plus up to 15 bytes). */
    @Override
    public int overhead() {
        return BLOCK + macLength + BLOCK;
    }

    @Override
    public int protectedLength(int plaintextLength) {
        if (encryptThenMac) {
            return BLOCK + roundUp(plaintextLength + 1) + macLength;
        }
        return BLOCK + roundUp(plaintextLength + macLength + 1);
    }

    private static int roundUp(int n) {
        return (n + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** True when this epoch uses encrypt_then_mac (RFC 7366). */
    public boolean encryptThenMac() {
        return encryptThenMac;
    }

    @Override
    public int seal(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) {
        System.arraycopy(in, inOff, out, outOff + BLOCK, len); // before the IV is written: in may overlap it
        nextIv(SCRATCH.get(), out, outOff);
        return sealInPlace(aad, aadOff, aadLen, len, out, outOff);
    }

    /** Test hook: {@link #seal} with a given explicit IV, for known-answer records. */
    int sealWithIv(byte[] explicitIv, byte[] aad, int aadLen, byte[] in, int len, byte[] out) {
        System.arraycopy(in, 0, out, BLOCK, len);
        System.arraycopy(explicitIv, 0, out, 0, BLOCK);
        return sealInPlace(aad, 0, aadLen, len, out, 0);
    }

    /** Seals the plaintext at {@code out[outOff + 16]} behind the IV at {@code out[outOff]}. */
    private int sealInPlace(byte[] aad, int aadOff, int aadLen, int len, byte[] out, int outOff) {
        int body = outOff + BLOCK;
        int end = body + len;
        try {
            if (!encryptThenMac) {
                setLength(aad, aadOff, aadLen, len);
                mac.update(aad, aadOff, aadLen);
                mac.update(out, body, len);
                mac.doFinal(out, end);
                end += macLength;
            }
            end = pad(out, body, end);
            for (int i = 0; i < BLOCK; i++) {
                out[body + i] ^= out[outOff + i];
            }
            encrypt(out, body, end - body);
            if (encryptThenMac) {
                setLength(aad, aadOff, aadLen, end - outOff);
                mac.update(aad, aadOff, aadLen);
                mac.update(out, outOff, end - outOff);
                mac.doFinal(out, end);
                end += macLength;
            }
        } catch (GeneralSecurityException e) {
            // Only a short output buffer gets here: our bug.
            throw new IllegalStateException("CBC seal failed", e);
        }
        return end - outOff;
    }

    /** CBC-encrypts {@code b[off, off+len)} in place with the thread's cipher for this key. */
    private void encrypt(byte[] b, int off, int len) throws GeneralSecurityException {
        try {
            CIPHERS.get(key)[ENCRYPT].doFinal(b, off, len, b, off);
        } catch (GeneralSecurityException | RuntimeException e) {
            CIPHERS.forget(key);
            throw e;
        }
    }

    /** Writes the next explicit IV: AES under the thread's IV key of its counter, which never repeats. */
    private void nextIv(Scratch scratch, byte[] out, int outOff) {
        try {
            if (scratch.ivGenerator == null) {
                byte[] ivKey = new byte[16];
                random.nextBytes(ivKey);
                Cipher generator = Cipher.getInstance("AES/ECB/NoPadding");
                generator.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(ivKey, "AES"));
                Arrays.fill(ivKey, (byte) 0);
                scratch.ivGenerator = generator;
            }
            putLong(scratch.ivCounter, 0, scratch.ivCount++);
            scratch.ivGenerator.doFinal(scratch.ivCounter, 0, BLOCK, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("IV generation failed", e);
        }
    }

    /** RFC 5246 §6.2.3.2: padding_length + 1 bytes, each holding padding_length, to a block boundary. */
    private static int pad(byte[] out, int body, int end) {
        int padLength = BLOCK - 1 - (end - body) % BLOCK;
        Arrays.fill(out, end, end + padLength + 1, (byte) padLength);
        return end + padLength + 1;
    }

    private static void setLength(byte[] aad, int aadOff, int aadLen, int length) {
        aad[aadOff + aadLen - 2] = (byte) (length >>> 8);
        aad[aadOff + aadLen - 1] = (byte) length;
    }

    @Override
    public int open(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) throws DtlsException {
        if (len < protectedLength(0) || len > CcmRecordCipher.MAX_FRAGMENT) {
            throw badRecordMac();
        }
        Scratch scratch = SCRATCH.get();
        try {
            return encryptThenMac
                    ? openEncryptThenMac(scratch, aad, aadOff, aadLen, in, inOff, len, out, outOff)
                    : openMacThenEncrypt(scratch, aad, aadOff, aadLen, in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("CBC open failed", e);
        }
    }

    private int openEncryptThenMac(Scratch scratch, byte[] aad, int aadOff, int aadLen, byte[] in, int inOff, int len,
                                   byte[] out, int outOff) throws DtlsException, GeneralSecurityException {
        int cipherLength = len - BLOCK - macLength;
        if (cipherLength % BLOCK != 0) {
            throw badRecordMac();
        }
        setLength(aad, aadOff, aadLen, BLOCK + cipherLength);
        mac.update(aad, aadOff, aadLen);
        mac.update(in, inOff, BLOCK + cipherLength);
        mac.doFinal(scratch.computedMac, 0);
        if (macDiff(scratch.computedMac, in, inOff + len - macLength) != 0) {
            throw badRecordMac();
        }
        int plainLength = decrypt(scratch.iv, in, inOff, cipherLength, out, outOff);
        int padLength = out[outOff + plainLength - 1] & 0xff;
        // The MAC already vouched for these bytes, so this check leaks nothing a forger can use.
        int contentLength = plainLength - padLength - 1;
        boolean ok = contentLength >= 0;
        for (int i = contentLength; ok && i < plainLength; i++) {
            ok = (out[outOff + i] & 0xff) == padLength;
        }
        if (!ok) {
            Arrays.fill(out, outOff, outOff + plainLength, (byte) 0);
            throw badRecordMac();
        }
        return contentLength;
    }

    /** Decrypts the {@code cipherLength} bytes after the record's IV to {@code out}; returns cipherLength. */
    private int decrypt(byte[] iv, byte[] in, int inOff, int cipherLength, byte[] out, int outOff)
            throws GeneralSecurityException {
        System.arraycopy(in, inOff, iv, 0, BLOCK); // saved first: an in-place open overwrites it
        try {
            CIPHERS.get(key)[DECRYPT].doFinal(in, inOff + BLOCK, cipherLength, out, outOff);
        } catch (GeneralSecurityException | RuntimeException e) {
            CIPHERS.forget(key);
            throw e;
        }
        for (int i = 0; i < BLOCK; i++) {
            out[outOff + i] ^= iv[i];
        }
        return cipherLength;
    }

    /**
     * RFC 5246 §6.2.3.2 opening with the Lucky Thirteen countermeasures. Timing depends only on the
     * record's length, never on its padding_length: the padding check always reads the same bytes, and
     * the hash always makes the compression calls of the longest content the record could hold.
     */
    private int openMacThenEncrypt(Scratch scratch, byte[] aad, int aadOff, int aadLen, byte[] in, int inOff, int len,
                                   byte[] out, int outOff) throws DtlsException, GeneralSecurityException {
        int plainLength = len - BLOCK;
        if (plainLength % BLOCK != 0) {
            throw badRecordMac();
        }
        decrypt(scratch.iv, in, inOff, plainLength, out, outOff);
        int padLength = out[outOff + plainLength - 1] & 0xff;
        int maxContent = plainLength - macLength - 1;
        // Negative when padding_length claims more bytes than the record has room for beside its MAC.
        long bad = paddingDiff(out, outOff + plainLength, Math.min(MAX_PADDING, plainLength), padLength)
                | (maxContent - padLength) >> 31;
        int badMask = (int) ((bad | -bad) >> 63);
        int contentLength = maxContent - (padLength & ~badMask);
        setLength(aad, aadOff, aadLen, contentLength);
        mac.update(aad, aadOff, aadLen);
        mac.update(out, outOff, contentLength);
        mac.doFinal(scratch.computedMac, 0);
        evenOutCompressions(aadLen + contentLength, aadLen + maxContent);
        if ((macDiff(scratch.computedMac, out, outOff + contentLength) | badMask) != 0) {
            Arrays.fill(out, outOff, outOff + plainLength, (byte) 0);
            throw badRecordMac();
        }
        return contentLength;
    }

    /**
     * Nonzero when one of the {@code padLength + 1} bytes before {@code end} differs from
     * {@code padLength}. Reads the {@code checked} bytes before {@code end} (a multiple of 8, at least
     * {@code padLength + 1}) eight at a time, masking by position, whatever {@code padLength} says.
     */
    private static long paddingDiff(byte[] b, int end, int checked, int padLength) {
        long expected = padLength * 0x0101010101010101L;
        long diff = 0;
        for (int k = 0; k < checked / Long.BYTES; k++) {
            long word = (long) WORD.get(b, end - Long.BYTES * (k + 1));
            // The low n bytes of the word are padding, n = padLength + 1 - 8k: all of them when n >= 8,
            // none when n <= 0. Shifts and masks only, no comparison the compiler could turn into a branch.
            int n = padLength + 1 - Long.BYTES * k;
            long whole = (Long.BYTES - 1 - n) >> 31;
            long none = (n - 1) >> 31;
            long inPadding = whole | (~none & ~(-1L << (Byte.SIZE * (n & 7))));
            diff |= (word ^ expected) & inPadding;
        }
        return diff;
    }

    /** Zero when {@code b[off, off + macLength)} equals the computed MAC; compares every byte (as {@code MessageDigest.isEqual}). */
    private int macDiff(byte[] computedMac, byte[] b, int off) {
        int diff = 0;
        for (int i = 0; i < macLength; i++) {
            diff |= computedMac[i] ^ b[off + i];
        }
        return diff;
    }

    /**
     * Makes the hash perform the compression calls that MAC input of {@code longest} bytes would have
     * cost beyond one of {@code actual} bytes, on filler after the real MAC is done, so the total work
     * of opening is that of the longest content whatever the padding said.
     */
    private void evenOutCompressions(int actual, int longest) {
        int extra = macAlgorithm.compressions(longest) - macAlgorithm.compressions(actual);
        // One multi-block update of at least one block whatever the count: the JDK hashes several blocks
        // per call faster than one per call, so the number of calls must not depend on the padding
        // either (a per-block loop measured t = 155; an empty update when nothing was missing, t = 26 at
        // 200,000 samples).
        mac.compressAndDiscard(FILLER, 0, (extra + 1) * macAlgorithm.hashBlockLength());
    }

    @Override
    public void destroy() {
        Scratch scratch = SCRATCH.get();
        Arrays.fill(scratch.iv, (byte) 0);
        Arrays.fill(scratch.computedMac, (byte) 0);
        CIPHERS.forget(key);
        mac.destroy();
        // SecretKeySpec and the JDK's Cipher state cannot be wiped in place on JDK 17.
    }

    @Override
    public String toString() {
        return "RecordCipher[" + blockCipher + ", " + macAlgorithm + (encryptThenMac ? ", encrypt_then_mac]" : "]");
    }
}
