package org.dtls4j.record;

import static org.dtls4j.record.ContentType.ALERT;
import static org.dtls4j.record.ContentType.APPLICATION_DATA;
import static org.dtls4j.record.ContentType.CHANGE_CIPHER_SPEC;
import static org.dtls4j.record.ContentType.HANDSHAKE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.dtls4j.crypto.AeadAlgorithm;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RecordLayerTest {
    static final AeadAlgorithm GCM = AeadAlgorithm.AES_128_GCM;
    static final long SECOND = 1_000_000_000L;

    final RecordLayerConfig config = RecordLayerConfig.builder().previousEpochRetentionNanos(10 * SECOND).build();
    final RecordLayer sender = new RecordLayer(config);
    final RecordLayer receiver = new RecordLayer(config);
    final Records.Sink sink = new Records.Sink();
    final byte[] datagram = new byte[20_000];

    /** Protects one record into a datagram of its own. */
    byte[] record(RecordLayer from, int epoch, int type, byte[] payload) throws DtlsException {
        int n = from.protect(epoch, type, payload, 0, payload.length, datagram, 0);
        return Arrays.copyOf(datagram, n);
    }

    int receive(byte[] d, long now) throws DtlsException {
        return Records.unprotect(receiver, d, 0, d.length, now, sink);
    }

    void enterEpoch1(AeadAlgorithm alg) {
        sender.installWriteEpoch(1, Records.cipher(alg, 1));
        receiver.installReadEpoch(1, Records.cipher(alg, 1), 0);
    }

    @ParameterizedTest
    @EnumSource(value = AeadAlgorithm.class, names = {"AES_128_GCM", "AES_256_GCM", "CHACHA20_POLY1305"})
    void roundTripsEpoch0AndEpoch1RecordsWithEachAead(AeadAlgorithm alg) throws DtlsException {
        byte[] hello = Records.payload(60, 1);
        byte[] clear = record(sender, 0, HANDSHAKE, hello);
        assertEquals(13 + 60, clear.length);
        assertArrayEquals(new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 60},
                Arrays.copyOf(clear, 13));
        assertEquals(1, receive(clear, 0));

        enterEpoch1(alg);
        byte[] data = Records.payload(1000, 2);
        byte[] sealed = record(sender, 1, APPLICATION_DATA, data);
        assertEquals(13 + 1000 + alg.overhead(), sealed.length);
        assertEquals(sealed.length, sender.protectedLength(1, 1000));
        assertEquals(1, receive(sealed, 0));

        assertEquals(List.of(HANDSHAKE, APPLICATION_DATA), sink.got.stream().map(Records.Got::type).toList());
        assertArrayEquals(hello, sink.got.get(0).payload());
        assertArrayEquals(data, sink.got.get(1).payload());
        assertEquals(1, sink.got.get(1).epoch());
        assertEquals(0, sink.got.get(1).seq());
        assertEquals(0, receiver.totalDrops());
    }

    /**
     * An idle connection must not pin what its last datagram was read from (a pooled or framework buffer):
     * once the cursor has walked a datagram, it no longer refers to it, and no drop counters or held-record
     * state exist for a peer that sent nothing wrong.
     */
    @Test
    void aWalkedDatagramIsLetGoAndAWellBehavedPeerCostsNoCounters() throws DtlsException {
        enterEpoch1(GCM);
        byte[] sealed = record(sender, 1, APPLICATION_DATA, Records.payload(100, 3));
        org.dtls4j.record.layer.RecordCursor c = receiver.open(sealed, 0, sealed.length, 0);
        assertTrue(c.next());
        assertTrue(c.buffer() == sealed, "the plaintext is read in place while the record is current");
        assertFalse(c.next());
        assertEquals(null, c.buffer());
        assertEquals(0, receiver.totalDrops());
        assertEquals(0, receiver.drops(DropReason.AUTH_FAILED));
        assertEquals(0, receiver.heldRecordCount());
    }

    @Test
    void packsAndReadsSeveralRecordsPerDatagram() throws DtlsException {
        enterEpoch1(GCM);
        int n = 0;
        for (int i = 0; i < 3; i++) {
            byte[] p = Records.payload(100 + i, i);
            n += sender.protect(1, APPLICATION_DATA, p, 0, p.length, datagram, n);
        }
        assertEquals(3, Records.unprotect(receiver, datagram, 0, n, 0, sink));
        assertEquals(List.of(0L, 1L, 2L), sink.got.stream().map(Records.Got::seq).toList());
        assertArrayEquals(Records.payload(102, 2), sink.got.get(2).payload());
    }

    @Test
    void opensFinishedBehindChangeCipherSpecInTheSameDatagramOnceTheHandlerInstallsKeys() throws DtlsException {
        int n = sender.protect(0, CHANGE_CIPHER_SPEC, new byte[] {1}, 0, 1, datagram, 0);
        sender.installWriteEpoch(1, Records.cipher(GCM, 1));
        n += sender.protect(1, HANDSHAKE, Records.payload(12, 9), 0, 12, datagram, n);
        RecordHandler engine = (type, epoch, seq, p, off, len) -> {
            sink.onRecord(type, epoch, seq, p, off, len);
            if (type == CHANGE_CIPHER_SPEC) {
                receiver.installReadEpoch(1, Records.cipher(GCM, 1), 0);
            }
        };
        assertEquals(2, Records.unprotect(receiver, datagram, 0, n, 0, engine));
        assertEquals(List.of(CHANGE_CIPHER_SPEC, HANDSHAKE), sink.got.stream().map(Records.Got::type).toList());
        assertEquals(0, receiver.totalDrops());
    }

    @Test
    void refusesToSendAtTheSequenceNumberLimit() throws DtlsException {
        enterEpoch1(GCM);
        long limit = (1L << 48) - 1;
        sender.setNextWriteSequence(1, limit - 2);
        byte[] a = record(sender, 1, APPLICATION_DATA, Records.payload(10, 1));
        byte[] b = record(sender, 1, APPLICATION_DATA, Records.payload(10, 2));
        assertThrows(SequenceNumberExhaustedException.class,
                () -> sender.protect(1, APPLICATION_DATA, new byte[1], 0, 1, datagram, 0));
        assertEquals(limit, sender.nextWriteSequence(), "a refused record consumes no number");
        assertEquals(1, receive(a, 0));
        assertEquals(1, receive(b, 0));
        assertEquals(limit - 1, sink.got.get(1).seq());
    }

    @Test
    void writesSequenceNumbersFromZeroInEachEpochAndKeepsThePreviousEpochWritable() throws DtlsException {
        record(sender, 0, HANDSHAKE, new byte[4]);
        record(sender, 0, HANDSHAKE, new byte[4]);
        sender.installWriteEpoch(1, Records.cipher(GCM, 1));
        assertEquals(0, sender.nextWriteSequence());
        byte[] retransmittedCcs = record(sender, 0, CHANGE_CIPHER_SPEC, new byte[] {1});
        assertEquals(2, retransmittedCcs[10], "epoch 0 continues its own numbering");
        sender.retirePreviousWriteEpoch();
        assertThrows(IllegalStateException.class, () -> record(sender, 0, HANDSHAKE, new byte[1]));
    }

    @Test
    void previousEpochOpensReorderedRecordsUntilItsRetentionExpires() throws DtlsException {
        byte[] late1 = record(sender, 0, HANDSHAKE, Records.payload(20, 1));
        byte[] late2 = record(sender, 0, HANDSHAKE, Records.payload(20, 2));
        receiver.installReadEpoch(1, Records.cipher(GCM, 1), 100 * SECOND);
        assertEquals(0, receiver.previousReadEpoch());
        assertEquals(1, receive(late1, 109 * SECOND));
        assertEquals(0, receive(late2, 110 * SECOND));
        assertEquals(1, receiver.drops(DropReason.RETIRED_EPOCH));
        assertEquals(-1, receiver.previousReadEpoch());
    }

    @Test
    void retiresThePreviousEpochOnExpireWithoutTraffic() {
        receiver.installReadEpoch(1, Records.cipher(GCM, 1), 0);
        receiver.expire(10 * SECOND - 1);
        assertEquals(0, receiver.previousReadEpoch());
        receiver.expire(10 * SECOND);
        assertEquals(-1, receiver.previousReadEpoch());
    }

    /** Delegates to a real cipher and remembers whether its keys were wiped. */
    static final class TrackingCipher extends org.dtls4j.crypto.RecordCipher {
        final org.dtls4j.crypto.RecordCipher inner;
        boolean destroyed;

        TrackingCipher(org.dtls4j.crypto.RecordCipher inner) {
            super(inner.algorithm());
            this.inner = inner;
        }

        @Override
        public int seal(long seq, byte[] aad, int aadOff, int aadLen, byte[] in, int inOff, int len, byte[] out, int outOff) {
            return inner.seal(seq, aad, aadOff, aadLen, in, inOff, len, out, outOff);
        }

        @Override
        public int open(long seq, byte[] aad, int aadOff, int aadLen, byte[] in, int inOff, int len, byte[] out,
                        int outOff) throws DtlsException {
            return inner.open(seq, aad, aadOff, aadLen, in, inOff, len, out, outOff);
        }

        @Override
        public void destroy() {
            destroyed = true;
            inner.destroy();
        }
    }

    @Test
    void destroysRetiredEpochKeys() {
        TrackingCipher read1 = new TrackingCipher(Records.cipher(GCM, 1));
        TrackingCipher read2 = new TrackingCipher(Records.cipher(GCM, 2));
        receiver.installReadEpoch(1, read1, 0);
        receiver.installReadEpoch(2, read2, SECOND);
        assertFalse(read1.destroyed, "epoch 1 is still the retained previous epoch");
        receiver.expire(11 * SECOND);
        assertTrue(read1.destroyed);
        assertFalse(read2.destroyed);

        TrackingCipher write1 = new TrackingCipher(Records.cipher(GCM, 1));
        sender.installWriteEpoch(1, write1);
        sender.installWriteEpoch(2, Records.cipher(GCM, 2));
        assertFalse(write1.destroyed, "kept for retransmitting the last flight");
        sender.retirePreviousWriteEpoch();
        assertTrue(write1.destroyed);
        receiver.destroy();
        assertTrue(read2.destroyed);
    }

    @Test
    void holdsNextEpochRecordsAndReleasesThemWhenItsKeysAreInstalled() throws DtlsException {
        byte[] ccs = record(sender, 0, CHANGE_CIPHER_SPEC, new byte[] {1});
        sender.installWriteEpoch(1, Records.cipher(GCM, 1));
        byte[] finished = record(sender, 1, HANDSHAKE, Records.payload(12, 5));
        assertEquals(0, receive(finished, 0), "held, not opened");
        assertEquals(1, receiver.heldRecordCount());
        assertEquals(0, receiver.totalDrops());
        RecordHandler engine = (type, epoch, seq, p, off, len) -> {
            sink.onRecord(type, epoch, seq, p, off, len);
            if (type == CHANGE_CIPHER_SPEC) {
                receiver.installReadEpoch(1, Records.cipher(GCM, 1), 0);
            }
        };
        assertEquals(2, Records.unprotect(receiver, ccs, 0, ccs.length, 0, engine));
        assertEquals(List.of(CHANGE_CIPHER_SPEC, HANDSHAKE), sink.got.stream().map(Records.Got::type).toList());
        assertArrayEquals(Records.payload(12, 5), sink.got.get(1).payload());
        assertEquals(0, receiver.heldRecordCount());
    }

    @Test
    void releasesHeldRecordsOnRequestWhenKeysArriveOutsideAReceive() throws DtlsException {
        sender.installWriteEpoch(1, Records.cipher(GCM, 1));
        receive(record(sender, 1, HANDSHAKE, Records.payload(12, 5)), 0);
        receiver.installReadEpoch(1, Records.cipher(GCM, 1), 0);
        assertEquals(1, Records.releaseHeld(receiver, 0, sink));
        assertEquals(1, sink.got.size());
    }

    @Test
    void neverOpensHeldRecordsWithTheWrongKeys() throws DtlsException {
        sender.installWriteEpoch(1, Records.cipher(GCM, 1));
        receive(record(sender, 1, HANDSHAKE, Records.payload(12, 5)), 0);
        receiver.installReadEpoch(1, Records.cipher(GCM, 7), 0);
        assertEquals(0, Records.releaseHeld(receiver, 0, sink));
        assertEquals(1, receiver.drops(DropReason.AUTH_FAILED));
        assertTrue(sink.got.isEmpty());
    }

    @Test
    void dropsHeldRecordsPastTheCountAndByteBounds() throws DtlsException {
        RecordLayer small = new RecordLayer(RecordLayerConfig.builder().maxHeldRecords(2).maxHeldBytes(1000).build());
        sender.installWriteEpoch(1, Records.cipher(GCM, 1));
        for (int i = 0; i < 3; i++) {
            byte[] r = record(sender, 1, HANDSHAKE, Records.payload(100, i));
            Records.unprotect(small, r, 0, r.length, 0, sink);
        }
        assertEquals(2, small.heldRecordCount());
        assertEquals(1, small.drops(DropReason.HELD_OVERFLOW));

        RecordLayer tight = new RecordLayer(RecordLayerConfig.builder().maxHeldRecords(8).maxHeldBytes(300).build());
        for (int i = 0; i < 3; i++) {
            byte[] r = record(sender, 1, HANDSHAKE, Records.payload(120, i));
            Records.unprotect(tight, r, 0, r.length, 0, sink);
        }
        assertEquals(1, tight.heldRecordCount(), "a second 157-byte record would pass 300 bytes");
        assertEquals(2, tight.drops(DropReason.HELD_OVERFLOW));
        assertTrue(sink.got.isEmpty());
    }

    @Test
    void dropsEpochsBeyondTheNextAndBeforeThePrevious() throws DtlsException {
        RecordLayer far = new RecordLayer(config);
        far.installWriteEpoch(1, Records.cipher(GCM, 1));
        far.installWriteEpoch(2, Records.cipher(GCM, 2));
        assertEquals(0, receive(record(far, 2, APPLICATION_DATA, new byte[5]), 0));
        assertEquals(1, receiver.drops(DropReason.UNKNOWN_EPOCH));

        byte[] old = record(sender, 0, HANDSHAKE, new byte[5]);
        receiver.installReadEpoch(1, Records.cipher(GCM, 1), 0);
        receiver.installReadEpoch(2, Records.cipher(GCM, 2), 0);
        assertEquals(0, receive(old, 0));
        assertEquals(1, receiver.drops(DropReason.RETIRED_EPOCH));
    }

    @Test
    void dropsReplaysAndTooOldRecordsOnlyAfterAuthentication() throws DtlsException {
        enterEpoch1(GCM);
        byte[] first = record(sender, 1, APPLICATION_DATA, new byte[5]);
        byte[] forged = first.clone();
        forged[forged.length - 1] ^= 1;
        assertEquals(0, receive(forged, 0));
        assertEquals(1, receive(first, 0), "a forgery of seq 0 did not mark the window");
        assertEquals(0, receive(first, 0));
        assertEquals(1, receiver.drops(DropReason.REPLAY));
        sender.setNextWriteSequence(1, 500);
        receive(record(sender, 1, APPLICATION_DATA, new byte[5]), 0);
        sender.setNextWriteSequence(1, 1);
        assertEquals(0, receive(record(sender, 1, APPLICATION_DATA, new byte[5]), 0));
        assertEquals(1, receiver.drops(DropReason.TOO_OLD));
    }

    @ParameterizedTest
    @EnumSource(value = AeadAlgorithm.class, names = {"AES_128_GCM", "AES_256_GCM", "CHACHA20_POLY1305"})
    void opensTheGenuineRecordAfterAForgeryWithTheSameSequenceNumber(AeadAlgorithm alg) throws DtlsException {
        enterEpoch1(alg);
        byte[] genuine = record(sender, 1, APPLICATION_DATA, Records.payload(30, 3));
        for (int i = 0; i < 2; i++) {
            byte[] forged = genuine.clone();
            forged[genuine.length - 1 - i] ^= 4;
            assertEquals(0, receive(forged, 0));
        }
        assertEquals(1, receive(genuine, 0));
        assertEquals(2, receiver.drops(DropReason.AUTH_FAILED));
        assertArrayEquals(Records.payload(30, 3), sink.got.get(0).payload());
    }

    @Test
    void deliversTheOpensslReplayTableThroughRealRecords() throws Exception {
        enterEpoch1(GCM);
        receive(record(sender, 1, HANDSHAKE, new byte[12]), 0); // the Finished at sequence number 0
        for (ReplayVectors.Step step : ReplayVectors.openssl()) {
            sender.setNextWriteSequence(1, step.seq());
            int got = receive(record(sender, 1, APPLICATION_DATA, Records.payload(8, (int) step.seq())), 0);
            assertEquals(step.delivered() ? 1 : 0, got, () -> "seq 0x" + Long.toHexString(step.seq()));
        }
        assertEquals(0, receiver.drops(DropReason.AUTH_FAILED));
    }

    @Test
    void acceptsDtls10RecordVersionOnlyForFirstFlightRecords() throws DtlsException {
        sender.setEpoch0WriteVersion(0xfeff);
        byte[] hello = record(sender, 0, HANDSHAKE, new byte[10]);
        assertEquals((byte) 0xff, hello[2]);
        assertEquals(1, receive(hello, 0));
        byte[] ccs = record(sender, 0, CHANGE_CIPHER_SPEC, new byte[] {1});
        assertEquals(0, receive(ccs, 0));
        byte[] tls = record(sender, 0, HANDSHAKE, new byte[10]);
        tls[1] = 3;
        tls[2] = 3;
        assertEquals(0, receive(tls, 0));
        assertEquals(2, receiver.drops(DropReason.BAD_VERSION));
    }

    @Test
    void skipsARecordOfUnknownTypeAndReadsTheNextOne() throws DtlsException {
        int n = sender.protect(0, HANDSHAKE, new byte[3], 0, 3, datagram, 0);
        datagram[0] = 99;
        n += sender.protect(0, ALERT, new byte[] {1, 0}, 0, 2, datagram, n);
        assertEquals(1, Records.unprotect(receiver, datagram, 0, n, 0, sink));
        assertEquals(ALERT, sink.got.get(0).type());
        assertEquals(1, receiver.drops(DropReason.UNKNOWN_CONTENT_TYPE));
    }

    @Test
    void dropsTheRestOfADatagramWhoseLengthRunsPastItsEnd() throws DtlsException {
        int n = sender.protect(0, HANDSHAKE, new byte[3], 0, 3, datagram, 0);
        n += sender.protect(0, HANDSHAKE, new byte[30], 0, 30, datagram, n);
        assertEquals(1, Records.unprotect(receiver, datagram, 0, n - 1, 0, sink));
        assertEquals(1, receiver.drops(DropReason.MALFORMED));
        assertEquals(0, Records.unprotect(receiver, datagram, 0, 12, 0, sink));
        assertEquals(2, receiver.drops(DropReason.MALFORMED));
    }

    @Test
    void dropsCleartextApplicationData() throws DtlsException {
        assertEquals(0, receive(record(sender, 0, APPLICATION_DATA, new byte[3]), 0));
        assertEquals(1, receiver.drops(DropReason.CLEARTEXT_APPLICATION_DATA));
    }

    @Test
    void dropsRecordsOverOurPlaintextLimit() throws DtlsException {
        RecordLayer strict = new RecordLayer(RecordLayerConfig.builder().maxPlaintext(512).build());
        strict.installReadEpoch(1, Records.cipher(GCM, 1), 0);
        assertEquals(0, Records.unprotect(strict, record(sender, 0, HANDSHAKE, new byte[513]), 0, 13 + 513, 0, sink));
        sender.installWriteEpoch(1, Records.cipher(GCM, 1));
        byte[] opened = record(sender, 1, APPLICATION_DATA, new byte[600]);
        assertEquals(0, Records.unprotect(strict, opened, 0, opened.length, 0, sink));
        byte[] huge = record(sender, 1, APPLICATION_DATA, new byte[1000]);
        assertEquals(0, Records.unprotect(strict, huge, 0, huge.length, 0, sink));
        assertEquals(3, strict.drops(DropReason.OVERSIZED));
        assertEquals(0, strict.drops(DropReason.AUTH_FAILED));
    }

    @Test
    void respectsThePeersRecordSizeLimitWhenSending() throws DtlsException {
        assertEquals(1 << 14, sender.maxSendPlaintext());
        assertThrows(IllegalArgumentException.class,
                () -> sender.protect(0, HANDSHAKE, new byte[(1 << 14) + 1], 0, (1 << 14) + 1, datagram, 0));
        sender.setPeerRecordSizeLimit(256);
        assertEquals(256, sender.maxSendPlaintext());
        record(sender, 0, HANDSHAKE, new byte[256]);
        assertThrows(IllegalArgumentException.class, () -> record(sender, 0, HANDSHAKE, new byte[257]));
        sender.setPeerRecordSizeLimit(65535);
        assertEquals(1 << 14, sender.maxSendPlaintext());
        assertThrows(IllegalArgumentException.class, () -> sender.setPeerRecordSizeLimit(63));
    }

    @Test
    void closesPastTheBadMacLimit() throws DtlsException {
        RecordLayer guarded = new RecordLayer(RecordLayerConfig.builder().badMacLimit(3).build());
        guarded.installReadEpoch(1, Records.cipher(GCM, 1), 0);
        sender.installWriteEpoch(1, Records.cipher(GCM, 1));
        for (int i = 0; i < 3; i++) {
            assertFalse(guarded.isBadMacLimitExceeded());
            byte[] forged = record(sender, 1, APPLICATION_DATA, new byte[20]);
            forged[20] ^= 0x40;
            Records.unprotect(guarded, forged, 0, forged.length, 0, sink);
        }
        assertTrue(guarded.isBadMacLimitExceeded());
        assertEquals(3, guarded.authenticationFailures());
        byte[] good = record(sender, 1, APPLICATION_DATA, new byte[20]);
        assertEquals(0, Records.unprotect(guarded, good, 0, good.length, 0, sink), "a closed layer opens nothing");
        assertEquals(1, guarded.drops(DropReason.CLOSED));
    }

    @Test
    void hasNoBadMacLimitByDefault() throws DtlsException {
        enterEpoch1(GCM);
        for (int i = 0; i < 200; i++) {
            byte[] forged = record(sender, 1, APPLICATION_DATA, new byte[20]);
            forged[13] ^= 1;
            receive(forged, 0);
        }
        assertFalse(receiver.isBadMacLimitExceeded());
        assertEquals(200, receiver.drops(DropReason.AUTH_FAILED));
        assertEquals(1, receive(record(sender, 1, APPLICATION_DATA, new byte[20]), 0));
    }

    @Test
    void validatesItsConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> RecordLayerConfig.builder().replayWindowSize(0).build());
        assertThrows(IllegalArgumentException.class, () -> RecordLayerConfig.builder().maxPlaintext(1 << 15).build());
        assertThrows(IllegalArgumentException.class, () -> RecordLayerConfig.builder().maxHeldRecords(-1).build());
        assertThrows(IllegalArgumentException.class, () -> RecordLayerConfig.builder().badMacLimit(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> RecordLayerConfig.builder().previousEpochRetentionNanos(-1).build());
        RecordLayerConfig d = RecordLayerConfig.defaults();
        assertEquals(64, d.replayWindowSize());
        assertEquals(0, d.badMacLimit());
        assertEquals(1 << 14, d.maxPlaintext());
        assertEquals(d, d.toBuilder().build());
        assertEquals(1024, RecordLayerConfig.builder().replayWindowSize(1024).build().replayWindowSize());
    }

    @Test
    void rejectsOutOfOrderEpochInstalls() {
        assertThrows(IllegalStateException.class, () -> receiver.installReadEpoch(2, Records.cipher(GCM, 2), 0));
        assertThrows(IllegalStateException.class, () -> sender.installWriteEpoch(0, Records.cipher(GCM, 0)));
    }
}
