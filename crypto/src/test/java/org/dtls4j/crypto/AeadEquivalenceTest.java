package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.CCMBlockCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * Our record ciphers agree byte for byte with Bouncy Castle's GCM, CCM and ChaCha20-Poly1305 under
 * DTLS 1.2's nonce rules, in both directions, and any change to what a record authenticates fails with
 * bad_record_mac. Plaintext sizes run 0..16384, skewed small so the run stays short.
 */
class AeadEquivalenceTest {

    /** One random record: algorithm, key, fixed IV, sequence number, AAD and plaintext. */
    record Case(AeadAlgorithm alg, byte[] key, byte[] iv, long seq, byte[] aad, byte[] plaintext) {
        @Override
        public String toString() {
            return alg + " seq=" + seq + " aad=" + aad.length + " pt=" + plaintext.length;
        }

        /** The 12-byte AEAD nonce DTLS 1.2 derives (RFC 5288 / RFC 6655 concatenate, RFC 7905 XORs). */
        byte[] nonce() {
            byte[] n = new byte[12];
            if (alg == AeadAlgorithm.CHACHA20_POLY1305) {
                System.arraycopy(iv, 0, n, 0, 12);
                for (int i = 0; i < 8; i++) {
                    n[4 + i] ^= (byte) (seq >>> (56 - 8 * i));
                }
            } else {
                System.arraycopy(iv, 0, n, 0, 4);
                RecordCipher.putLong(n, 4, seq);
            }
            return n;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.integers().between(0, 200)),
                Tuple.of(4, Arbitraries.integers().between(200, 2048)),
                Tuple.of(1, Arbitraries.integers().between(2048, 16384)),
                Tuple.of(1, Arbitraries.of(0, 1, 15, 16, 17, 16383, 16384)));
        return Combinators.combine(
                Arbitraries.of(AeadAlgorithm.class),
                Arbitraries.longs(),
                Arbitraries.longs(),
                Arbitraries.integers().between(0, 48),
                sizes).as((alg, seed, seq, aadLen, size) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    return new Case(alg, bytes(r, alg.keyLength()), bytes(r, alg.fixedIvLength()), seq,
                            bytes(r, aadLen), bytes(r, size));
                });
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void ourSealEqualsBouncyCastlesAndOpensThere(@ForAll("cases") Case c) throws Exception {
        Statistics.label("size").collect(c.plaintext.length <= 200 ? "0..200" : c.plaintext.length <= 2048 ? "..2K" : "..16K");
        RecordCipher ours = RecordCipher.create(c.alg, c.key, c.iv);
        int explicit = c.alg.explicitNonceLength();
        byte[] record = new byte[c.plaintext.length + c.alg.overhead()];
        assertEquals(record.length, ours.seal(c.seq, c.aad, 0, c.aad.length, c.plaintext, 0, c.plaintext.length, record, 0));
        byte[] bcSealed = bc(c, true, c.plaintext);
        assertArrayEquals(bcSealed, Arrays.copyOfRange(record, explicit, record.length));
        assertArrayEquals(c.plaintext, bc(c, false, Arrays.copyOfRange(record, explicit, record.length)));
        if (explicit > 0) {
            byte[] seqBytes = new byte[8];
            RecordCipher.putLong(seqBytes, 0, c.seq);
            assertArrayEquals(seqBytes, Arrays.copyOf(record, 8), "explicit nonce = epoch || sequence");
        }
        // In place: plaintext already at the ciphertext's position.
        byte[] buf = new byte[record.length];
        System.arraycopy(c.plaintext, 0, buf, explicit, c.plaintext.length);
        RecordCipher again = RecordCipher.create(c.alg, c.key, c.iv);
        again.seal(c.seq, c.aad, 0, c.aad.length, buf, explicit, c.plaintext.length, buf, 0);
        assertArrayEquals(record, buf);
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void bouncyCastleSealOpensInOurs(@ForAll("cases") Case c) throws Exception {
        byte[] bcSealed = bc(c, true, c.plaintext);
        byte[] record = new byte[c.alg.explicitNonceLength() + bcSealed.length];
        if (c.alg.explicitNonceLength() > 0) {
            RecordCipher.putLong(record, 0, c.seq);
        }
        System.arraycopy(bcSealed, 0, record, c.alg.explicitNonceLength(), bcSealed.length);
        RecordCipher ours = RecordCipher.create(c.alg, c.key, c.iv);
        byte[] out = new byte[record.length];
        assertEquals(c.plaintext.length, ours.open(c.seq, c.aad, 0, c.aad.length, record, 0, record.length, out, 0));
        assertArrayEquals(c.plaintext, Arrays.copyOf(out, c.plaintext.length));
        // Opening the same record again, in place, must work too (a forged copy may have come first).
        assertEquals(c.plaintext.length, ours.open(c.seq, c.aad, 0, c.aad.length, record, 0, record.length, record, 0));
        assertArrayEquals(c.plaintext, Arrays.copyOf(record, c.plaintext.length));
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void anyFlippedBitFailsWithBadRecordMac(@ForAll("cases") Case c, @ForAll long pick) throws DtlsException {
        RecordCipher sealer = RecordCipher.create(c.alg, c.key, c.iv);
        RecordCipher opener = RecordCipher.create(c.alg, c.key, c.iv);
        byte[] record = new byte[c.plaintext.length + c.alg.overhead()];
        sealer.seal(c.seq, c.aad, 0, c.aad.length, c.plaintext, 0, c.plaintext.length, record, 0);
        byte[] aad = c.aad.clone();
        long seq = c.seq;
        // Choose a bit in AAD || record; for ChaCha20 the sequence number stands in for the nonce.
        long bits = 8L * (aad.length + record.length) + (c.alg.explicitNonceLength() == 0 ? 64 : 0);
        long bit = Math.floorMod(pick, bits);
        if (bit < 8L * aad.length) {
            aad[(int) (bit / 8)] ^= (byte) (1 << (bit % 8));
        } else if (bit < 8L * (aad.length + record.length)) {
            long b = bit - 8L * aad.length;
            record[(int) (b / 8)] ^= (byte) (1 << (b % 8));
        } else {
            seq ^= 1L << (bit - 8L * (aad.length + record.length));
        }
        byte[] out = new byte[record.length];
        long s = seq;
        DtlsException e = assertThrows(DtlsException.class,
                () -> opener.open(s, aad, 0, aad.length, record, 0, record.length, out, 0));
        assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
        assertArrayEquals(new byte[out.length], out, "no plaintext released");
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void garbageOfAnyLengthFailsOnlyWithBadRecordMac(@ForAll("cases") Case c) {
        RecordCipher opener = RecordCipher.create(c.alg, c.key, c.iv);
        byte[] garbage = c.plaintext;
        byte[] out = new byte[garbage.length];
        DtlsException e = assertThrows(DtlsException.class,
                () -> opener.open(c.seq, c.aad, 0, c.aad.length, garbage, 0, garbage.length, out, 0));
        assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
    }

    /** Bouncy Castle's AEAD over the same nonce: returns ct || tag, or the plaintext. */
    private static byte[] bc(Case c, boolean encrypt, byte[] input) throws InvalidCipherTextException {
        AEADCipher cipher = switch (c.alg) {
            case AES_128_GCM, AES_256_GCM -> GCMBlockCipher.newInstance(AESEngine.newInstance());
            case AES_128_CCM, AES_128_CCM_8 -> CCMBlockCipher.newInstance(AESEngine.newInstance());
            case CHACHA20_POLY1305 -> new ChaCha20Poly1305();
        };
        cipher.init(encrypt, new AEADParameters(new KeyParameter(c.key), 8 * c.alg.tagLength(), c.nonce(), c.aad));
        byte[] out = new byte[cipher.getOutputSize(input.length)];
        int n = cipher.processBytes(input, 0, input.length, out, 0);
        n += cipher.doFinal(out, n);
        return Arrays.copyOf(out, n);
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
