package org.dtls4j.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.dtls4j.crypto.AeadAlgorithm;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.wire.DtlsException;

/**
 * Hostile datagrams: random bytes and mutations of valid protected datagrams (bit flips, truncations,
 * length/epoch/sequence/type/version edits, duplicated and spliced records). Each try replays
 * {@value #DATAGRAMS_PER_TRY} datagrams through a fresh receiver, so a run covers
 * {@value #TRIES} x {@value #DATAGRAMS_PER_TRY} = 100,000 datagrams. The only outcomes allowed are
 * genuine records (byte-equal to what the sender protected, each at most once) and counted drops.
 */
class RecordLayerFuzzTest {
    static final int TRIES = 800;
    static final int DATAGRAMS_PER_TRY = 125;
    static final byte[] CID = {7, 7, 0, 1};

    static final AtomicLong DATAGRAMS = new AtomicLong();
    static final AtomicLong DELIVERED = new AtomicLong();
    static final AtomicLong DROPPED = new AtomicLong();
    static final AtomicLong AUTH_FAILED = new AtomicLong();

    record Sent(int type, byte[] payload) {
    }

    @Provide
    Arbitrary<AeadAlgorithm> workingAeads() {
        return Arbitraries.of(AeadAlgorithm.AES_128_GCM, AeadAlgorithm.AES_256_GCM, AeadAlgorithm.CHACHA20_POLY1305);
    }

    @Property(tries = TRIES)
    void hostileDatagramsYieldOnlyGenuineRecordsOrCountedDrops(@ForAll long seed, @ForAll boolean useCid,
            @ForAll("workingAeads") AeadAlgorithm alg) throws DtlsException {
        Random rnd = new Random(seed);
        RecordLayerConfig cfg = RecordLayerConfig.builder().maxHeldRecords(4).maxHeldBytes(2000)
                .replayWindowSize(1 + rnd.nextInt(256)).cidPaddingBlock(useCid ? rnd.nextInt(20) : 0).build();
        RecordLayer sender = new RecordLayer(cfg);
        RecordLayer receiver = new RecordLayer(cfg);
        if (useCid) {
            sender.setWriteConnectionId(CID);
            receiver.setReadConnectionId(CID);
        }
        Map<Long, Sent> sent = new HashMap<>();
        List<byte[]> pool = validDatagrams(sender, alg, rnd, sent);
        receiver.installReadEpoch(1, Records.cipher(alg, 1), 0);

        Set<Long> seen = new HashSet<>();
        RecordHandler check = (type, epoch, seq, p, off, len) -> {
            assertTrue(ContentType.isKnown(type), "delivered type " + type);
            assertTrue(len <= cfg.maxPlaintext());
            // Epoch 0 has no MAC, so it has no replay window to move (a forger could move it): repeats pass.
            assertTrue(epoch == 0 || seen.add((long) epoch << 48 | seq), "record delivered twice");
            if (epoch == 0) {
                assertNotEquals(ContentType.APPLICATION_DATA, type);
            } else {
                Sent s = sent.get((long) epoch << 48 | seq);
                assertNotNull(s, "a record nobody sent opened");
                assertEquals(s.type(), type);
                assertArrayEquals(s.payload(), Arrays.copyOfRange(p, off, off + len));
            }
        };
        long delivered = 0;
        for (int i = 0; i < DATAGRAMS_PER_TRY; i++) {
            if (i == DATAGRAMS_PER_TRY / 2) {
                receiver.installReadEpoch(2, Records.cipher(alg, 2), 0);
            }
            byte[] d = mutate(pool, rnd);
            long dropsBefore = receiver.totalDrops();
            int heldBefore = receiver.heldRecordCount();
            int got = Records.unprotect(receiver, d, 0, d.length, 0, check);
            long accounted = got + (receiver.totalDrops() - dropsBefore) + Math.max(0, receiver.heldRecordCount() - heldBefore);
            assertTrue(d.length == 0 || accounted >= 1, "a datagram vanished without a count");
            delivered += got;
        }
        DATAGRAMS.addAndGet(DATAGRAMS_PER_TRY);
        DELIVERED.addAndGet(delivered);
        DROPPED.addAndGet(receiver.totalDrops());
        AUTH_FAILED.addAndGet(receiver.drops(DropReason.AUTH_FAILED));
    }

