package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncycastle.tls.TlsFatalAlert;
import org.dtls4j.crypto.testutil.BcCbcRecords;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/**
 * Our CBC record protection agrees with Bouncy Castle's {@code TlsBlockCipher} in both directions, with
 * and without encrypt_then_mac, for every plaintext length 0..1024: BC opens what we seal, and we open
 * what BC seals, including BC's randomly padded records (any valid padding must be accepted). Both
 * sides derive their keys from the same master secret, each with its own key-block code.
 */
class CbcEquivalenceTest {
    private static final short APPLICATION_DATA = 23;
    private static final List<CipherSuite> CBC =
            CipherSuite.negotiable().stream().filter(CipherSuite::isCbc).toList();

    /** One connection's keys seen from both implementations, and a record to protect. */
    record Case(CipherSuite suite, boolean etm, long seed, long seq64, int length) {
        @Override
        public String toString() {
            return suite + (etm ? " EtM" : " MtE") + " seq=" + Long.toHexString(seq64) + " len=" + length;
        }
    }

    /** Both sides keyed alike: ours writes as the client, BC reads as the server, and the reverse. */
    static final class Pair {
        final RecordCipher ourClientWrite;
        final RecordCipher ourServerWrite;
        final BcCbcRecords bcServer;

        Pair(CipherSuite suite, boolean etm, long seed) throws Exception {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] master = bytes(r, 48);
            byte[] clientRandom = bytes(r, 32);
            byte[] serverRandom = bytes(r, 32);
            KeyBlock kb = KeySchedule.keyBlock(suite, master, clientRandom, serverRandom);
            SecureRandom random = seeded(seed);
            ourClientWrite = RecordCipher.forSuite(suite, kb, true, etm, random);
            ourServerWrite = RecordCipher.forSuite(suite, kb, false, etm, random);
            bcServer = new BcCbcRecords(suite, master, clientRandom, serverRandom, true, etm, true, seeded(~seed));
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.of(CBC), Arbitraries.of(true, false), Arbitraries.longs(),
                Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.integers().between(0, 1024))
                .as(Case::new);
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void bouncyCastleOpensWhatWeSeal(@ForAll("cases") Case c) throws Exception {
        Pair p = new Pair(c.suite, c.etm, c.seed);
        byte[] plaintext = bytes(new SplittableRandom(c.seed + 1), c.length);
        byte[] record = seal(p.ourClientWrite, c.seq64, plaintext);
        assertArrayEquals(plaintext, p.bcServer.open(c.seq64, APPLICATION_DATA, record));
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void weOpenWhatBouncyCastleSealsWithRandomPadding(@ForAll("cases") Case c) throws Exception {
        Pair p = new Pair(c.suite, c.etm, c.seed);
        byte[] plaintext = bytes(new SplittableRandom(c.seed + 1), c.length);
        byte[] record = p.bcServer.seal(c.seq64, APPLICATION_DATA, plaintext);
        assertArrayEquals(plaintext, open(p.ourServerWrite, c.seq64, record));
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void anyFlippedBitOfABouncyCastleRecordFailsWithBadRecordMac(@ForAll("cases") Case c, @ForAll long pick)
            throws Exception {
        Pair p = new Pair(c.suite, c.etm, c.seed);
        byte[] record = p.bcServer.seal(c.seq64, APPLICATION_DATA, bytes(new SplittableRandom(c.seed), c.length));
        int bit = (int) Math.floorMod(pick, (long) record.length * 8);
        record[bit / 8] ^= (byte) (1 << (bit % 8));
        DtlsException e = assertThrows(DtlsException.class, () -> open(p.ourServerWrite, c.seq64, record));
        assertEquals(AlertDescription.BAD_RECORD_MAC, e.alert());
    }

    /** Every length 0..1024, each MAC and key size, both modes, both directions. */
    @Test
    void everyLengthUpTo1024AgreesBothWays() throws Exception {
        Random lengths = new Random(7);
        int padded = 0;
        for (CipherSuite suite : List.of(CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA, CipherSuite.TLS_PSK_WITH_AES_256_CBC_SHA,
                CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_PSK_WITH_AES_256_CBC_SHA384)) {
            for (boolean etm : new boolean[] {true, false}) {
                Pair p = new Pair(suite, etm, suite.code() * 31L + (etm ? 1 : 0));
                for (int len = 0; len <= 1024; len++) {
                    byte[] plaintext = new byte[len];
                    lengths.nextBytes(plaintext);
                    long seq = (1L << 48) | len;
                    byte[] ours = seal(p.ourClientWrite, seq, plaintext);
                    assertEquals(p.ourClientWrite.protectedLength(len), ours.length);
                    assertArrayEquals(plaintext, p.bcServer.open(seq, APPLICATION_DATA, ours), suite + " " + len);
                    byte[] theirs = p.bcServer.seal(seq, APPLICATION_DATA, plaintext);
                    assertTrue(theirs.length >= p.ourServerWrite.protectedLength(len));
                    padded += theirs.length > p.ourServerWrite.protectedLength(len) ? 1 : 0;
                    assertArrayEquals(plaintext, open(p.ourServerWrite, seq, theirs), suite + " " + len);
                }
            }
        }
        assertTrue(padded > 4000, "BC padded beyond the minimum in " + padded + " of 8200 records");
    }

    @Test
    void bouncyCastleRejectsOurRecordUnderAnotherSequenceNumber() throws Exception {
        Pair p = new Pair(CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256, false, 3);
        byte[] record = seal(p.ourClientWrite, 5, new byte[40]);
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> p.bcServer.open(6, APPLICATION_DATA, record));
        assertEquals(org.bouncycastle.tls.AlertDescription.bad_record_mac, e.getAlertDescription());
    }

    static byte[] seal(RecordCipher cipher, long seq64, byte[] plaintext) {
        byte[] out = new byte[cipher.protectedLength(plaintext.length)];
        int n = cipher.seal(seq64, aad(seq64), 0, 13, plaintext, 0, plaintext.length, out, 0);
        assertEquals(out.length, n);
        return out;
    }

    static byte[] open(RecordCipher cipher, long seq64, byte[] record) throws DtlsException {
        byte[] out = new byte[record.length];
        int n = cipher.open(seq64, aad(seq64), 0, 13, record, 0, record.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    /** seq_num || application_data || DTLS 1.2, with a length field the cipher fills in. */
    static byte[] aad(long seq64) {
        byte[] aad = new byte[13];
        RecordCipher.putLong(aad, 0, seq64);
        aad[8] = APPLICATION_DATA;
        aad[9] = (byte) 0xfe;
        aad[10] = (byte) 0xfd;
        return aad;
    }

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt();
        }
        return b;
    }

    static SecureRandom seeded(long seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed);
        return r;
    }
}
