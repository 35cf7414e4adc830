package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

/** Known answers for our CCM (RFC 3610 §8, NIST SP 800-38C Appendix C) and its record-layer rules. */
class CcmTest {
    private static final byte[] NIST_KEY = Hex.decode("404142434445464748494a4b4c4d4e4f");

    @Test
    void matchesAllTwentyFourRfc3610PacketVectors() throws Exception {
        List<String[]> rows = rfc3610Rows();
        assertEquals(24, rows.size());
        for (String[] f : rows) {
            int tagLen = Integer.parseInt(f[1]);
            checkKnownAnswer("RFC 3610 #" + f[0], Hex.decode(f[2]), Hex.decode(f[3]), tagLen,
                    Hex.decode(f[4]), Hex.decode(f[5]), Hex.decode(f[6]));
        }
    }

    @Test
    void matchesNistSp800_38cExamples() throws Exception {
        checkKnownAnswer("C.1", NIST_KEY, Hex.decode("10111213141516"), 4,
                Hex.decode("0001020304050607"), Hex.decode("20212223"), Hex.decode("7162015b4dac255d"));
        checkKnownAnswer("C.2", NIST_KEY, Hex.decode("1011121314151617"), 6,
                Hex.decode("000102030405060708090a0b0c0d0e0f"), Hex.decode("202122232425262728292a2b2c2d2e2f"),
                Hex.decode("d2a1f0e051ea5f62081a7792073d593d1fc64fbfaccd"));
        checkKnownAnswer("C.3", NIST_KEY, Hex.decode("101112131415161718191a1b"), 8,
                Hex.decode("000102030405060708090a0b0c0d0e0f10111213"),
                Hex.decode("202122232425262728292a2b2c2d2e2f3031323334353637"),
                Hex.decode("e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5484392fbc1b09951"));
        // C.4: 2^16 bytes of AAD (0x00..0xff repeated), which takes the 0xff 0xfe length encoding.
        byte[] aad = new byte[65536];
        for (int i = 0; i < aad.length; i++) {
            aad[i] = (byte) i;
        }
        checkKnownAnswer("C.4", NIST_KEY, Hex.decode("101112131415161718191a1b1c"), 14, aad,
                Hex.decode("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"),
                Hex.decode("69915dad1e84c6376a68c2967e4dab615ae0fd1faec44cc484828529463ccf72"
                        + "b4ac6bec93e8598e7f0dadbcea5b"));
    }

    /** Seal and open out of place and in place, and a one-bit change of the tag must fail. */
    private static void checkKnownAnswer(String name, byte[] key, byte[] nonce, int tagLen, byte[] aad,
                                         byte[] pt, byte[] expected) throws DtlsException {
        Ccm ccm = new Ccm(key, nonce.length, tagLen);
        byte[] out = new byte[pt.length + tagLen];
        assertEquals(expected.length, ccm.seal(nonce, 0, aad, 0, aad.length, pt, 0, pt.length, out, 0), name);
        assertArrayEquals(expected, out, name);
        byte[] buf = Arrays.copyOf(pt, expected.length);
        ccm.seal(nonce, 0, aad, 0, aad.length, buf, 0, pt.length, buf, 0);
        assertArrayEquals(expected, buf, name + " in place");
        byte[] back = new byte[pt.length];
        assertEquals(pt.length, ccm.open(nonce, 0, aad, 0, aad.length, expected, 0, expected.length, back, 0));
        assertArrayEquals(pt, back, name);
        ccm.open(nonce, 0, aad, 0, aad.length, buf, 0, buf.length, buf, 0);
        assertArrayEquals(pt, Arrays.copyOf(buf, pt.length), name + " open in place");
        byte[] forged = expected.clone();
        forged[forged.length - 1] ^= 1;
        byte[] sink = new byte[pt.length];
        DtlsException e = assertThrows(DtlsException.class,
                () -> ccm.open(nonce, 0, aad, 0, aad.length, forged, 0, forged.length, sink, 0));
        assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
        assertArrayEquals(new byte[pt.length], sink, name + ": no plaintext released on failure");
    }

    @Test
    void recordCipherUsesSaltAndSequenceAsTheNonce() throws DtlsException {
        // RFC 6655 §3: nonce = salt(4) || seq(8); the record carries seq in front of ct || tag.
        byte[] key = Hex.decode("000102030405060708090a0b0c0d0e0f");
        byte[] salt = Hex.decode("a0a1a2a3");
        long seq = 0x0001000000000005L;
        byte[] aad = Hex.decode("00010000000000051701fefd000a");
        byte[] pt = Hex.decode("48656c6c6f20444c5453");
        for (AeadAlgorithm alg : new AeadAlgorithm[] {AeadAlgorithm.AES_128_CCM, AeadAlgorithm.AES_128_CCM_8}) {
            RecordCipher c = RecordCipher.create(alg, key, salt);
            byte[] record = new byte[pt.length + alg.overhead()];
            assertEquals(record.length, c.seal(seq, aad, 0, aad.length, pt, 0, pt.length, record, 0));
            byte[] nonce = Hex.decode("a0a1a2a30001000000000005");
            byte[] expected = new byte[pt.length + alg.tagLength()];
            new Ccm(key, 12, alg.tagLength()).seal(nonce, 0, aad, 0, aad.length, pt, 0, pt.length, expected, 0);
            assertEquals("0001000000000005", Hex.encode(record, 0, 8));
            assertArrayEquals(expected, Arrays.copyOfRange(record, 8, record.length));
            // Open in place: the plaintext lands where the explicit nonce was.
            assertEquals(pt.length, c.open(0, aad, 0, aad.length, record, 0, record.length, record, 0));
            assertArrayEquals(pt, Arrays.copyOf(record, pt.length));
        }
    }

