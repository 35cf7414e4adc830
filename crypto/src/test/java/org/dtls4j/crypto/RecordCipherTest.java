package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The RecordCipher contract, the same for every AEAD. */
class RecordCipherTest {
    private static final byte[] AAD = {0, 1, 0, 0, 0, 0, 0, 9, 23, (byte) 254, (byte) 253, 0, 5};

    private static RecordCipher cipher(AeadAlgorithm alg) {
        byte[] key = new byte[alg.keyLength()];
        Arrays.fill(key, (byte) 0x42);
        byte[] iv = new byte[alg.fixedIvLength()];
        Arrays.fill(iv, (byte) 0x17);
        return RecordCipher.create(alg, key, iv);
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void opensTheGenuineRecordAfterAForgedOneWithTheSameSequenceNumber(AeadAlgorithm alg) throws DtlsException {
        byte[] pt = {1, 2, 3, 4, 5};
        byte[] record = new byte[pt.length + alg.overhead()];
        cipher(alg).seal(0x0001000000000009L, AAD, 0, 13, pt, 0, pt.length, record, 0);
        RecordCipher opener = cipher(alg);
        byte[] forged = record.clone();
        forged[forged.length - 1] ^= 0x40;
        byte[] out = new byte[record.length];
        DtlsException e = assertThrows(DtlsException.class,
                () -> opener.open(0x0001000000000009L, AAD, 0, 13, forged, 0, forged.length, out, 0));
        assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
        assertEquals(pt.length, opener.open(0x0001000000000009L, AAD, 0, 13, record, 0, record.length, out, 0));
        assertArrayEquals(pt, Arrays.copyOf(out, pt.length));
        // And a duplicate of the genuine record still authenticates (the replay window, not the cipher, drops it).
        assertEquals(pt.length, opener.open(0x0001000000000009L, AAD, 0, 13, record, 0, record.length, out, 0));
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void fragmentsShorterThanTheOverheadFailWithBadRecordMac(AeadAlgorithm alg) {
        RecordCipher c = cipher(alg);
        byte[] buf = new byte[64];
        for (int len = 0; len < alg.overhead(); len++) {
            int n = len;
            DtlsException e = assertThrows(DtlsException.class, () -> c.open(0, AAD, 0, 13, buf, 0, n, buf, 0));
            assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert(), alg + " length " + len);
        }
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void sealingTheSameSequenceNumberTwiceInARowIsRefused(AeadAlgorithm alg) {
        RecordCipher c = cipher(alg);
        byte[] out = new byte[16 + alg.overhead()];
        c.seal(5, AAD, 0, 13, new byte[16], 0, 16, out, 0);
        assertThrows(IllegalStateException.class, () -> c.seal(5, AAD, 0, 13, new byte[16], 0, 16, out, 0));
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void sealedRecordsDifferPerSequenceNumberAndOpenInPlace(AeadAlgorithm alg) throws DtlsException {
        RecordCipher sealer = cipher(alg);
        RecordCipher opener = cipher(alg);
        byte[] pt = "the same payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] a = new byte[pt.length + alg.overhead()];
        byte[] b = new byte[pt.length + alg.overhead()];
        sealer.seal(1, AAD, 0, 13, pt, 0, pt.length, a, 0);
        sealer.seal(2, AAD, 0, 13, pt, 0, pt.length, b, 0);
        assertFalse(Arrays.equals(a, b));
        assertEquals(pt.length, opener.open(2, AAD, 0, 13, b, 0, b.length, b, 0));
        assertArrayEquals(pt, Arrays.copyOf(b, pt.length));
    }

    /**
     * GCM shares one JDK Cipher per thread between all its instances: records of two connections (two keys)
     * sealed and opened in turn on one thread must each open under their own key only, and two instances
     * made from one key block may seal the same sequence number one after the other (the thread's cipher
     * then steps over the JDK's same-key-and-nonce guard, which each instance keeps for itself).
     */
    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void instancesWithDifferentKeysInterleaveOnOneThread(AeadAlgorithm alg) throws DtlsException {
        byte[] otherKey = new byte[alg.keyLength()];
        Arrays.fill(otherKey, (byte) 0x24);
        RecordCipher a = cipher(alg);
        RecordCipher b = RecordCipher.create(alg, otherKey, new byte[alg.fixedIvLength()]);
        byte[] pt = {9, 8, 7, 6};
        byte[] ra = new byte[pt.length + alg.overhead()];
        byte[] rb = new byte[pt.length + alg.overhead()];
        byte[] out = new byte[ra.length];
        a.seal(3, AAD, 0, 13, pt, 0, pt.length, ra, 0);
        b.seal(3, AAD, 0, 13, pt, 0, pt.length, rb, 0);
        assertFalse(Arrays.equals(ra, rb));
        assertEquals(pt.length, cipher(alg).open(3, AAD, 0, 13, ra, 0, ra.length, out, 0));
        assertArrayEquals(pt, Arrays.copyOf(out, pt.length));
        assertThrows(DtlsException.class, () -> cipher(alg).open(3, AAD, 0, 13, rb, 0, rb.length, out, 0));
        byte[] again = new byte[ra.length];
        cipher(alg).seal(3, AAD, 0, 13, pt, 0, pt.length, again, 0);
        cipher(alg).seal(3, AAD, 0, 13, pt, 0, pt.length, again, 0);
        assertArrayEquals(ra, again);
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void createRefusesKeysAndIvsOfTheWrongLength(AeadAlgorithm alg) {
        assertThrows(IllegalArgumentException.class,
                () -> RecordCipher.create(alg, new byte[alg.keyLength() + 1], new byte[alg.fixedIvLength()]));
        assertThrows(IllegalArgumentException.class,
                () -> RecordCipher.create(alg, new byte[alg.keyLength()], new byte[alg.fixedIvLength() - 1]));
    }
}
