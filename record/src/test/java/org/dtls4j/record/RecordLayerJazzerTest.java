package org.dtls4j.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.dtls4j.crypto.AeadAlgorithm;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.testkit.FuzzInput;
import org.dtls4j.testkit.FuzzSeeds;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.RecordPeek;
import org.dtls4j.wire.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Jazzer targets for the record codec and {@link RecordLayer#open} (docs/fuzzing.md). Plain
 * {@code mvn test} replays the seeds under {@code RecordLayerJazzerTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes one target.
 *
 * <p>{@link #unprotectDatagrams} input: a setup byte, then steps {@code [control u8][u16 length][datagram]}.
 * Setup bits 0-1 pick the AEAD, bit 2 a Connection ID, bit 3 installs epoch 1 from the start, bits 4-5 the
 * replay window, bit 6 a bad-MAC limit. Control bit 0 installs the next read epoch (up to 3) before the
 * datagram, bit 1 moves the clock past the previous epoch's retention, bit 2 puts the datagram at an
 * offset of a larger buffer. The AEAD keys are {@link Records#cipher}'s, so seeds sealed with them open;
 * the fuzzer cannot forge a tag, but it can reorder, replay, cut, join and re-frame genuine records.
 */
class RecordLayerJazzerTest {
    static final AeadAlgorithm[] AEADS = {AeadAlgorithm.AES_128_GCM, AeadAlgorithm.CHACHA20_POLY1305,
        AeadAlgorithm.AES_128_CCM, AeadAlgorithm.AES_128_CCM_8};
    static final int[] WINDOWS = {64, 1, 200, 2048};
    static final byte[] CID = {7, 7, 0, 1};
    static final long RETENTION = 1_000_000_000L;
    static final int SETUP_CID = 4;
    static final int SETUP_EPOCH1 = 8;
    static final int INSTALL = 1;
    static final int EXPIRE = 2;
    static final int OFFSET = 4;

    static RecordLayerConfig config(int setup) {
        return RecordLayerConfig.builder().maxHeldRecords(4).maxHeldBytes(1500)
                .previousEpochRetentionNanos(RETENTION).replayWindowSize(WINDOWS[setup >> 4 & 3])
                .badMacLimit((setup & 0x40) != 0 ? 4 : 0).cidPaddingBlock((setup & SETUP_CID) != 0 ? 16 : 0).build();
    }

    /** The plaintext every seed record of {@code epoch}/{@code seq} carries: what a genuine record must open to. */
    static byte[] genuine(int epoch, long seq, int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (epoch * 31 + seq * 7 + i);
        }
        return p;
    }

    @FuzzTest(maxDuration = "5m")
    void unprotectDatagrams(byte[] data) throws DtlsException {
        FuzzInput in = new FuzzInput(data);
        int setup = in.u8();
        AeadAlgorithm alg = AEADS[setup & 3];
        RecordLayerConfig cfg = config(setup);
        RecordLayer layer = new RecordLayer(cfg);
        if ((setup & SETUP_CID) != 0) {
            layer.setReadConnectionId(CID);
        }
        if ((setup & SETUP_EPOCH1) != 0) {
            layer.installReadEpoch(1, Records.cipher(alg, 1), 0);
        }
        Set<Long> seen = new HashSet<>();
        RecordHandler check = (type, epoch, seq, p, off, len) -> {
            assertTrue(ContentType.isKnown(type), () -> "delivered type " + type);
            assertTrue(len <= cfg.maxPlaintext(), "plaintext over the limit");
            if (epoch == 0) {
                // Epoch 0 has no MAC, so no replay window either: the handshake layer drops duplicates.
                assertNotEquals(ContentType.APPLICATION_DATA, type, "clear application data");
            } else {
                assertTrue(seen.add((long) epoch << 48 | seq), "record delivered twice");
                assertArrayEquals(genuine(epoch, seq, len), Arrays.copyOfRange(p, off, off + len),
                        "a record nobody sealed opened");
            }
        };
        long now = 0;
        while (in.hasRemaining()) {
            int control = in.u8();
            if ((control & INSTALL) != 0 && layer.readEpoch() < 3) {
                layer.installReadEpoch(layer.readEpoch() + 1, Records.cipher(alg, layer.readEpoch() + 1), now);
                Records.releaseHeld(layer, now, check);
            }
            if ((control & EXPIRE) != 0) {
                now += RETENTION;
            }
            byte[] d = in.chunk();
            int off = (control & OFFSET) != 0 ? 3 : 0;
            byte[] buf = new byte[d.length + 2 * off];
            System.arraycopy(d, 0, buf, off, d.length);
            long dropsBefore = layer.totalDrops();
            int heldBefore = layer.heldRecordCount();
            int got = Records.unprotect(layer, buf, off, d.length, now, check);
            long accounted = got + layer.totalDrops() - dropsBefore + Math.max(0, layer.heldRecordCount() - heldBefore);
            assertTrue(d.length == 0 || accounted >= 1, "a datagram vanished without a count");
            assertTrue(layer.heldRecordCount() <= cfg.maxHeldRecords(), "held records over the bound");
            assertTrue(layer.heldBytes() <= cfg.maxHeldBytes(), "held bytes over the bound");
            assertTrue(layer.previousReadEpoch() < 0 || layer.previousReadEpoch() == layer.readEpoch() - 1);
        }
    }

    /**
     * {@link RecordPeek} on one header: byte 0 is the expected CID length. A record that frames writes back
     * byte for byte through {@link RecordPeek#writeHeader}; one that does not peeks -1; nothing throws.
     */
    @FuzzTest(maxDuration = "1m")
    void recordHeaderCodec(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int cidLength = in.u8() % 17;
        byte[] rest = in.rest();
        int type = RecordPeek.type(rest, 0, rest.length);
        int cid = type == ContentType.TLS12_CID ? cidLength : 0;
        int headerLength = RecordPeek.headerLength(cid);
        int length = RecordPeek.recordLength(rest, 0, rest.length, cid);
        if (length < 0) {
            assertTrue(rest.length < headerLength
                    || RecordPeek.fragmentLength(rest, 0, rest.length, cid) > rest.length - headerLength);
            return;
        }
        byte[] out = new byte[length];
        int written = RecordPeek.writeHeader(out, 0, type, RecordPeek.version(rest, 0, rest.length),
                RecordPeek.epoch(rest, 0, rest.length), RecordPeek.sequenceNumber(rest, 0, rest.length),
                Arrays.copyOfRange(rest, RecordPeek.CID_OFFSET, RecordPeek.CID_OFFSET + cid), length - headerLength);
        assertEquals(headerLength, written);
        assertArrayEquals(Arrays.copyOf(rest, written), Arrays.copyOf(out, written));
    }

    /** The seeds still reach the deep states: genuine records open, early ones are held and released. */
    @Test
    void seedsReachOpenedHeldAndReplayedRecords() throws DtlsException {
        RecordLayer layer = replaySetup(SETUP_EPOCH1);
        Records.Sink sink = new Records.Sink();
        byte[] d = seedSender(SETUP_EPOCH1).datagram(1, ContentType.APPLICATION_DATA, 40, 60);
        assertEquals(2, Records.unprotect(layer, d, 0, d.length, 0, sink));
        assertEquals(0, Records.unprotect(layer, d, 0, d.length, 0, sink));
        assertEquals(2, layer.drops(DropReason.REPLAY));
        assertArrayEquals(genuine(1, 1, 60), sink.got.get(1).payload());
    }

    private static RecordLayer replaySetup(int setup) {
        RecordLayer layer = new RecordLayer(config(setup));
        layer.installReadEpoch(1, Records.cipher(AEADS[setup & 3], 1), 0);
        return layer;
    }

    /** Seals seed records with the targets' keys and genuine payloads. */
    static final class SeedSender {
        final RecordLayer layer;
        final AeadAlgorithm alg;

        SeedSender(int setup) {
            alg = AEADS[setup & 3];
            layer = new RecordLayer(config(setup));
            if ((setup & SETUP_CID) != 0) {
                layer.setWriteConnectionId(CID);
            }
        }

        /** One datagram of records of {@code type} in write epoch {@code epoch} (entered as needed). */
        byte[] datagram(int epoch, int type, int... lengths) throws DtlsException {
            while (layer.writeEpoch() < epoch) {
                layer.installWriteEpoch(layer.writeEpoch() + 1, Records.cipher(alg, layer.writeEpoch() + 1));
            }
            byte[] out = new byte[20_000];
            int n = 0;
            for (int len : lengths) {
                byte[] p = genuine(epoch, layer.nextWriteSequence(), len);
                n += layer.protect(epoch, type, p, 0, len, out, n);
            }
            return Arrays.copyOf(out, n);
        }
    }

    static SeedSender seedSender(int setup) {
        return new SeedSender(setup);
    }

    static byte[] step(int control, byte[] datagram) {
        return new Writer().u8(control).opaque16(datagram).toByteArray();
    }

    static byte[] join(int setup, byte[]... steps) {
        Writer w = new Writer().u8(setup);
        for (byte[] s : steps) {
            w.bytes(s);
        }
        return w.toByteArray();
    }

    @Test
    @EnabledIfSystemProperty(named = FuzzSeeds.PROPERTY, matches = ".+")
    void writeSeeds() throws DtlsException {
        String m = "unprotectDatagrams";
        SeedSender s0 = seedSender(0);
        byte[] hello = s0.datagram(0, ContentType.HANDSHAKE, 80);
        byte[] two = s0.datagram(0, ContentType.ALERT, 2);
        FuzzSeeds.write(getClass(), m, "epoch0-handshake-alert-replay",
                join(0, step(0, hello), step(OFFSET, two), step(0, hello)));

        for (int a = 0; a < AEADS.length; a++) {
            int setup = SETUP_EPOCH1 | a;
            SeedSender s = seedSender(setup);
            byte[] d1 = s.datagram(1, ContentType.APPLICATION_DATA, 30, 1, 100);
            byte[] d2 = s.datagram(1, ContentType.HANDSHAKE, 20);
            byte[] early = s.datagram(2, ContentType.HANDSHAKE, 12, 40);
            byte[] tampered = d2.clone();
            tampered[tampered.length - 1] ^= 1;
            FuzzSeeds.write(getClass(), m, "epoch1-" + AEADS[a].name().toLowerCase() + "-held-epoch2",
                    join(setup, step(0, d2), step(0, d1), step(0, tampered), step(0, early),
                            step(INSTALL, new byte[0]), step(EXPIRE, d1)));
        }

        int cid = SETUP_EPOCH1 | SETUP_CID | 1 | 0x10;
        SeedSender sc = seedSender(cid);
        FuzzSeeds.write(getClass(), m, "cid-chacha-window1",
                join(cid, step(0, sc.datagram(1, ContentType.APPLICATION_DATA, 5, 300)),
                        step(0, sc.datagram(1, ContentType.ALERT, 2)), step(OFFSET, hello)));

        int limit = SETUP_EPOCH1 | 0x40;
        SeedSender sl = seedSender(limit);
        byte[] bad = sl.datagram(1, ContentType.APPLICATION_DATA, 10);
        bad[bad.length - 3] ^= 0x10;
        FuzzSeeds.write(getClass(), m, "bad-mac-limit",
                join(limit, step(0, bad), step(0, bad), step(0, bad), step(0, bad), step(0, bad)));

        String h = "recordHeaderCodec";
        FuzzSeeds.write(getClass(), h, "plain-header", new Writer().u8(0).bytes(hello).toByteArray());
        FuzzSeeds.write(getClass(), h, "cid-header",
                new Writer().u8(CID.length).bytes(sc.datagram(1, ContentType.APPLICATION_DATA, 3)).toByteArray());
    }
}