    @Test
    void sealsInPlaceWhenThePlaintextFollowsTheExplicitNonceSlot() throws DtlsException {
        byte[] key = new byte[16];
        RecordCipher c = RecordCipher.create(AeadAlgorithm.AES_128_CCM_8, key, new byte[4]);
        byte[] pt = "in-place record payload, longer than one block".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = new byte[pt.length + 16];
        c.seal(7, new byte[13], 0, 13, pt, 0, pt.length, expected, 0);
        byte[] buf = new byte[pt.length + 16];
        System.arraycopy(pt, 0, buf, 8, pt.length);
        RecordCipher c2 = RecordCipher.create(AeadAlgorithm.AES_128_CCM_8, key, new byte[4]);
        c2.seal(7, new byte[13], 0, 13, buf, 8, pt.length, buf, 0);
        assertArrayEquals(expected, buf);
    }

    @Test
    void refusesFragmentsShorterThanTheOverheadOrLongerThanTheTlsLimit() {
        for (AeadAlgorithm alg : new AeadAlgorithm[] {AeadAlgorithm.AES_128_CCM, AeadAlgorithm.AES_128_CCM_8}) {
            RecordCipher c = RecordCipher.create(alg, new byte[16], new byte[4]);
            byte[] big = new byte[CcmRecordCipher.MAX_FRAGMENT + 1];
            for (int len : new int[] {0, 1, 8, alg.overhead() - 1, big.length}) {
                DtlsException e = assertThrows(DtlsException.class,
                        () -> c.open(0, new byte[13], 0, 13, big, 0, len, big, 0));
                assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert(), alg + " len " + len);
            }
        }
    }

    @Test
    void emptyPlaintextStillAuthenticatesTheAad() throws DtlsException {
        RecordCipher c = RecordCipher.create(AeadAlgorithm.AES_128_CCM, new byte[16], new byte[4]);
        byte[] aad = new byte[13];
        byte[] record = new byte[24];
        assertEquals(24, c.seal(3, aad, 0, 13, new byte[0], 0, 0, record, 0));
        assertEquals(0, c.open(3, aad, 0, 13, record, 0, 24, new byte[0], 0));
        aad[12] = 1;
        assertThrows(DtlsException.class, () -> c.open(3, aad, 0, 13, record, 0, 24, new byte[0], 0));
    }

    @Test
    void constructorRefusesShapesCcmDoesNotDefine() {
        assertThrows(IllegalArgumentException.class, () -> new Ccm(new byte[16], 6, 16));
        assertThrows(IllegalArgumentException.class, () -> new Ccm(new byte[16], 14, 16));
        assertThrows(IllegalArgumentException.class, () -> new Ccm(new byte[16], 12, 2));
        assertThrows(IllegalArgumentException.class, () -> new Ccm(new byte[16], 12, 9));
        assertThrows(IllegalArgumentException.class, () -> new Ccm(new byte[16], 12, 18));
        assertThrows(IllegalArgumentException.class, () -> new Ccm(new byte[15], 12, 16));
    }

    @Test
    void refusesPayloadsThatOverflowTheLengthField() {
        // L = 2 (13-byte nonce): at most 2^16 - 1 bytes (RFC 3610 §2.1).
        Ccm ccm = new Ccm(new byte[16], 13, 8);
        byte[] big = new byte[1 << 16];
        assertThrows(IllegalArgumentException.class,
                () -> ccm.seal(new byte[13], 0, new byte[0], 0, 0, big, 0, big.length, new byte[big.length + 8], 0));
        DtlsException e = assertThrows(DtlsException.class,
                () -> ccm.open(new byte[13], 0, new byte[0], 0, 0, new byte[(1 << 16) + 8], 0, (1 << 16) + 8, big, 0));
        assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
    }

    @Test
    void matchesBouncyCastleAcrossStagingBufferBoundaries() throws Exception {
        // Ccm stages MAC input and in-place CTR data in 2 KB chunks: cover every way a record can straddle them.
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        byte[] key = new byte[16];
        r.nextBytes(key);
        byte[] nonce = new byte[12];
        r.nextBytes(nonce);
        for (int tagLen : new int[] {8, 16}) {
            Ccm ccm = new Ccm(key, 12, tagLen);
            for (int aadLen : new int[] {0, 13, 2030, 2048, 5000}) {
                byte[] aad = new byte[aadLen];
                r.nextBytes(aad);
                for (int len : new int[] {0, 1, 2000, 2015, 2016, 2017, 2032, 2047, 2048, 2049, 4095, 4096, 4097, 16384}) {
                    byte[] pt = new byte[len];
                    r.nextBytes(pt);
                    org.bouncycastle.crypto.modes.CCMModeCipher bc = org.bouncycastle.crypto.modes.CCMBlockCipher
                            .newInstance(org.bouncycastle.crypto.engines.AESEngine.newInstance());
                    bc.init(true, new org.bouncycastle.crypto.params.AEADParameters(
                            new org.bouncycastle.crypto.params.KeyParameter(key), 8 * tagLen, nonce, aad));
                    byte[] expected = new byte[len + tagLen];
                    bc.doFinal(expected, bc.processBytes(pt, 0, len, expected, 0));
                    String name = "tag " + tagLen + " aad " + aadLen + " len " + len;
                    byte[] buf = Arrays.copyOf(pt, len + tagLen + 8);
                    ccm.seal(nonce, 0, aad, 0, aadLen, buf, 0, len, buf, 0);
                    assertArrayEquals(expected, Arrays.copyOf(buf, len + tagLen), name);
                    // Open shifted left by 8 in place, as the record layer does.
                    System.arraycopy(buf, 0, buf, 8, len + tagLen);
                    assertEquals(len, ccm.open(nonce, 0, aad, 0, aadLen, buf, 8, len + tagLen, buf, 0), name);
                    assertArrayEquals(pt, Arrays.copyOf(buf, len), name);
                }
            }
        }
    }

    @Test
    void shortAndLongPayloadsInterleavedOnTwoKeysMatchBouncyCastle() throws Exception {
        // Payloads up to SHORT_PAYLOAD take their key stream from the CBC cipher and leave the set's CTR cipher
        // unkeyed; longer ones key it. Alternate both kinds, and two keys sharing the thread's cipher sets, so a
        // short record after a long one (and the reverse) on each key is checked against an independent CCM.
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        byte[][] keys = {new byte[16], new byte[16]};
        r.nextBytes(keys[0]);
        r.nextBytes(keys[1]);
        Ccm[] modes = {new Ccm(keys[0], 12, 8), new Ccm(keys[1], 12, 8)};
        byte[] aad = new byte[13];
        int[] lengths = {0, 1, 15, 16, 17, 24, 31, 32, 33, 48, 100, 2, 32, 64, 24, 1000, 31, 33, 16};
        for (int round = 0; round < lengths.length * 2; round++) {
            int k = round & 1;
            int len = lengths[round / 2];
            byte[] nonce = new byte[12];
            r.nextBytes(nonce);
            r.nextBytes(aad);
            byte[] pt = new byte[len];
            r.nextBytes(pt);
            org.bouncycastle.crypto.modes.CCMModeCipher bc = org.bouncycastle.crypto.modes.CCMBlockCipher
                    .newInstance(org.bouncycastle.crypto.engines.AESEngine.newInstance());
            bc.init(true, new org.bouncycastle.crypto.params.AEADParameters(
                    new org.bouncycastle.crypto.params.KeyParameter(keys[k]), 64, nonce, aad));
            byte[] expected = new byte[len + 8];
            bc.doFinal(expected, bc.processBytes(pt, 0, len, expected, 0));
            String name = "key " + k + " len " + len;
            byte[] buf = Arrays.copyOf(pt, len + 8);
            assertEquals(len + 8, modes[k].seal(nonce, 0, aad, 0, aad.length, buf, 0, len, buf, 0), name);
            assertArrayEquals(expected, buf, name);
            assertEquals(len, modes[k].open(nonce, 0, aad, 0, aad.length, buf, 0, len + 8, buf, 0), name);
            assertArrayEquals(pt, Arrays.copyOf(buf, len), name);
            if (len > 0) {
                // A flipped ciphertext bit of a short or long payload fails the tag, and nothing is released.
                byte[] bad = Arrays.copyOf(expected, len + 8);
                bad[0] ^= 1;
                byte[] target = new byte[len];
                DtlsException e = assertThrows(DtlsException.class,
                        () -> modes[k].open(nonce, 0, aad, 0, aad.length, bad, 0, len + 8, target, 0), name);
                assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
                assertArrayEquals(new byte[len], target, name);
            }
        }
    }

    private static List<String[]> rfc3610Rows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                CcmTest.class.getResourceAsStream("/ccm/rfc3610-packet-vectors.txt"), StandardCharsets.US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.trim().split("\\s+");
                    assertEquals(7, f.length, line);
                    rows.add(f);
                }
            }
        }
        return rows;
    }
}
