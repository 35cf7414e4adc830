package org.dtls4j.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The TLS 1.2 pseudorandom function, RFC 5246 §5: {@code PRF(secret, label, seed) =
 * P_hash(secret, label || seed)} with {@code P_hash} built on HMAC.
 *
 * <p>A handful of calls per handshake (master secret, key block, two Finished each side), short enough that
 * per-call overhead showed in a PSK handshake's profile (bench/RESULTS.md). Each thread keeps one
 * {@link Hmac} per hash over a JDK {@code MessageDigest} and re-keys it per call: the key blocks are XORed
 * once per call rather than once per HMAC as the JDK's {@code Mac} re-derives them, nothing is allocated per
 * HMAC, and after the call the key blocks are wiped, so the thread does not hold the secret until its next
 * PRF. (Keeping the keyed inner and outer hash states by {@code MessageDigest.clone()} would save two
 * compressions per HMAC but costs as much as it saves in allocation and copying on JDK 17.)
 */
public final class Prf {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One thread's HMACs and P_hash buffers. Prf calls nothing that could re-enter it, so one set suffices. */
    private static final class Scratch {
        final Hmac[] macs = new Hmac[PrfHash.values().length];
        /** A(i), RFC 5246 §5; sized for the longest hash. */
        final byte[] a = new byte[48];
        /** The last, partial output block. */
        final byte[] block = new byte[48];

        Hmac mac(PrfHash hash) {
            Hmac mac = macs[hash.ordinal()];
            if (mac == null) {
                mac = hash.newHmac();
                macs[hash.ordinal()] = mac;
            }
            return mac;
        }
    }

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
        Scratch s = SCRATCH.get();
        Hmac mac = s.mac(hash);
        int h = mac.length();
        byte[] a = s.a;
        try {
            // HMAC pads its key with zeros to the block size, so an empty secret is the all-zero key (RFC 2104 §2).
            mac.setKey(secret);
            // A(1) = HMAC(secret, label || seed)
            mac.update(label, 0, label.length);
            mac.update(seed, 0, seed.length);
            mac.doFinal(a, 0);
            int done = 0;
            while (done < length) {
                // output block i = HMAC(secret, A(i) || label || seed)
                mac.update(a, 0, h);
                mac.update(label, 0, label.length);
                mac.update(seed, 0, seed.length);
                int n = Math.min(h, length - done);
                if (n == h) {
                    mac.doFinal(out, off + done);
                } else {
                    mac.doFinal(s.block, 0);
                    System.arraycopy(s.block, 0, out, off + done, n);
                }
                done += n;
                if (done < length) {
                    // A(i+1) = HMAC(secret, A(i))
                    mac.update(a, 0, h);
                    mac.doFinal(a, 0);
                }
            }
        } finally {
            Arrays.fill(a, (byte) 0);
            Arrays.fill(s.block, (byte) 0);
            mac.destroy();
        }
    }
}