    @AfterContainer
    static void coveredEnough() {
        System.out.printf("fuzz: %d datagrams, %d records delivered, %d drops (%d auth failures)%n",
                DATAGRAMS.get(), DELIVERED.get(), DROPPED.get(), AUTH_FAILED.get());
        assertTrue(DATAGRAMS.get() >= 100_000, "datagrams: " + DATAGRAMS.get());
        assertTrue(DELIVERED.get() > 1000, "delivered: " + DELIVERED.get());
        assertTrue(AUTH_FAILED.get() > 1000, "auth failures: " + AUTH_FAILED.get());
    }

    /** Datagrams of 1-3 records each in epochs 0, 1 and 2 (2's keys reach the receiver only midway). */
    static List<byte[]> validDatagrams(RecordLayer sender, AeadAlgorithm alg, Random rnd, Map<Long, Sent> sent)
            throws DtlsException {
        List<byte[]> pool = new ArrayList<>();
        byte[] buf = new byte[8192];
        int[] clearTypes = {ContentType.HANDSHAKE, ContentType.ALERT, ContentType.CHANGE_CIPHER_SPEC};
        for (int epoch = 0; epoch <= 2; epoch++) {
            if (epoch > 0) {
                sender.installWriteEpoch(epoch, Records.cipher(alg, epoch));
            }
            for (int d = 0; d < 8; d++) {
                int n = 0;
                for (int r = 1 + rnd.nextInt(3); r > 0; r--) {
                    int type = epoch == 0 ? clearTypes[rnd.nextInt(3)] : 20 + rnd.nextInt(4);
                    byte[] payload = new byte[rnd.nextInt(300)];
                    rnd.nextBytes(payload);
                    long seq = sender.nextWriteSequence();
                    n += sender.protect(epoch, type, payload, 0, payload.length, buf, n);
                    sent.put((long) epoch << 48 | seq, new Sent(type, payload));
                }
                pool.add(Arrays.copyOf(buf, n));
            }
        }
        return pool;
    }

    static byte[] mutate(List<byte[]> pool, Random rnd) {
        byte[] d = pool.get(rnd.nextInt(pool.size())).clone();
        switch (rnd.nextInt(12)) {
            case 0 -> { } // pristine: delivered once, then a replay
            case 1 -> {
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    d[rnd.nextInt(d.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 2 -> d = Arrays.copyOf(d, rnd.nextInt(d.length + 1));
            case 3 -> setByte(d, 11 + rnd.nextInt(6), rnd.nextInt(256)); // a length byte (with or without CID)
            case 4 -> setByte(d, 3 + rnd.nextInt(2), rnd.nextInt(4));     // epoch
            case 5 -> setByte(d, 5 + rnd.nextInt(6), rnd.nextInt(256));   // sequence number
            case 6 -> {
                byte[] other = pool.get(rnd.nextInt(pool.size()));
                byte[] both = Arrays.copyOf(d, d.length + other.length);
                System.arraycopy(other, 0, both, d.length, other.length);
                d = both;
            }
            case 7 -> {
                d = new byte[rnd.nextInt(200)];
                rnd.nextBytes(d);
            }
            case 8 -> setByte(d, 0, rnd.nextBoolean() ? 19 + rnd.nextInt(8) : rnd.nextInt(256));
            case 9 -> setByte(d, 1 + rnd.nextInt(2), rnd.nextBoolean() ? 0xff : rnd.nextInt(256));
            case 10 -> {
                byte[] tail = new byte[1 + rnd.nextInt(40)];
                rnd.nextBytes(tail);
                byte[] longer = Arrays.copyOf(d, d.length + tail.length);
                System.arraycopy(tail, 0, longer, d.length, tail.length);
                d = longer;
            }
            default -> d = plausibleHeaderWithJunk(rnd);
        }
        return d;
    }

    /** A well-framed record header (type 20..25, DTLS 1.2, epoch 0..3) over random content. */
    static byte[] plausibleHeaderWithJunk(Random rnd) {
        int len = rnd.nextInt(100);
        boolean cid = rnd.nextBoolean();
        int hdr = 13 + (cid ? CID.length : 0);
        byte[] d = new byte[hdr + len];
        rnd.nextBytes(d);
        d[0] = (byte) (cid ? ContentType.TLS12_CID : 20 + rnd.nextInt(4));
        d[1] = (byte) 0xfe;
        d[2] = (byte) 0xfd;
        d[3] = 0;
        d[4] = (byte) rnd.nextInt(4);
        if (cid) {
            System.arraycopy(CID, 0, d, 11, CID.length);
        }
        d[hdr - 2] = (byte) (len >>> 8);
        d[hdr - 1] = (byte) len;
        return d;
    }

    static void setByte(byte[] d, int i, int v) {
        if (i < d.length) {
            d[i] = (byte) v;
        }
    }
}
