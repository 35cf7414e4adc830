package org.dtls4j.crypto;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The TLS 1.2 pseudorandom function, RFC 5246 §5: {@code PRF(secret, label, seed) =
 * P_hash(secret, label || seed)} with {@code P_hash} built on HMAC (RFC 2104).
 *
 * <p>A handful of calls per handshake (master secret, key block, two Finished each side), short enough that
 * per-call overhead showed in a PSK handshake's profile (bench/RESULTS.md). The PRF is bound by SHA-256
 * compressions; what is left to save is the JDK digest's per-call work, so each thread keeps one buffer laid
 * out as {@code K ^ ipad || A(i) || label || seed} and one as {@code K ^ opad || inner hash}: every HMAC of
 * the call is then one {@code update} of a contiguous range (whole blocks go to the JDK's multi-block
 * compression without being copied into the digest's buffer) and one {@code digest}, on the thread's
 * {@code MessageDigest} ({@link PrfHash#threadDigest}, shared with the CBC record MACs' {@link Hmac}). A(i) is overwritten in place, so nothing is allocated
 * per call beyond the result, and both buffers are wiped when the call returns. (Keeping the keyed inner and
 * outer hash states by {@code MessageDigest.clone()} would save two compressions per HMAC but costs as much
 * as it saves in allocation and copying on JDK 17.)
 */
public final class Prf {
    /** Label and seed bytes that fit the thread's buffer; longer ones (exporter contexts) get a buffer per call. */
    private static final int SCRATCH_MESSAGE = 192;
    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[2][]);

    private Prf() {
    }

    /**
     * {@return {@code length} bytes of {@code PRF(secret, label, seed)}}
     *
     * @param hash the suite's PRF hash
     * @param secret the PRF secret
     * @param label the ASCII label
     * @param seed the seed
     * @param length bytes wanted
     */
    public static byte[] compute(PrfHash hash, byte[] secret, String label, byte[] seed, int length) {
        byte[] out = new byte[length];
        compute(hash, secret, label, seed, out, 0, length);
        return out;
    }

    /**
     * Writes {@code length} bytes of {@code PRF(secret, label, seed)} into {@code out} at {@code off}.
     *
     * @param hash the suite's PRF hash
     * @param secret the PRF secret
     * @param label the ASCII label
     * @param seed the seed
     * @param out where the bytes go
     * @param off where in {@code out} they start
     * @param length bytes wanted
     */
    public static void compute(PrfHash hash, byte[] secret, String label, byte[] seed, byte[] out, int off, int length) {
        Objects.requireNonNull(label, "label");
        compute(hash, secret, label.getBytes(StandardCharsets.US_ASCII), seed, out, off, length);
    }

    /** {@link #compute(PrfHash, byte[], String, byte[], byte[], int, int)} with the label already in ASCII. */
    static void compute(PrfHash hash, byte[] secret, byte[] label, byte[] seed, byte[] out, int off, int length) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(seed, "seed");
        Objects.checkFromIndexSize(off, length, out.length);
        MessageDigest md = hash.threadDigest();
        int b = hash.blockLength();
        int h = hash.outputLength();
        int message = label.length + seed.length;
        byte[][] scratch = SCRATCH.get();
        byte[] inner = buffer(scratch, 0, b + h + message);
        byte[] outer = buffer(scratch, 1, b + h);
        try {
            md.reset();
            // HMAC pads its key with zeros to the block size, a longer key is hashed first (RFC 2104 §2).
            byte[] k = secret.length > b ? md.digest(secret) : secret;
            for (int i = 0; i < b; i++) {
                byte x = i < k.length ? k[i] : 0;
                inner[i] = (byte) (x ^ 0x36);
                outer[i] = (byte) (x ^ 0x5c);
            }
            if (k != secret) {
                Arrays.fill(k, (byte) 0);
            }
            System.arraycopy(label, 0, inner, b + h, label.length);
            System.arraycopy(seed, 0, inner, b + h + label.length, seed.length);
            // A(1) = HMAC(secret, label || seed), written over the A slot.
            md.update(inner, 0, b);
            md.update(inner, b + h, message);
            finish(md, outer, b, h, inner, b);
            for (int done = 0; done < length; ) {
                // Output block i = HMAC(secret, A(i) || label || seed).
                md.update(inner, 0, b + h + message);
                int n = Math.min(h, length - done);
                if (n == h) {
                    finish(md, outer, b, h, out, off + done);
                } else {
                    // The partial last block goes through the inner hash's slot, free once the outer is fed.
                    finish(md, outer, b, h, outer, b);
                    System.arraycopy(outer, b, out, off + done, n);
                }
                done += n;
                if (done < length) {
                    // A(i+1) = HMAC(secret, A(i)).
                    md.update(inner, 0, b + h);
                    finish(md, outer, b, h, inner, b);
                }
            }
        } finally {
            Arrays.fill(inner, 0, b + h + message, (byte) 0);
            Arrays.fill(outer, 0, b + h, (byte) 0);
            // The digest's buffer still holds the tail of the last outer input (an HMAC output).
            md.reset();
        }
    }

    /**
     * Ends the inner hash fed so far into {@code outer}'s slot and writes {@code H(K ^ opad || inner)} to
     * {@code dst[dstOff, dstOff+h)}.
     */
    private static void finish(MessageDigest md, byte[] outer, int b, int h, byte[] dst, int dstOff) {
        try {
            md.digest(outer, b, h);
            md.update(outer, 0, b + h);
            md.digest(dst, dstOff, h);
        } catch (DigestException e) {
            // Only a short output range gets here: our bug.
            throw new IllegalStateException("PRF output does not fit", e);
        }
    }

    /** {@return the thread's buffer {@code i} if it holds {@code size} bytes, else a bigger one (kept when small)} */
    private static byte[] buffer(byte[][] scratch, int i, int size) {
        byte[] buf = scratch[i];
        if (buf != null && buf.length >= size) {
            return buf;
        }
        buf = new byte[Math.max(size, i == 0 ? 128 + 48 + SCRATCH_MESSAGE : 128 + 48)];
        if (buf.length <= 128 + 48 + SCRATCH_MESSAGE) {
            scratch[i] = buf;
        }
        return buf;
    }
}
