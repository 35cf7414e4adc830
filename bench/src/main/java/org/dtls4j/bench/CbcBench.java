package org.dtls4j.bench;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.crypto.BlockCipherAlgorithm;
import org.dtls4j.crypto.MacAlgorithm;
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
 * Seal + open of one CBC-HMAC record per operation (AES-128-CBC, HMAC-SHA256 or HMAC-SHA1) through
 * {@link RecordCipher}, encrypt-then-MAC or MAC-then-encrypt, beside raw {@code javax.crypto} doing the
 * same cipher and MAC work the plain way: one {@code AES/CBC/NoPadding} init per record with the record's
 * IV, one HMAC over the 13-byte header and the data, TLS padding by hand, and a plain (not constant-time)
 * padding check. Ours additionally makes its IV (one AES block) and, for MAC-then-encrypt, the Lucky
 * Thirteen filler compressions; the ratio shows what those cost.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar CbcBench -f 1 -wi 3 -i 5 -w 1s -r 1s};
 * compare {@code impl=ours} with {@code impl=raw} for each (mac, mode, size).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CbcBench {
    @Param({"HMAC_SHA256", "HMAC_SHA1"})
    public String mac;

    @Param({"etm", "mte"})
    public String mode;

    @Param({"100", "1024"})
    public int size;

    @Param({"ours", "raw"})
    public String impl;

    private RecordCipher sealer;
    private RecordCipher opener;
    private RawCbc raw;
    private byte[] plaintext;
    private final byte[] aad = new byte[13];
    private byte[] record;
    private byte[] opened;
    private long seq;
    private boolean ours;

    @Setup
    public void setup() throws GeneralSecurityException {
        MacAlgorithm macAlgorithm = MacAlgorithm.valueOf(mac);
        boolean etm = mode.equals("etm");
        ours = impl.equals("ours");
        SplittableRandom rnd = new SplittableRandom(42);
        byte[] key = new byte[16];
        byte[] macKey = new byte[macAlgorithm.length()];
        rnd.nextBytes(key);
        rnd.nextBytes(macKey);
        plaintext = new byte[size];
        rnd.nextBytes(plaintext);
        SecureRandom random = new SecureRandom();
        sealer = RecordCipher.createCbc(BlockCipherAlgorithm.AES_128_CBC, macAlgorithm, key, macKey, etm, random);
        opener = RecordCipher.createCbc(BlockCipherAlgorithm.AES_128_CBC, macAlgorithm, key, macKey, etm, random);
        raw = new RawCbc(key, macKey, macAlgorithm, etm);
        record = new byte[sealer.protectedLength(size)];
        opened = new byte[record.length];
        aad[8] = 23;
        aad[9] = (byte) 254;
        aad[10] = (byte) 253;
    }

    /** The MAC header of RFC 6347 §4.1.2.1 starts with epoch || sequence number. */
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
        return raw.open(aad, record, n, opened);
    }

    /** RFC 5246 §6.2.3.2 / RFC 7366 with one JDK Cipher init per record, the straightforward way. */
    private static final class RawCbc {
        private final SecretKeySpec key;
        private final Mac hmac;
        private final int macLength;
        private final boolean etm;
        private final Cipher enc = Cipher.getInstance("AES/CBC/NoPadding");
        private final Cipher dec = Cipher.getInstance("AES/CBC/NoPadding");
        private final byte[] iv = new byte[16];
        private final byte[] tag;

        RawCbc(byte[] k, byte[] macKey, MacAlgorithm mac, boolean etm) throws GeneralSecurityException {
            key = new SecretKeySpec(k, "AES");
            hmac = Mac.getInstance(mac.jcaName());
            hmac.init(new SecretKeySpec(macKey, mac.jcaName()));
            macLength = mac.length();
            tag = new byte[macLength];
            this.etm = etm;
        }

        int seal(long seq, byte[] aad, byte[] in, int len, byte[] out) throws GeneralSecurityException {
            // A counter IV: the cheapest unique IV (not unpredictable, which TLS requires; ours is).
            Arrays.fill(iv, (byte) 0);
            for (int i = 0; i < 8; i++) {
                iv[15 - i] = (byte) (seq >>> (8 * i));
            }
            System.arraycopy(iv, 0, out, 0, 16);
            System.arraycopy(in, 0, out, 16, len);
            int end = 16 + len;
            if (!etm) {
                setLength(aad, len);
                hmac.update(aad, 0, 13);
                hmac.update(out, 16, len);
                hmac.doFinal(out, end);
                end += macLength;
            }
            int pad = 15 - (end - 16) % 16;
            Arrays.fill(out, end, end + pad + 1, (byte) pad);
            end += pad + 1;
            enc.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            enc.doFinal(out, 16, end - 16, out, 16);
            if (etm) {
                setLength(aad, end);
                hmac.update(aad, 0, 13);
                hmac.update(out, 0, end);
                hmac.doFinal(out, end);
                end += macLength;
            }
            return end;
        }

        int open(byte[] aad, byte[] in, int len, byte[] out) throws GeneralSecurityException {
            int cipherLength = etm ? len - 16 - macLength : len - 16;
            if (etm) {
                setLength(aad, 16 + cipherLength);
                hmac.update(aad, 0, 13);
                hmac.update(in, 0, 16 + cipherLength);
                hmac.doFinal(tag, 0);
                if (!tagMatches(in, len - macLength)) {
                    throw new GeneralSecurityException("bad MAC");
                }
            }
            dec.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(in, 0, 16));
            dec.doFinal(in, 16, cipherLength, out, 0);
            int pad = out[cipherLength - 1] & 0xff;
            int content = cipherLength - pad - 1 - (etm ? 0 : macLength);
            for (int i = cipherLength - pad - 1; i < cipherLength; i++) {
                if ((out[i] & 0xff) != pad) {
                    throw new GeneralSecurityException("bad padding");
                }
            }
            if (!etm) {
                setLength(aad, content);
                hmac.update(aad, 0, 13);
                hmac.update(out, 0, content);
                hmac.doFinal(tag, 0);
                if (!tagMatches(out, content)) {
                    throw new GeneralSecurityException("bad MAC");
                }
            }
            return content;
        }

        private boolean tagMatches(byte[] b, int off) {
            int diff = 0;
            for (int i = 0; i < macLength; i++) {
                diff |= tag[i] ^ b[off + i];
            }
            return diff == 0;
        }

        private static void setLength(byte[] aad, int length) {
            aad[11] = (byte) (length >>> 8);
            aad[12] = (byte) length;
        }
    }
}
