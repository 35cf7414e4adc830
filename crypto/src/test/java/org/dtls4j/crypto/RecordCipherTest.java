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

    /**
     * Connections sharing a thread share its bounded cipher sets (ThreadCiphers): with more connections than
     * sets, taking turns record by record, each record is still sealed under its own key (it opens with a
     * fresh instance of that key and with no other), so a re-keyed set never carries another key over.
     */
    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void moreConnectionsThanCachedCipherSetsTakeTurnsOnOneThread(AeadAlgorithm alg) throws DtlsException {
        int n = ThreadCiphers.MAX_SETS / 2 + 3; // two keys each: more keys than a thread's sets
        RecordCipher[] sealers = new RecordCipher[n];
        RecordCipher[] openers = new RecordCipher[n];
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[alg.keyLength()];
            Arrays.fill(key, (byte) i);
            byte[] iv = new byte[alg.fixedIvLength()];
            sealers[i] = RecordCipher.create(alg, key, iv);
            openers[i] = RecordCipher.create(alg, key, iv);
        }
        byte[] pt = {1, 2, 3, 4, 5, 6, 7};
        byte[] out = new byte[pt.length + alg.overhead()];
        for (long seq = 1; seq <= 3; seq++) {
            for (int i = 0; i < n; i++) {
                byte[] record = new byte[pt.length + alg.overhead()];
                sealers[i].seal(seq, AAD, 0, 13, pt, 0, pt.length, record, 0);
                assertEquals(pt.length, openers[i].open(seq, AAD, 0, 13, record, 0, record.length, out, 0));
                assertArrayEquals(pt, Arrays.copyOf(out, pt.length));
                RecordCipher neighbour = openers[(i + 1) % n];
                long s = seq;
                assertThrows(DtlsException.class, () -> neighbour.open(s, AAD, 0, 13, record, 0, record.length, out, 0));
            }
        }
    }

    /** Two threads sealing and opening under their own keys at once get the records a lone thread gets. */
    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void connectionsOnTwoThreadsAtOnceSealWhatOneThreadSeals(AeadAlgorithm alg) throws Exception {
        java.util.concurrent.Callable<byte[]> run = () -> {
            RecordCipher sealer = cipher(alg);
            RecordCipher opener = cipher(alg);
            byte[] digestInput = new byte[0];
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] pt = new byte[100];
            byte[] record = new byte[pt.length + alg.overhead()];
            byte[] out = new byte[record.length];
            for (long seq = 0; seq < 2000; seq++) {
                pt[0] = (byte) seq;
                sealer.seal(seq, AAD, 0, 13, pt, 0, pt.length, record, 0);
                sha.update(record);
                if (opener.open(seq, AAD, 0, 13, record, 0, record.length, out, 0) != pt.length || out[0] != pt[0]) {
                    throw new AssertionError("record " + seq + " did not open");
                }
            }
            return sha.digest(digestInput);
        };
        byte[] alone = run.call();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<byte[]> one = pool.submit(run);
            java.util.concurrent.Future<byte[]> two = pool.submit(run);
            assertArrayEquals(alone, one.get(60, java.util.concurrent.TimeUnit.SECONDS));
            assertArrayEquals(alone, two.get(60, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void createRefusesKeysAndIvsOfTheWrongLength(AeadAlgorithm alg) {
        assertThrows(IllegalArgumentException.class,
                () -> RecordCipher.create(alg, new byte[alg.keyLength() + 1], new byte[alg.fixedIvLength()]));
        assertThrows(IllegalArgumentException.class,
                () -> RecordCipher.create(alg, new byte[alg.keyLength()], new byte[alg.fixedIvLength() - 1]));
    }

    /**
     * A long-lived instance (GCM moves its key to a keyed per-thread cipher after its first records) seals and
     * opens exactly what a fresh instance does for every sequence number, interleaved with other keys' records.
     */
    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void aBusyInstanceSealsAndOpensLikeAFreshOne(AeadAlgorithm alg) throws DtlsException {
        RecordCipher sealer = cipher(alg);
        RecordCipher opener = cipher(alg);
        byte[] otherKey = new byte[alg.keyLength()];
        RecordCipher other = RecordCipher.create(alg, otherKey, new byte[alg.fixedIvLength()]);
        byte[] pt = new byte[100];
        for (int seq = 1; seq <= 20; seq++) {
            Arrays.fill(pt, (byte) seq);
            byte[] record = new byte[pt.length + alg.overhead()];
            byte[] fresh = record.clone();
            sealer.seal(seq, AAD, 0, 13, pt, 0, pt.length, record, 0);
            cipher(alg).seal(seq, AAD, 0, 13, pt, 0, pt.length, fresh, 0);
            assertArrayEquals(fresh, record, alg + " record " + seq);
            other.seal(seq, AAD, 0, 13, pt, 0, pt.length, new byte[record.length], 0); // another key in between
            byte[] out = new byte[record.length];
            assertEquals(pt.length, opener.open(seq, AAD, 0, 13, record, 0, record.length, out, 0));
            assertArrayEquals(pt, Arrays.copyOf(out, pt.length));
        }
        sealer.destroy();
        opener.destroy();
    }
}
