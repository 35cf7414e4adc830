package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A dudect-style leak test (Reparaz, Balasch and Verbauwhede, "Dude, is my code constant time?", 2017)
 * of MAC-then-encrypt opening, the Lucky Thirteen target: forged records of one length whose decrypted
 * padding says 255 (class A: the MAC would cover the fewest bytes) or 0 (class B: the most) are opened in
 * random interleaving, and Welch's t statistic compares the two timing distributions, raw and cropped at
 * pooled percentiles as dudect does. Without the countermeasure class A skips about four SHA-256
 * compression calls, which shows as |t| in the hundreds at these sample sizes.
 *
 * <p>It prints the figures and fails only on a gross leak (|t| > 50) seen twice the same way — a burst of
 * load on a shared CI host can skew one measurement, a leak in the code shows every time; a small |t| is the
 * signal to look at. The CI run uses 20 000 samples per class; the long run
 * is {@code mvn -pl crypto -am test -Dtest=CbcTimingTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddtls4j.timing.samples=1000000} (figures in {@code crypto/docs/cbc.md}). A control comparison of two
 * record lengths, which must differ, shows the harness can see a difference.
 */
@Tag("timing")
class CbcTimingTest {
    private static final int SAMPLES = Integer.getInteger("dtls4j.timing.samples", 20_000);
    private static final double GROSS_LEAK = 50;
    private static final byte[] KEY = new byte[16];
    private static final byte[] MAC_KEY = new byte[32];

    @Test
    void macThenEncryptOpenTimeDoesNotDependOnThePadding() throws Exception {
        RecordCipher cipher = RecordCipher.createCbc(BlockCipherAlgorithm.AES_128_CBC, MacAlgorithm.HMAC_SHA256,
                KEY, MAC_KEY, false, new SecureRandom());
        int length = 16 + 512;
        byte[][] forgeries = {forgery(length, 255), forgery(length, 0)};
        double[] t = measure(cipher, forgeries);
        System.out.printf("CbcTimingTest padding 255 vs 0, %d samples/class: t = %s%n", SAMPLES, Arrays.toString(round(t)));
        double[] control = measure(cipher, new byte[][] {forgery(16 + 64, 0), forgery(length, 0)});
        System.out.printf("CbcTimingTest control, 80- vs 528-byte records: t = %s%n", Arrays.toString(round(control)));
        if (grossLeak(t)) {
            // A leak is a property of the code and shows again; a burst of load on a shared host that happened
            // to skew one measurement does not. So a gross |t| is measured once more before it fails the build.
            double[] again = measure(cipher, forgeries);
            System.out.printf("CbcTimingTest padding 255 vs 0, measured again: t = %s%n", Arrays.toString(round(again)));
            assertTrue(!grossLeak(again) || !sameSign(t, again),
                    "padding-dependent open() timing, twice: t = " + Arrays.toString(round(t)) + " then "
                            + Arrays.toString(round(again)));
        }
    }

    /** {@return whether any of the t statistics is beyond {@link #GROSS_LEAK}} */
    static boolean grossLeak(double[] t) {
        for (double v : t) {
            if (Math.abs(v) >= GROSS_LEAK) {
                return true;
            }
        }
        return false;
    }

    /** {@return whether the largest |t| of both measurements points the same way (one class slower both times)} */
    static boolean sameSign(double[] first, double[] second) {
        return Math.signum(largest(first)) == Math.signum(largest(second));
    }

    private static double largest(double[] t) {
        double max = 0;
        for (double v : t) {
            max = Math.abs(v) > Math.abs(max) ? v : max;
        }
        return max;
    }

