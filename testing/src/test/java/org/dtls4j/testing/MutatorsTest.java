package org.dtls4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.junit.jupiter.api.Test;

class MutatorsTest {

    @Property(tries = 300)
    void aMutationChangesOneFieldOfOneRecordAndNothingElse(@ForAll("mutated") Tuple2<byte[], Mutation> pair) {
        byte[] datagram = pair.get1();
        Mutation m = pair.get2();
        byte[] out = m.bytes();
        assertEquals(datagram.length, out.length);
        int first = -1;
        int last = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] != datagram[i]) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        assertTrue(first >= 0, "nothing changed: " + m);
        assertTrue(last - first < 6, "changed bytes " + first + ".." + last + " span more than one field: " + m);
        assertTrue(m.description().matches("record \\d+: [a-z_]+ \\d+ -> \\d+"), m.description());
    }

    @Test
    void setWritesTheValueWhereTheDecodersReadIt() throws DtlsException {
        byte[] body = {1, 2, 3, 4, 5};
        WireRecord rec = WireRecord.of(ContentType.HANDSHAKE, 0xfefd, 0, 7,
                new HandshakeFragment(1, 5, 2, 0, body).encode());
        byte[] d = rec.encode();
        assertEquals(3, WireRecord.parseAll(Mutators.set(d, 0, Mutators.Field.RECORD_EPOCH, 3).bytes(), 0).get(0).epoch());
        assertEquals(0xfeff, WireRecord.parseAll(Mutators.set(d, 0, Mutators.Field.RECORD_VERSION, 0xfeff).bytes(), 0)
                .get(0).version());
        assertEquals((1L << 48) - 1, WireRecord.parseAll(Mutators.set(d, 0, Mutators.Field.RECORD_SEQUENCE_NUMBER,
                (1L << 48) - 1).bytes(), 0).get(0).sequenceNumber());
        assertEquals(9, fragment(Mutators.set(d, 0, Mutators.Field.MESSAGE_SEQ, 9).bytes()).messageSeq());
        Mutation offset = Mutators.set(d, 0, Mutators.Field.FRAGMENT_OFFSET, 1);
        assertEquals("record 0: fragment_offset 0 -> 1", offset.description());
        assertThrows(DtlsException.class, () -> fragment(offset.bytes()), "offset 1 + length 5 runs past a 5-byte message");
        assertEquals(7, Mutators.get(d, 0, Mutators.Field.RECORD_SEQUENCE_NUMBER));
        assertEquals(5, Mutators.get(d, 0, Mutators.Field.FRAGMENT_LENGTH));
    }

    @Test
    void handshakeFieldsExistOnlyInPlaintextHandshakeRecords() {
        byte[] ccs = WireRecord.of(ContentType.CHANGE_CIPHER_SPEC, 0xfefd, 0, 0, new byte[] {1}).encode();
        assertEquals(List.of(Mutators.Field.RECORD_TYPE, Mutators.Field.RECORD_VERSION, Mutators.Field.RECORD_EPOCH,
                Mutators.Field.RECORD_SEQUENCE_NUMBER, Mutators.Field.RECORD_LENGTH), Mutators.fieldsOf(ccs, 0));
        assertThrows(IllegalArgumentException.class, () -> Mutators.set(ccs, 0, Mutators.Field.MESSAGE_SEQ, 1));
        assertThrows(IllegalArgumentException.class, () -> Mutators.set(ccs, 1, Mutators.Field.RECORD_EPOCH, 1));
        assertThrows(IllegalArgumentException.class, () -> Mutators.set(ccs, 0, Mutators.Field.RECORD_EPOCH, 0x10000));
    }

    @Test
    void recordCountStopsAtATruncatedRecord() {
        byte[] one = WireRecord.of(ContentType.ALERT, 0xfefd, 0, 0, new byte[] {2, 10}).encode();
        byte[] two = WireRecord.datagram(List.of(WireRecord.of(ContentType.ALERT, 0xfefd, 0, 0, new byte[] {2, 10}),
                WireRecord.of(ContentType.ALERT, 0xfefd, 0, 1, new byte[] {1, 0})));
        assertEquals(1, Mutators.recordCount(one));
        assertEquals(2, Mutators.recordCount(two));
        assertEquals(1, Mutators.recordCount(java.util.Arrays.copyOf(two, two.length - 1)));
        assertEquals(0, Mutators.recordCount(new byte[12]));
        assertNotEquals(two.length, one.length);
    }

    @Provide
    Arbitrary<Tuple2<byte[], Mutation>> mutated() {
        return RecordArbitraries.record().list().ofMinSize(1).ofMaxSize(3).map(WireRecord::datagram)
                .flatMap(d -> Mutators.oneField(d).map(m -> Tuple.of(d, m)));
    }

    private static HandshakeFragment fragment(byte[] datagram) throws DtlsException {
        return HandshakeFragment.decode(new Reader(WireRecord.parseAll(datagram, 0).get(0).fragment()));
    }
}
