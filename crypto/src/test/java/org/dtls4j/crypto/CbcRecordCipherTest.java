package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CBC record protection against known-answer records built with the OpenSSL CLI
 * ({@code cbc/make-vectors.sh}), and its failure modes: any bad padding, bad MAC or bad length is the
 * same bad_record_mac with nothing left in the output; explicit IVs never repeat.
 */
class CbcRecordCipherTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] KEY = Hex.decode("000102030405060708090a0b0c0d0e0f");
    private static final byte[] MAC_KEY = Hex.decode("101112131415161718191a1b1c1d1e1f2021222324252627"
            + "28292a2b2c2d2e2f");

    /** One line of cbc-records.txt. */
    record Vector(MacAlgorithm mac, boolean etm, byte[] key, byte[] macKey, long seq64, int type, byte[] iv,
                  byte[] content, byte[] record) {
        static Vector parse(String line) {
            String[] f = line.split(" ");
            MacAlgorithm mac = MacAlgorithm.valueOf("HMAC_" + f[0]);
            return new Vector(mac, f[1].equals("etm"), Hex.decode(f[2]), Hex.decode(f[3]),
                    Long.parseUnsignedLong(f[4], 16), Integer.parseInt(f[5], 16), Hex.decode(f[6]),
                    f[7].equals("-") ? new byte[0] : Hex.decode(f[7]), Hex.decode(f[8]));
        }

        CbcRecordCipher cipher() {
            BlockCipherAlgorithm alg = key.length == 16 ? BlockCipherAlgorithm.AES_128_CBC : BlockCipherAlgorithm.AES_256_CBC;
            return (CbcRecordCipher) RecordCipher.createCbc(alg, mac, key, macKey, etm, RANDOM);
        }

        byte[] aad() {
            byte[] aad = new byte[13];
            RecordCipher.putLong(aad, 0, seq64);
            aad[8] = (byte) type;
            aad[9] = (byte) 0xfe;
            aad[10] = (byte) 0xfd;
            return aad;
        }
    }

    static java.util.List<Vector> vectors() throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                CbcRecordCipherTest.class.getResourceAsStream("/cbc/cbc-records.txt"), StandardCharsets.US_ASCII))) {
            return r.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).map(Vector::parse).toList();
        }
    }

    @Test
    void knownAnswerRecordsOpenAndMinimallyPaddedOnesSealBitForBit() throws Exception {
        int sealed = 0;
        int paddedBeyondMinimum = 0;
        for (Vector v : vectors()) {
            CbcRecordCipher c = v.cipher();
            byte[] out = new byte[v.record.length];
            int n = c.open(v.seq64, v.aad(), 0, 13, v.record, 0, v.record.length, out, 0);
            assertArrayEquals(v.content, Arrays.copyOf(out, n), v.toString());
            if (c.protectedLength(v.content.length) == v.record.length) {
                byte[] ours = new byte[v.record.length];
                assertEquals(v.record.length, c.sealWithIv(v.iv, v.aad(), 13, v.content, v.content.length, ours));
                assertArrayEquals(v.record, ours);
                sealed++;
            } else {
                paddedBeyondMinimum++;
            }
        }
        assertEquals(48, sealed);
        assertTrue(paddedBeyondMinimum >= 90, "records with up to 255 bytes of padding: " + paddedBeyondMinimum);
    }

    @Test
    void anyChangeToAKnownAnswerRecordFailsWithBadRecordMac() throws Exception {
        for (Vector v : vectors()) {
            for (int i = 0; i < v.record.length; i += 7) {
                byte[] forged = v.record.clone();
                forged[i] ^= 0x40;
                assertBadRecordMac(v.cipher(), v.aad(), forged);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void sealOpensInPlaceForEveryLengthAndProtectedLengthIsExact(boolean etm) throws Exception {
        RecordCipher c = cipher(MacAlgorithm.HMAC_SHA256, etm);
        for (int len = 0; len <= 300; len++) {
            byte[] plaintext = new byte[len];
            RANDOM.nextBytes(plaintext);
            byte[] buf = new byte[c.protectedLength(len)];
            assertTrue(buf.length <= len + c.overhead());
            System.arraycopy(plaintext, 0, buf, c.recordIvLength(), len);
            assertEquals(buf.length, c.seal(9, aad(9), 0, 13, buf, c.recordIvLength(), len, buf, 0));
            assertEquals(len, c.open(9, aad(9), 0, 13, buf, 0, buf.length, buf, 0));
            assertArrayEquals(plaintext, Arrays.copyOf(buf, len));
        }
    }

    /**
     * Connections on one thread share its bounded CBC cipher sets and its digests: with more connections than
     * sets, taking turns record by record and mixing hashes, each record is sealed and MACed under its own
     * keys (it opens with another instance of those keys, and with a neighbour's keys it fails).
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void moreConnectionsThanCachedCipherSetsTakeTurnsOnOneThread(boolean etm) throws Exception {
        int n = ThreadCiphers.MAX_SETS / 2 + 3; // two keys each: more keys than a thread's sets
        RecordCipher[] sealers = new RecordCipher[n];
        RecordCipher[] openers = new RecordCipher[n];
        for (int i = 0; i < n; i++) {
            MacAlgorithm mac = MacAlgorithm.values()[i % MacAlgorithm.values().length];
            byte[] key = new byte[16];
            Arrays.fill(key, (byte) i);
            byte[] macKey = new byte[mac.length()];
            Arrays.fill(macKey, (byte) ~i);
            sealers[i] = RecordCipher.createCbc(BlockCipherAlgorithm.AES_128_CBC, mac, key, macKey, etm, RANDOM);
            openers[i] = RecordCipher.createCbc(BlockCipherAlgorithm.AES_128_CBC, mac, key, macKey, etm, RANDOM);
        }
        byte[] plaintext = new byte[77];
        RANDOM.nextBytes(plaintext);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < n; i++) {
                byte[] record = new byte[sealers[i].protectedLength(plaintext.length)];
                sealers[i].seal(7, aad(7), 0, 13, plaintext, 0, plaintext.length, record, 0);
                byte[] out = new byte[record.length];
                assertEquals(plaintext.length, openers[i].open(7, aad(7), 0, 13, record, 0, record.length, out, 0));
                assertArrayEquals(plaintext, Arrays.copyOf(out, plaintext.length));
                RecordCipher neighbour = openers[(i + MacAlgorithm.values().length) % n];
                assertThrows(DtlsException.class,
                        () -> neighbour.open(7, aad(7), 0, 13, record, 0, record.length, new byte[record.length], 0));
            }
        }
    }

    @Test
    void explicitIvsNeverRepeatWithinOrAcrossCiphers() {
        RecordCipher a = cipher(MacAlgorithm.HMAC_SHA1, true);
        RecordCipher b = cipher(MacAlgorithm.HMAC_SHA1, true);
        Set<String> ivs = new HashSet<>();
        byte[] out = new byte[a.protectedLength(0)];
        for (int i = 0; i < 5000; i++) {
            a.seal(1, aad(1), 0, 13, new byte[0], 0, 0, out, 0); // the same seq every time: IVs still differ
            assertTrue(ivs.add(Hex.encode(Arrays.copyOf(out, 16))));
            b.seal(1, aad(1), 0, 13, new byte[0], 0, 0, out, 0);
            assertTrue(ivs.add(Hex.encode(Arrays.copyOf(out, 16))));
        }
    }

    /** MAC-then-encrypt records whose MAC is right but whose padding is not, built with raw JCA. */
    @Test
    void badPaddingUnderAGoodMacIsTheSameSilentFailureAsABadMac() throws Exception {
        MacAlgorithm mac = MacAlgorithm.HMAC_SHA256;
        byte[] content = new byte[30];
        byte[] goodPadding = {1, 1}; // 30 + 32 + 2 = 64
        assertEquals(30, openBytes(rawMte(mac, content, goodPadding, false), mac).length);
        assertBadRecordMac(cipher(mac, false), aad(5), rawMte(mac, content, new byte[] {1, 2}, false));
        assertBadRecordMac(cipher(mac, false), aad(5), rawMte(mac, content, new byte[] {2, 1}, false));
        byte[] longClaim = new byte[18];
        Arrays.fill(longClaim, (byte) 17);
        longClaim[17] = (byte) 200; // padding_length beyond the record
        assertBadRecordMac(cipher(mac, false), aad(5), rawMte(mac, new byte[14], longClaim, false));
        assertBadRecordMac(cipher(mac, false), aad(5), rawMte(mac, content, goodPadding, true));
    }

    /**
     * The masked, word-at-a-time padding check of MAC-then-encrypt: for every padding_length 0..255
     * under a good MAC, the record opens, and changing any one of its padding bytes (every position, a
     * different bit each time) fails it.
     */
    @Test
    void everyPaddingLengthOpensAndEveryWrongPaddingByteFails() throws Exception {
        MacAlgorithm mac = MacAlgorithm.HMAC_SHA1;
        RecordCipher c = cipher(mac, false);
        for (int padLength = 0; padLength <= 255; padLength++) {
            // Content bytes of value padLength right before the padding must not count as padding.
            byte[] content = new byte[(16 - (mac.length() + padLength + 1) % 16) % 16 + 16];
            Arrays.fill(content, (byte) padLength);
            byte[] padding = new byte[padLength + 1];
            Arrays.fill(padding, (byte) padLength);
            assertEquals(content.length, openBytes(c, rawMte(mac, content, padding, false)).length, "padding " + padLength);
            for (int i = 0; i <= padLength; i++) {
                byte[] wrong = padding.clone();
                wrong[i] ^= (byte) (1 << (i % 8));
                assertBadRecordMac(c, aad(5), rawMte(mac, content, wrong, false));
            }
        }
    }

    @Test
    void encryptThenMacRefusesBadPaddingBehindAGoodMac() throws Exception {
        MacAlgorithm mac = MacAlgorithm.HMAC_SHA1;
        byte[] plain = new byte[32];
        plain[31] = 3; // claims 3 padding bytes, but the bytes before it are 0
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        byte[] ct = aes(iv, plain);
        byte[] body = concat(iv, ct);
        byte[] record = concat(body, hmac(mac, concat(aadWithLength(5, body.length), body)));
        assertBadRecordMac(cipher(mac, true), aad(5), record);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shortOrMisalignedFragmentsFailWithBadRecordMac(boolean etm) {
        RecordCipher c = cipher(MacAlgorithm.HMAC_SHA384, etm);
        int min = c.protectedLength(0);
        for (int len : new int[] {0, 1, 15, 16, min - 16, min - 1, min + 1, min + 15}) {
            assertBadRecordMac(c, aad(1), new byte[len]);
        }
        assertBadRecordMac(c, aad(1), new byte[CcmRecordCipher.MAX_FRAGMENT + 16]);
    }

    private static void assertBadRecordMac(RecordCipher c, byte[] aad, byte[] record) {
        byte[] out = new byte[record.length + 16];
        Arrays.fill(out, (byte) 0x5a);
        DtlsException e = assertThrows(DtlsException.class, () -> c.open(5, aad, 0, 13, record, 0, record.length, out, 0));
        assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
        for (int i = 0; i < Math.max(0, record.length - 16); i++) {
            assertTrue(out[i] == 0 || out[i] == 0x5a, "unauthenticated plaintext left in the output");
        }
    }

    private static byte[] openBytes(byte[] record, MacAlgorithm mac) throws DtlsException {
        return openBytes(cipher(mac, false), record);
    }

    private static byte[] openBytes(RecordCipher c, byte[] record) throws DtlsException {
        byte[] out = new byte[record.length];
        int n = c.open(5, aad(5), 0, 13, record, 0, record.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    /** IV || AES-CBC(content || HMAC(header || content) || padding), with {@code macWrong} flipping a MAC bit. */
    static byte[] rawMte(MacAlgorithm mac, byte[] content, byte[] padding, boolean macWrong) throws Exception {
        byte[] tag = hmac(mac, concat(aadWithLength(5, content.length), content));
        if (macWrong) {
            tag[0] ^= 1;
        }
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        return concat(iv, aes(iv, concat(concat(content, tag), padding)));
    }

    static RecordCipher cipher(MacAlgorithm mac, boolean etm) {
        return RecordCipher.createCbc(BlockCipherAlgorithm.AES_128_CBC, mac, KEY, Arrays.copyOf(MAC_KEY, mac.length()),
                etm, RANDOM);
    }

    static byte[] aad(long seq64) {
        return aadWithLength(seq64, 0);
    }

    static byte[] aadWithLength(long seq64, int length) {
        byte[] aad = {0, 0, 0, 0, 0, 0, 0, 0, 23, (byte) 0xfe, (byte) 0xfd, (byte) (length >>> 8), (byte) length};
        RecordCipher.putLong(aad, 0, seq64);
        return aad;
    }

    static byte[] aes(byte[] iv, byte[] plain) throws Exception {
        Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(iv));
        return c.doFinal(plain);
    }

    static byte[] hmac(MacAlgorithm mac, byte[] data) throws Exception {
        Mac m = Mac.getInstance(mac.jcaName());
        m.init(new SecretKeySpec(Arrays.copyOf(MAC_KEY, mac.length()), mac.jcaName()));
        return m.doFinal(data);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
