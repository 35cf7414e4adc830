package org.dtls4j.crypto;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TLS 1.2 pseudorandom function, RFC 5246 §5: {@code PRF(secret, label, seed) =
 * P_hash(secret, label || seed)} with {@code P_hash} built on HMAC through {@link javax.crypto.Mac}.
 *
 * <p>A handful of calls per handshake, but a PSK handshake is short enough that a fresh {@code Mac} per call
 * (a provider look-up and two digests) showed in its profile (bench/RESULTS.md): each thread keeps one
 * {@code Mac} per hash and re-keys it per call; after the call it is re-keyed with a constant, so it does
 * not hold the secret's HMAC pads until the thread's next PRF.
 */
public final class Prf {
    private static final ThreadLocal<Mac[]> MACS = ThreadLocal.withInitial(() -> new Mac[PrfHash.values().length]);
    /** What the thread's Mac is left keyed with between calls: nothing secret. */
    private static final byte[] RESTING_KEY = {0};

    private Prf() {
    }

    private static Mac mac(PrfHash hash) {
        Mac[] macs = MACS.get();
        Mac mac = macs[hash.ordinal()];
        if (mac == null) {
            mac = hash.newMac();
            macs[hash.ordinal()] = mac;
        }
        return mac;
    }

    /** Re-keys the thread's Mac with a constant, replacing the secret's pads (and any half-fed input). */
    private static void rest(Mac mac, PrfHash hash) {
        try {
            mac.init(new SecretKeySpec(RESTING_KEY, hash.macName()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC refused a raw key", e);
        }
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
        Objects.checkFromIndexSize(off, length, out.length);
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        Mac mac = mac(hash);
        byte[] key = secret.length == 0 ? new byte[1] : secret;
        try {
            // HMAC pads its key with zeros to the block size, so an empty secret and a one-byte zero
            // secret are the same key; SecretKeySpec refuses empty keys, hence the substitution.
            mac.init(new SecretKeySpec(key, hash.macName()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC refused a raw key", e);
        }
        int h = hash.outputLength();
        byte[] a = new byte[h];
        byte[] block = new byte[h];
        try {
            // A(1) = HMAC(secret, label || seed)
            mac.update(labelBytes);
            mac.update(seed);
            mac.doFinal(a, 0);
            int done = 0;
            while (done < length) {
                // output block i = HMAC(secret, A(i) || label || seed)
                mac.update(a);
                mac.update(labelBytes);
                mac.update(seed);
                int n = Math.min(h, length - done);
                if (n == h) {
                    mac.doFinal(out, off + done);
                } else {
                    mac.doFinal(block, 0);
                    System.arraycopy(block, 0, out, off + done, n);
                }
                done += n;
                if (done < length) {
                    // A(i+1) = HMAC(secret, A(i))
                    mac.update(a);
                    mac.doFinal(a, 0);
                }
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException("buffer sized to the HMAC output was refused", e);
        } finally {
            Arrays.fill(a, (byte) 0);
            Arrays.fill(block, (byte) 0);
            rest(mac, hash);
        }
    }
}
