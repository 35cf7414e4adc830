package org.dtls4j.bench;

import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.crypto.AeadAlgorithm;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.wire.DtlsException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Seal + open of one record per operation through {@link RecordCipher}, beside raw {@code javax.crypto}
 * doing the same work in the same run: same key, nonce construction (RFC 5288 salt || explicit, RFC 7905
 * IV XOR seq), 13-byte AAD, one init per direction per record, sequence number incremented per op (the
 * JDK refuses to re-initialise GCM/ChaCha20 encryption with a repeated nonce). The raw CCM baseline is the
 * plain composition the JDK allows: CBC-MAC through {@code AES/CBC/NoPadding} (initialised per record with
 * the zero IV) and CTR through {@code AES/CTR/NoPadding}, reusing cipher objects and buffers.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar AeadBench -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc};
 * compare {@code impl=ours} with {@code impl=raw} for each (alg, size).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadBench {
    @Param({"AES_128_GCM", "AES_256_GCM", "AES_128_CCM", "AES_128_CCM_8", "CHACHA20_POLY1305"})
    public String alg;

    @Param({"100", "1024"})
    public int size;

    /** ours = RecordCipher, raw = javax.crypto; a parameter (not two methods) so JMH runs them back to back. */
    @Param({"ours", "raw"})
    public String impl;

    private AeadAlgorithm algorithm;
    private RecordCipher sealer;
    private RecordCipher opener;
    private Raw raw;
    private byte[] plaintext;
    private final byte[] aad = new byte[13];
    private byte[] record;
    private byte[] opened;
    private long seq;
    private boolean ours;

    @Setup
    public void setup() throws GeneralSecurityException {
        algorithm = AeadAlgorithm.valueOf(alg);
        ours = impl.equals("ours");
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] key = new byte[algorithm.keyLength()];
        byte[] iv = new byte[algorithm.fixedIvLength()];
        rnd.nextBytes(key);
        rnd.nextBytes(iv);
        plaintext = new byte[size];
        rnd.nextBytes(plaintext);
        sealer = RecordCipher.create(algorithm, key, iv);
        opener = RecordCipher.create(algorithm, key, iv);
        raw = switch (algorithm) {
            case AES_128_GCM, AES_256_GCM -> new RawGcm(key, iv);
            case CHACHA20_POLY1305 -> new RawChaCha(key, iv);
            case AES_128_CCM, AES_128_CCM_8 -> new RawCcm(key, iv, algorithm.tagLength());
        };
        record = new byte[size + algorithm.overhead()];
        opened = new byte[record.length];
        aad[8] = 23;
        aad[9] = (byte) 254;
        aad[10] = (byte) 253;
        aad[11] = (byte) (size >>> 8);
        aad[12] = (byte) size;
    }

    /** The AAD of RFC 6347 §4.1.2.1 starts with epoch || sequence number. */
    private long nextSeq() {
        long s = ++seq;
        for (int i = 7; i >= 0; i--) {
            aad[i] = (byte) s;
            s >>>= 8;
        }
        return seq;
    }

    @Benchmark
    public int sealOpen() throws DtlsException, GeneralSecurityException {
        long s = nextSeq();
        if (ours) {
            int n = sealer.seal(s, aad, 0, 13, plaintext, 0, size, record, 0);
            return opener.open(s, aad, 0, 13, record, 0, n, opened, 0);
        }
        int n = raw.seal(s, aad, plaintext, size, record);
        return raw.open(s, aad, record, n, opened);
    }

    /** One direction pair of raw javax.crypto with DTLS's nonce rules. */
    private interface Raw {
        int seal(long seq, byte[] aad, byte[] in, int len, byte[] out) throws GeneralSecurityException;

        int open(long seq, byte[] aad, byte[] in, int len, byte[] out) throws GeneralSecurityException;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    /** RFC 5288 with AES/GCM/NoPadding. */
    private static final class RawGcm implements Raw {
        private final SecretKeySpec key;
        private final byte[] sealNonce = new byte[12];
        private final byte[] openNonce = new byte[12];
        private final Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
        private final Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");

        RawGcm(byte[] k, byte[] salt) throws GeneralSecurityException {
            key = new SecretKeySpec(k, "AES");
            System.arraycopy(salt, 0, sealNonce, 0, 4);
            System.arraycopy(salt, 0, openNonce, 0, 4);
        }

        @Override
        public int seal(long seq, byte[] aad, byte[] in, int len, byte[] out) throws GeneralSecurityException {
            putLong(sealNonce, 4, seq);
            putLong(out, 0, seq);
            enc.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, sealNonce));
            enc.updateAAD(aad, 0, 13);
            return 8 + enc.doFinal(in, 0, len, out, 8);
        }

        @Override
        public int open(long seq, byte[] aad, byte[] in, int len, byte[] out) throws GeneralSecurityException {
            System.arraycopy(in, 0, openNonce, 4, 8);
            dec.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, openNonce));
            dec.updateAAD(aad, 0, 13);
            return dec.doFinal(in, 8, len - 8, out, 0);
        }
    }

    /** RFC 7905 with ChaCha20-Poly1305. */
    private static final class RawChaCha implements Raw {
        private final SecretKeySpec key;
        private final byte[] iv;
        private final byte[] nonce = new byte[12];
        private final Cipher enc = Cipher.getInstance("ChaCha20-Poly1305");
        private final Cipher dec = Cipher.getInstance("ChaCha20-Poly1305");

        RawChaCha(byte[] k, byte[] iv) throws GeneralSecurityException {
            key = new SecretKeySpec(k, "ChaCha20");
            this.iv = iv.clone();
        }

        private byte[] nonce(long seq) {
            System.arraycopy(iv, 0, nonce, 0, 12);
            for (int i = 11; i >= 4; i--) {
                nonce[i] ^= (byte) seq;
                seq >>>= 8;
            }
            return nonce;
        }

        @Override
        public int seal(long seq, byte[] aad, byte[] in, int len, byte[] out) throws GeneralSecurityException {
            enc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce(seq)));
            enc.updateAAD(aad, 0, 13);
            return enc.doFinal(in, 0, len, out, 0);
        }

        @Override
        public int open(long seq, byte[] aad, byte[] in, int len, byte[] out) throws GeneralSecurityException {
            dec.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce(seq)));
            dec.updateAAD(aad, 0, 13);
            return dec.doFinal(in, 0, len, out, 0);
        }
    }

    /**
     * The CCM baseline: a plain CBC-MAC (AES/CBC/NoPadding, zero IV, initialised per record) plus CTR
     * (AES/CTR/NoPadding from A0, whose first key-stream block masks the tag), 12-byte nonce, L = 3.
     */
    private static final class RawCcm implements Raw {
        private final SecretKeySpec key;
        private final int tagLen;
        private final byte[] nonce = new byte[12];
        private final IvParameterSpec zeroIv = new IvParameterSpec(new byte[16]);
        private final byte[] zero = new byte[16];
        private final byte[] a0 = new byte[16];
        private final byte[] s0 = new byte[16];
        private final byte[] mac = new byte[16 + 32 + 16400];
        private final byte[] macOut = new byte[mac.length];
        private final Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
        private final Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");

        RawCcm(byte[] k, byte[] salt, int tagLen) throws GeneralSecurityException {
            key = new SecretKeySpec(k, "AES");
            this.tagLen = tagLen;
            System.arraycopy(salt, 0, nonce, 0, 4);
        }

        /** CBC-MAC of B0 || l(a) || aad || pad || payload || pad; returns the offset of T. */
        private int cbcMac(byte[] aad, byte[] p, int pOff, int len) throws GeneralSecurityException {
            mac[0] = (byte) (0x40 | ((tagLen - 2) / 2) << 3 | 2);
            System.arraycopy(nonce, 0, mac, 1, 12);
            mac[13] = (byte) (len >>> 16);
            mac[14] = (byte) (len >>> 8);
            mac[15] = (byte) len;
            mac[16] = 0;
            mac[17] = 13;
            System.arraycopy(aad, 0, mac, 18, 13);
            mac[31] = 0;
            System.arraycopy(p, pOff, mac, 32, len);
            int total = 32 + ((len + 15) & -16);
            for (int i = 32 + len; i < total; i++) {
                mac[i] = 0;
            }
            cbc.init(Cipher.ENCRYPT_MODE, key, zeroIv);
            cbc.doFinal(mac, 0, total, macOut, 0);
            return total - 16;
        }

        private void startCtr() throws GeneralSecurityException {
            a0[0] = 2;
            System.arraycopy(nonce, 0, a0, 1, 12);
            a0[13] = 0;
            a0[14] = 0;
            a0[15] = 0;
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(a0));
            ctr.update(zero, 0, 16, s0, 0);
        }

        @Override
        public int seal(long seq, byte[] aad, byte[] in, int len, byte[] out) throws GeneralSecurityException {
            putLong(nonce, 4, seq);
            putLong(out, 0, seq);
            int t = cbcMac(aad, in, 0, len);
            startCtr();
            ctr.doFinal(in, 0, len, out, 8);
            for (int i = 0; i < tagLen; i++) {
                out[8 + len + i] = (byte) (macOut[t + i] ^ s0[i]);
            }
            return 8 + len + tagLen;
        }

        @Override
        public int open(long seq, byte[] aad, byte[] in, int len, byte[] out) throws GeneralSecurityException {
            System.arraycopy(in, 0, nonce, 4, 8);
            int ptLen = len - 8 - tagLen;
            startCtr();
            ctr.doFinal(in, 8, ptLen, out, 0);
            int t = cbcMac(aad, out, 0, ptLen);
            int diff = 0;
            for (int i = 0; i < tagLen; i++) {
                diff |= (macOut[t + i] ^ s0[i]) ^ in[8 + ptLen + i];
            }
            if (diff != 0) {
                throw new AEADBadTagException();
            }
            return ptLen;
        }
    }

    /**
     * An interleaved cross-check for a busy machine: alternates 200 ms slices of ours and raw for each
     * (alg, size) and prints the median ops per CPU-second of each and their ratio, so load swings hit
     * both sides alike and preemption does not count.
     * Run: {@code java -cp bench/target/benchmarks.jar org.dtls4j.bench.AeadBench [rounds]}.
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        // Take JMH's own lock file so this does not run on top of a JMH run (the machine is shared).
        java.nio.file.Path lockFile = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock lock = ch.lock()) {
            interleave(rounds);
        }
    }

    private static void interleave(int rounds) throws Exception {
        System.out.printf("%-18s %5s %14s %14s %7s%n", "alg", "size", "ours ops/cpu-s", "raw ops/cpu-s", "ratio");
        for (AeadAlgorithm a : AeadAlgorithm.values()) {
            for (int sz : new int[] {100, 1024}) {
                AeadBench[] b = new AeadBench[2];
                for (int k = 0; k < 2; k++) {
                    b[k] = new AeadBench();
                    b[k].alg = a.name();
                    b[k].size = sz;
                    b[k].impl = k == 0 ? "ours" : "raw";
                    b[k].setup();
                    slice(b[k], 1_000_000_000L);
                }
                double[][] rates = new double[2][rounds];
                for (int r = 0; r < rounds; r++) {
                    for (int k = 0; k < 2; k++) {
                        rates[(k + r) % 2][r] = slice(b[(k + r) % 2], 200_000_000L);
                    }
                }
                double ours = median(rates[0]);
                double raw = median(rates[1]);
                System.out.printf("%-18s %5d %14.0f %14.0f %7.2f%n", a, sz, ours, raw, ours / raw);
            }
        }
    }

    /** Ops per second of this thread's CPU time, which time slices lost to other processes do not dilute. */
    private static double slice(AeadBench b, long nanos) throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = mx.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long ops = 0;
        long sink = 0;
        long now;
        do {
            for (int i = 0; i < 64; i++) {
                sink += b.sealOpen();
            }
            ops += 64;
            now = System.nanoTime();
        } while (now - start < nanos);
        if (sink == 42) {
            System.out.print("");
        }
        return ops * 1e9 / (mx.getCurrentThreadCpuTime() - cpuStart);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }
}
