package org.dtls4j.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Hex;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;
import org.junit.jupiter.api.Test;

class RecordHeaderTest {

    @Property(tries = 300)
    void roundTripsEveryHeader(@ForAll @IntRange(min = 0, max = 255) int type,
                               @ForAll @IntRange(min = 0, max = 0xffff) int version,
                               @ForAll @IntRange(min = 0, max = 0xffff) int epoch,
                               @ForAll @LongRange(min = 0, max = (1L << 48) - 1) long seq,
                               @ForAll @Size(max = 20) byte[] cid,
                               @ForAll @IntRange(min = 0, max = 0xffff) int length) throws DtlsException {
        byte[] usedCid = type == ContentType.TLS12_CID ? cid : new byte[0];
        RecordHeader h = new RecordHeader(type, version, epoch, seq, usedCid, length);
        Writer w = new Writer();
        h.encode(w);
        byte[] wire = w.toByteArray();
        assertEquals(h.encodedLength(), wire.length);
        Reader r = new Reader(wire);
        assertEquals(h, RecordHeader.decode(r, usedCid.length));
        r.expectEnd();
        for (int cut = 0; cut < wire.length; cut++) {
            Reader shortReader = new Reader(wire, 0, cut);
            assertThrows(DtlsException.class, () -> RecordHeader.decode(shortReader, usedCid.length));
        }
    }

    @Test
    void decodesTheRfc6347LayoutByteForByte() throws DtlsException {
        byte[] wire = Hex.decode("17fefd0001000000000102" + "0010");
        RecordHeader h = RecordHeader.decode(new Reader(wire), 0);
        assertEquals(new RecordHeader(ContentType.APPLICATION_DATA, 0xfefd, 1, 0x102, null, 16), h);
    }

    @Test
    void decodesTheRfc9146LayoutWithTheNegotiatedCidLength() throws DtlsException {
        byte[] wire = Hex.decode("19fefd0002000000000005" + "a1b2c3" + "0020");
        RecordHeader h = RecordHeader.decode(new Reader(wire), 3);
        assertEquals(ContentType.TLS12_CID, h.type());
        assertArrayEquals(Hex.decode("a1b2c3"), h.connectionId());
        assertEquals(0x20, h.length());
        assertEquals(16, h.encodedLength());
    }

    @Test
    void rejectsOutOfRangeFields() {
        assertThrows(IllegalArgumentException.class, () -> new RecordHeader(22, 0xfefd, 0, 1L << 48, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new RecordHeader(22, 0xfefd, 0x10000, 0, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new RecordHeader(22, 0xfefd, 0, 0, null, 0x10000));
    }
}