    /**
     * Times {@code SAMPLES} opens of each forgery in random order; returns Welch's t of class 0 vs 1 for
     * all samples and for those under the pooled 50th, 90th and 99th percentiles.
     */
    private static double[] measure(RecordCipher cipher, byte[][] forgeries) {
        byte[] aad = new byte[13];
        byte[] out = new byte[forgeries[1].length];
        Random order = new Random(1);
        int warmup = 20_000;
        int total = 2 * SAMPLES + warmup;
        long[] times = new long[2 * SAMPLES];
        int[] classes = new int[2 * SAMPLES];
        for (int i = 0; i < total; i++) {
            int c = order.nextInt(2);
            byte[] record = forgeries[c];
            long start = System.nanoTime();
            try {
                cipher.open(1, aad, 0, 13, record, 0, record.length, out, 0);
            } catch (DtlsException expected) {
                // every forgery fails; the time to fail is what is measured
            }
            long elapsed = System.nanoTime() - start;
            if (i >= warmup) {
                times[i - warmup] = elapsed;
                classes[i - warmup] = c;
            }
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        double[] t = new double[4];
        t[0] = welch(times, classes, Long.MAX_VALUE);
        double[] percentiles = {0.5, 0.9, 0.99};
        for (int p = 0; p < percentiles.length; p++) {
            t[p + 1] = welch(times, classes, sorted[(int) (percentiles[p] * (sorted.length - 1))]);
        }
        return t;
    }

    /** Welch's t of class 0 against class 1 over the samples at or below {@code crop}. */
    static double welch(long[] times, int[] classes, long crop) {
        double[] n = new double[2];
        double[] mean = new double[2];
        double[] m2 = new double[2];
        for (int i = 0; i < times.length; i++) {
            if (times[i] > crop) {
                continue;
            }
            int c = classes[i];
            n[c]++;
            double d = times[i] - mean[c]; // Welford's online mean and variance
            mean[c] += d / n[c];
            m2[c] += d * (times[i] - mean[c]);
        }
        double v0 = m2[0] / (n[0] - 1);
        double v1 = m2[1] / (n[1] - 1);
        return (mean[0] - mean[1]) / Math.sqrt(v0 / n[0] + v1 / n[1]);
    }

    @Test
    void onlyAGrossLeakTheSameWayTwiceFails() {
        assertTrue(!grossLeak(new double[] {3, -49.9}));
        assertTrue(grossLeak(new double[] {3, -50}));
        assertTrue(sameSign(new double[] {2, -60}, new double[] {-80, 10}), "class B slower both times");
        assertTrue(!sameSign(new double[] {2, -60}, new double[] {55, 10}), "opposite ways: noise, not a leak");
    }

    @Test
    void welchIsZeroForEqualSamplesAndLargeForShiftedOnes() {
        long[] times = new long[2000];
        int[] classes = new int[2000];
        Random r = new Random(3);
        for (int i = 0; i < times.length; i++) {
            classes[i] = i % 2;
            times[i] = 1000 + r.nextInt(100);
        }
        assertTrue(Math.abs(welch(times, classes, Long.MAX_VALUE)) < 5);
        for (int i = 0; i < times.length; i++) {
            times[i] += classes[i] == 0 ? 50 : 0;
        }
        assertTrue(welch(times, classes, Long.MAX_VALUE) > 20);
        assertEquals(0, welch(new long[] {1, 3, 1, 3}, new int[] {0, 0, 1, 1}, Long.MAX_VALUE), 1e-9);
    }

    /**
     * A record of {@code length} bytes (IV included) whose plaintext ends in valid padding of
     * {@code padLength}, under a MAC that cannot match: only the padding differs between classes.
     */
    private static byte[] forgery(int length, int padLength) throws Exception {
        byte[] plain = new byte[length - 16];
        new Random(padLength).nextBytes(plain);
        Arrays.fill(plain, plain.length - padLength - 1, plain.length, (byte) padLength);
        byte[] iv = new byte[16];
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(iv));
        byte[] record = Arrays.copyOf(iv, length);
        aes.doFinal(plain, 0, plain.length, record, 16);
        return record;
    }

    private static double[] round(double[] t) {
        double[] r = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            r[i] = Math.round(t[i] * 100) / 100.0;
        }
        return r;
    }
}
