package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dtls4j.crypto.testutil.Json;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof AEAD vectors through the record ciphers. For GCM and CCM the 12-byte nonce is salt(4) ||
 * explicit(8): opening {@code iv[4..12] || ct || tag} with salt {@code iv[0..4]} exercises exactly the
 * vector, and sealing with {@code seq = iv[4..12]} must reproduce it. For ChaCha20 the nonce is the fixed
 * IV XOR (0^4 || seq), so fixed IV = iv and seq = 0. CCM shapes DTLS does not use (other nonce and tag
 * sizes) run through the {@link Ccm} core.
 */
class WycheproofAeadTest {
    private static final AlertDescription BAD_RECORD_MAC = AlertDescription.BAD_RECORD_MAC;

    record Vector(int tcId, byte[] key, byte[] iv, byte[] aad, byte[] msg, byte[] ct, byte[] tag,
                  boolean valid, int tagBits) {
        byte[] ctTag() {
            return concat(ct, tag);
        }
    }

    @TestFactory
    Stream<DynamicTest> aesGcm() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Vector v : vectors("aes_gcm_test.json", 96, 128)) {
            tests.add(DynamicTest.dynamicTest("tc" + v.tcId, () -> checkSaltedRecord(
                    new GcmRecordCipher(AeadAlgorithm.AES_128_GCM, v.key, Arrays.copyOf(v.iv, 4)), v)));
        }
        assertTrue(tests.size() >= 190, "GCM 96-bit IV groups should give ~197 cases, got " + tests.size());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aesCcmThroughRecordCipher() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int tagBits : new int[] {128, 64}) {
            AeadAlgorithm alg = tagBits == 128 ? AeadAlgorithm.AES_128_CCM : AeadAlgorithm.AES_128_CCM_8;
            for (Vector v : vectors("aes_ccm_test.json", 96, tagBits)) {
                tests.add(DynamicTest.dynamicTest(alg + " tc" + v.tcId, () -> checkSaltedRecord(
                        new CcmRecordCipher(alg, v.key, Arrays.copyOf(v.iv, 4)), v)));
            }
        }
        assertTrue(tests.size() >= 250, "got " + tests.size());
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aesCcmCoreForEveryShape() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Vector v : vectors("aes_ccm_test.json", -1, -1)) {
            int nonceLen = v.iv.length;
            int tagLen = v.tagBits / 8;
            boolean legalShape = nonceLen >= 7 && nonceLen <= 13 && tagLen >= 4 && tagLen % 2 == 0;
            tests.add(DynamicTest.dynamicTest("n" + nonceLen + " t" + tagLen + " tc" + v.tcId, () -> {
                if (!legalShape) {
                    assertTrue(!v.valid, "Wycheproof marks illegal shapes invalid");
                    assertThrows(IllegalArgumentException.class, () -> new Ccm(v.key, nonceLen, tagLen));
                    return;
                }
                Ccm ccm = new Ccm(v.key, nonceLen, tagLen);
                byte[] ctTag = v.ctTag();
                byte[] out = new byte[v.msg.length];
                if (v.valid) {
                    assertEquals(v.msg.length, ccm.open(v.iv, 0, v.aad, 0, v.aad.length, ctTag, 0, ctTag.length, out, 0));
                    assertArrayEquals(v.msg, out);
                    byte[] sealed = new byte[ctTag.length];
                    ccm.seal(v.iv, 0, v.aad, 0, v.aad.length, v.msg, 0, v.msg.length, sealed, 0);
                    assertArrayEquals(ctTag, sealed);
                } else {
                    DtlsException e = assertThrows(DtlsException.class, () ->
                            ccm.open(v.iv, 0, v.aad, 0, v.aad.length, ctTag, 0, ctTag.length, out, 0));
                    assertEquals(BAD_RECORD_MAC, e.alert());
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> chaCha20Poly1305() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Vector v : vectors("chacha20_poly1305_test.json", 96, 128)) {
            tests.add(DynamicTest.dynamicTest("tc" + v.tcId, () -> {
                RecordCipher c = RecordCipher.create(AeadAlgorithm.CHACHA20_POLY1305, v.key, v.iv);
                byte[] record = v.ctTag();
                checkOpen(c, v, record);
                if (v.valid) {
                    byte[] sealed = new byte[record.length];
                    assertEquals(record.length, c.seal(0, v.aad, 0, v.aad.length, v.msg, 0, v.msg.length, sealed, 0));
                    assertArrayEquals(record, sealed);
                }
            }));
        }
        assertTrue(tests.size() >= 300, "got " + tests.size());
        return tests.stream();
    }

    /** GCM and CCM: nonce = salt || explicit, the explicit part read from the record. */
    private static void checkSaltedRecord(RecordCipher c, Vector v) throws DtlsException {
        byte[] record = concat(Arrays.copyOfRange(v.iv, 4, 12), v.ctTag());
        checkOpen(c, v, record);
        if (v.valid) {
            long seq = 0;
            for (int i = 4; i < 12; i++) {
                seq = seq << 8 | (v.iv[i] & 0xff);
            }
            byte[] sealed = new byte[record.length];
            assertEquals(record.length, c.seal(seq, v.aad, 0, v.aad.length, v.msg, 0, v.msg.length, sealed, 0));
            assertArrayEquals(record, sealed);
        }
    }

    /** Opens out of place and in place; an invalid vector must fail with bad_record_mac both ways. */
    private static void checkOpen(RecordCipher c, Vector v, byte[] record) throws DtlsException {
        byte[] out = new byte[record.length];
        byte[] inPlace = record.clone();
        if (v.valid) {
            assertEquals(v.msg.length, c.open(0, v.aad, 0, v.aad.length, record, 0, record.length, out, 0));
            assertArrayEquals(v.msg, Arrays.copyOf(out, v.msg.length));
            assertEquals(v.msg.length, c.open(0, v.aad, 0, v.aad.length, inPlace, 0, inPlace.length, inPlace, 0));
            assertArrayEquals(v.msg, Arrays.copyOf(inPlace, v.msg.length));
        } else {
            DtlsException e = assertThrows(DtlsException.class,
                    () -> c.open(0, v.aad, 0, v.aad.length, record, 0, record.length, out, 0));
            assertEquals(BAD_RECORD_MAC, e.alert());
            e = assertThrows(DtlsException.class,
                    () -> c.open(0, v.aad, 0, v.aad.length, inPlace, 0, inPlace.length, inPlace, 0));
            assertEquals(BAD_RECORD_MAC, e.alert());
            assertTrue(isZero(out), "no unauthenticated plaintext may be released");
        }
    }

    /** Vectors of the groups with the given IV and tag sizes in bits (-1: any). */
    static List<Vector> vectors(String file, int ivBits, int tagBits) {
        Map<?, ?> root = Json.resource("/wycheproof/" + file);
        List<Vector> out = new ArrayList<>();
        for (Object g : (List<?>) root.get("testGroups")) {
            Map<?, ?> group = (Map<?, ?>) g;
            int iv = number(group.get("ivSize"));
            int tag = number(group.get("tagSize"));
            if ((ivBits >= 0 && iv != ivBits) || (tagBits >= 0 && tag != tagBits)) {
                continue;
            }
            for (Object t : (List<?>) group.get("tests")) {
                Map<?, ?> m = (Map<?, ?>) t;
                String result = (String) m.get("result");
                if (result.equals("acceptable")) {
                    continue;
                }
                out.add(new Vector(number(m.get("tcId")), hex(m, "key"), hex(m, "iv"), hex(m, "aad"),
                        hex(m, "msg"), hex(m, "ct"), hex(m, "tag"), result.equals("valid"), tag));
            }
        }
        return out;
    }

    private static int number(Object o) {
        return ((java.math.BigDecimal) o).intValueExact();
    }

    private static byte[] hex(Map<?, ?> m, String k) {
        return Hex.decode((String) m.get(k));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
