package org.dtls4j.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.dtls4j.handshake.config.ReassemblyLimits;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

class FragmenterTest {
    /** 13-byte header; epoch 1+ adds AES-GCM's 8-byte explicit nonce and 16-byte tag. */
    static final Fragmenter.RecordOverhead GCM = epoch -> epoch == 0 ? 13 : 13 + 8 + 16;

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static List<HandshakeFragment> fragmentsOf(List<PlannedDatagram> plan) throws DtlsException {
        List<HandshakeFragment> out = new ArrayList<>();
        for (PlannedDatagram d : plan) {
            for (PlannedRecord r : d.records()) {
                if (r.contentType() == ContentType.HANDSHAKE) {
                    List<HandshakeFragment> fs = HandshakeFragment.decodeAll(r.payload(), 0, r.payload().length);
                    assertEquals(1, fs.size(), "one fragment per record");
                    out.addAll(fs);
                }
            }
        }
        return out;
    }

    static int wireSize(PlannedDatagram d, Fragmenter.RecordOverhead o) {
        return d.records().stream().mapToInt(r -> o.bytes(r.epoch()) + r.payload().length).sum();
    }

    @Test
    void splitsAMessageLargerThanTheBudgetIntoConsecutiveFragments() throws DtlsException {
        byte[] cert = bytes(3000, 1);
        List<PlannedDatagram> plan = Fragmenter.plan(
                List.of(FlightMessage.handshake(0, HandshakeType.CERTIFICATE, 2, cert)), 1000, GCM);
        List<HandshakeFragment> fs = fragmentsOf(plan);
        assertEquals(4, plan.size());
        int expectedOffset = 0;
        for (HandshakeFragment f : fs) {
            assertEquals(2, f.messageSeq());
            assertEquals(3000, f.length());
            assertEquals(expectedOffset, f.fragmentOffset());
            assertEquals(HandshakeType.CERTIFICATE, f.msgType());
            expectedOffset += f.fragmentLength();
        }
        assertEquals(3000, expectedOffset);
        assertEquals(1000 - 13 - 12, fs.get(0).fragmentLength());
        for (PlannedDatagram d : plan) {
            assertTrue(d.wireSize() <= 1000);
            assertEquals(wireSize(d, GCM), d.wireSize());
        }
    }

    @Test
    void smallMessagesOfAFlightShareOneDatagram() {
        List<FlightMessage> flight = List.of(
                FlightMessage.handshake(0, HandshakeType.SERVER_HELLO, 1, bytes(80, 2)),
                FlightMessage.handshake(0, HandshakeType.SERVER_KEY_EXCHANGE, 2, bytes(150, 3)),
                FlightMessage.handshake(0, HandshakeType.SERVER_HELLO_DONE, 3, new byte[0]));
        List<PlannedDatagram> plan = Fragmenter.plan(flight, 1400, GCM);
        assertEquals(1, plan.size());
        assertEquals(3, plan.get(0).records().size());
        assertEquals(3 * (13 + 12) + 80 + 150, plan.get(0).wireSize());
    }

    @Test
    void packsChangeCipherSpecAndNextEpochFinishedTogether() throws DtlsException {
        List<FlightMessage> flight = List.of(
                FlightMessage.handshake(0, HandshakeType.CLIENT_KEY_EXCHANGE, 2, bytes(33, 4)),
                new FlightMessage.ChangeCipherSpec(0),
                FlightMessage.handshake(1, HandshakeType.FINISHED, 3, bytes(12, 5)));
        List<PlannedDatagram> plan = Fragmenter.plan(flight, 1400, GCM);
        assertEquals(1, plan.size());
        List<PlannedRecord> records = plan.get(0).records();
        assertEquals(ContentType.CHANGE_CIPHER_SPEC, records.get(1).contentType());
        assertArrayEquals(new byte[] {1}, records.get(1).payload());
        assertEquals(0, records.get(1).epoch());
        assertEquals(1, records.get(2).epoch());
        assertEquals(13 + 12 + 33 + 13 + 1 + 13 + 8 + 16 + 12 + 12, plan.get(0).wireSize());
    }

    @Test
    void startsANewDatagramRatherThanSplittingOffASliver() throws DtlsException {
        List<FlightMessage> flight = List.of(
                FlightMessage.handshake(0, HandshakeType.SERVER_HELLO, 1, bytes(400, 6)),
                FlightMessage.handshake(0, HandshakeType.CERTIFICATE, 2, bytes(900, 7)));
        // After the ServerHello, 500 - 425 - 25 = 50 bytes remain: less than MIN_SPLIT.
        List<PlannedDatagram> plan = Fragmenter.plan(flight, 500, epoch -> 13);
        assertEquals(1, plan.get(0).records().size());
        HandshakeFragment first = fragmentsOf(plan).get(1);
        assertEquals(0, first.fragmentOffset());
        assertEquals(500 - 25, first.fragmentLength());
    }

    @Test
    void keepsEachRecordWithinTheRecordPayloadLimit() throws DtlsException {
        List<PlannedDatagram> plan = Fragmenter.plan(
                List.of(FlightMessage.handshake(0, HandshakeType.CERTIFICATE, 0, bytes(1000, 8))), 1400, GCM, 512);
        for (PlannedDatagram d : plan) {
            for (PlannedRecord r : d.records()) {
                assertTrue(r.payload().length <= 512);
            }
        }
        assertEquals(1000, fragmentsOf(plan).stream().mapToInt(HandshakeFragment::fragmentLength).sum());
    }

    @Test
    void refusesABudgetThatCannotHoldARecord() {
        assertThrows(IllegalArgumentException.class, () -> Fragmenter.plan(
                List.of(FlightMessage.handshake(0, HandshakeType.FINISHED, 0, bytes(12, 9))), 25, epoch -> 13));
    }

    @Property(tries = 200)
    void everyPlanFitsTheBudgetAndReassemblesToTheFlight(@ForAll long seed,
            @ForAll @IntRange(min = 60, max = 1500) int budget) throws DtlsException {
        Random rnd = new Random(seed);
        List<FlightMessage> flight = new ArrayList<>();
        List<RawMessage> expected = new ArrayList<>();
        int count = 1 + rnd.nextInt(6);
        for (int seq = 0; seq < count; seq++) {
            int epoch = seq == count - 1 && rnd.nextBoolean() ? 1 : 0;
            if (epoch == 1) {
                flight.add(new FlightMessage.ChangeCipherSpec(0));
            }
            RawMessage m = new RawMessage(1 + rnd.nextInt(20), seq, bytes(rnd.nextInt(4000), rnd.nextInt()));
            flight.add(new FlightMessage.Handshake(epoch, m));
            expected.add(m);
        }
        List<PlannedDatagram> plan = Fragmenter.plan(flight, budget, GCM);
        for (PlannedDatagram d : plan) {
            assertTrue(d.wireSize() <= budget, "datagram of " + d.wireSize() + " over budget " + budget);
            assertEquals(wireSize(d, GCM), d.wireSize());
        }
        Reassembler r = new Reassembler(new ReassemblyLimits(4000, 40_000, 8, 64));
        List<RawMessage> out = new ArrayList<>();
        for (HandshakeFragment f : fragmentsOf(plan)) {
            assertEquals(Reassembler.Offer.NEW_BYTES, r.offer(f));
            for (RawMessage m = r.poll(); m != null; m = r.poll()) {
                out.add(m);
            }
        }
        assertEquals(expected, out);
    }
}
