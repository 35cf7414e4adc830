package org.dtls4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The wire codec: every value round-trips, every truncation is a decode_error, lengths back-fill. */
class ReaderWriterTest {

    /** One field of a random message: its kind and value. */
    record Field(int kind, long value, byte[] bytes) {
        void write(Writer w) {
            switch (kind) {
                case 0 -> w.u8((int) value);
                case 1 -> w.u16((int) value);
                case 2 -> w.u24((int) value);
                case 3 -> w.u32(value);
                case 4 -> w.u48(value);
                case 5 -> w.u64(value);
                case 6 -> w.opaque8(bytes);
                case 7 -> w.opaque16(bytes);
                case 8 -> w.opaque24(bytes);
                default -> w.bytes(bytes);
            }
        }

        void readAndCheck(Reader r) throws DtlsException {
            switch (kind) {
                case 0 -> assertEquals(value, r.u8());
                case 1 -> assertEquals(value, r.u16());
                case 2 -> assertEquals(value, r.u24());
                case 3 -> assertEquals(value, r.u32());
                case 4 -> assertEquals(value, r.u48());
                case 5 -> assertEquals(value, r.u64());
                case 6 -> assertArrayEquals(bytes, r.opaque8());
                case 7 -> assertArrayEquals(bytes, r.opaque16());
                case 8 -> assertArrayEquals(bytes, r.opaque24());
                default -> assertArrayEquals(bytes, r.bytes(bytes.length));
            }
        }
    }

    @Provide
    Arbitrary<Field> fields() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(255);
        Arbitrary<byte[]> medium = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0xff).map(v -> new Field(0, v, null)),
                Arbitraries.integers().between(0, 0xffff).map(v -> new Field(1, v, null)),
                Arbitraries.integers().between(0, 0xffffff).map(v -> new Field(2, v, null)),
                Arbitraries.longs().between(0, 0xffffffffL).map(v -> new Field(3, v, null)),
                Arbitraries.longs().between(0, 0xffffffffffffL).map(v -> new Field(4, v, null)),
                Arbitraries.longs().map(v -> new Field(5, v, null)),
                small.map(b -> new Field(6, 0, b)),
                medium.map(b -> new Field(7, 0, b)),
                medium.map(b -> new Field(8, 0, b)),
                medium.map(b -> new Field(9, 0, b)));
    }

    @Property(tries = 300)
    void everyFieldRoundTripsAndTheReaderEndsExactly(@ForAll @Size(max = 12) List<@net.jqwik.api.From("fields") Field> msg)
            throws DtlsException {
        byte[] wire = write(msg);
        Reader r = new Reader(wire);
        for (Field f : msg) {
            f.readAndCheck(r);
        }
        assertFalse(r.hasRemaining());
        r.expectEnd();
    }

    @Property(tries = 200)
    void everyTruncationIsADecodeError(@ForAll @Size(min = 1, max = 8) List<@net.jqwik.api.From("fields") Field> msg) {
        byte[] wire = write(msg);
        for (int cut = 0; cut < wire.length; cut++) {
            Reader r = new Reader(wire, 0, cut);
            DtlsException e = assertThrows(DtlsException.class, () -> {
                for (Field f : msg) {
                    f.readAndCheck(r);
                }
                r.expectEnd();
            }, "cut at " + cut);
            assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        }
    }

    @Property(tries = 100)
    void trailingBytesFailExpectEnd(@ForAll @Size(max = 6) List<@net.jqwik.api.From("fields") Field> msg,
                                    @ForAll @IntRange(min = 1, max = 5) int extra) throws DtlsException {
        byte[] body = write(msg);
        byte[] wire = java.util.Arrays.copyOf(body, body.length + extra);
        Reader r = new Reader(wire);
        for (Field f : msg) {
            f.readAndCheck(r);
        }
        assertEquals(extra, r.remaining());
        DtlsException e = assertThrows(DtlsException.class, r::expectEnd);
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
    }

    @Property(tries = 100)
    void backFilledVectorsNestAndReadBackAsSubReaders(@ForAll @Size(max = 300) byte[] inner,
                                                       @ForAll @Size(max = 40) byte[] tail) throws DtlsException {
        Writer w = new Writer(16);
        int outer = w.beginLength(3);
        int mid = w.beginLength(2);
        int in = w.beginLength(1);
        w.bytes(inner, 0, Math.min(inner.length, 255));
        w.endLength(in);
        w.endLength(mid);
        w.bytes(tail);
        w.endLength(outer);
        Reader r = new Reader(w.toByteArray());
        Reader o = r.sub24();
        r.expectEnd();
        Reader m = o.sub16();
        assertArrayEquals(java.util.Arrays.copyOf(inner, Math.min(inner.length, 255)), m.opaque8());
        m.expectEnd();
        assertArrayEquals(tail, o.bytes(tail.length));
        o.expectEnd();
    }

    @Property(tries = 100)
    void subReaderCannotReadPastItsVector(@ForAll @Size(max = 50) byte[] body, @ForAll @Size(min = 1, max = 50) byte[] after)
            throws DtlsException {
        byte[] wire = new Writer().opaque16(body).bytes(after).toByteArray();
        Reader r = new Reader(wire);
        Reader sub = r.sub16();
        assertEquals(body.length, sub.remaining());
        DtlsException e = assertThrows(DtlsException.class, () -> sub.bytes(body.length + 1));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        assertEquals(after.length, r.remaining());
    }

    @Test
    void lengthPrefixLongerThanTheDataIsADecodeError() {
        for (byte[] wire : new byte[][] {{5, 1, 2}, {0, 9, 1}, {0, 0, 4, 1, 2, 3}}) {
            Reader r = new Reader(wire);
            int width = wire[0] == 5 ? 1 : wire[1] == 9 ? 2 : 3;
            DtlsException e = assertThrows(DtlsException.class,
                    () -> { if (width == 1) r.opaque8(); else if (width == 2) r.opaque16(); else r.opaque24(); });
            assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        }
    }

    @Test
    void negativeCountsAreDecodeErrorsNotIndexExceptions() {
        Reader r = new Reader(new byte[8]);
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(DtlsException.class, () -> r.bytes(-1)).alert());
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(DtlsException.class, () -> r.skip(-1)).alert());
        assertEquals(AlertDescription.DECODE_ERROR, assertThrows(DtlsException.class, () -> r.sub(-1)).alert());
        assertEquals(8, r.remaining());
    }

    @Test
    void readerHonoursOffsetAndLimitAndReset() throws DtlsException {
        byte[] buf = {9, 1, 2, 3, 9};
        Reader r = new Reader(buf, 1, 3);
        assertEquals(1, r.position());
        assertEquals(4, r.limit());
        assertEquals(0x010203, r.u24());
        assertThrows(DtlsException.class, r::u8);
        r.reset(buf, 0, 1);
        assertEquals(9, r.u8());
        assertThrows(IndexOutOfBoundsException.class, () -> r.reset(buf, 3, 5));
    }

    @Test
    void endLengthRefusesABodyTooLongForItsPrefix() {
        Writer w = new Writer();
        int mark = w.beginLength(1);
        w.bytes(new byte[256]);
        assertThrows(IllegalArgumentException.class, () -> w.endLength(mark));
        // The refused vector stays open: the writer will not hand out bytes with a wrong length.
        assertThrows(IllegalStateException.class, w::toByteArray);
        Writer w2 = new Writer();
        int m2 = w2.beginLength(2);
        w2.bytes(new byte[65536]);
        assertThrows(IllegalArgumentException.class, () -> w2.endLength(m2));
        assertThrows(IllegalArgumentException.class, () -> new Writer().opaque8(new byte[256]));
        assertThrows(IllegalArgumentException.class, () -> new Writer().opaque16(new byte[65536]));
        assertThrows(IllegalArgumentException.class, () -> new Writer().opaque24(new byte[1 << 24]));
    }

    @Test
    void endLengthAcceptsTheLargestBodyThatFits() throws DtlsException {
        Writer w = new Writer();
        int mark = w.beginLength(1);
        w.bytes(new byte[255]);
        w.endLength(mark);
        assertEquals(255, new Reader(w.toByteArray()).opaque8().length);
    }

    @Test
    void vectorsMustCloseInsideOut() {
        Writer w = new Writer();
        int outer = w.beginLength(2);
        w.beginLength(1);
        assertThrows(IllegalStateException.class, () -> w.endLength(outer));
        assertThrows(IllegalStateException.class, w::toByteArray);
        assertThrows(IllegalArgumentException.class, () -> w.beginLength(4));
        assertThrows(IllegalArgumentException.class, () -> w.beginLength(0));
    }

    @Test
    void fixedWriterWritesAtItsOffsetAndRefusesToOverflow() {
        byte[] buf = new byte[6];
        Writer w = new Writer(buf, 2);
        w.u16(0xABCD).u8(7);
        assertEquals(3, w.size());
        assertEquals(5, w.position());
        assertArrayEquals(new byte[] {0, 0, (byte) 0xAB, (byte) 0xCD, 7, 0}, buf);
        assertThrows(IllegalStateException.class, () -> w.u16(1));
        assertThrows(IllegalStateException.class, () -> w.bytes(new byte[2]));
        assertSame(buf, w.array());
        w.reset().u32(0x01020304L);
        assertArrayEquals(new byte[] {0, 0, 1, 2, 3, 4}, buf);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, w.toByteArray());
    }

    @Test
    void growableWriterGrowsPastItsFirstCapacity() throws DtlsException {
        Writer w = new Writer(1);
        for (int i = 0; i < 1000; i++) {
            w.u16(i);
        }
        Reader r = new Reader(w.toByteArray());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, r.u16());
        }
        assertTrue(w.array().length >= 2000);
    }

    @Test
    void writerRefusesValuesOutsideTheirFieldInsteadOfTruncating() {
        Writer w = new Writer();
        w.u8(0).u8(255).u16(0).u16(0xFFFF).u24(0).u24(0xFFFFFF);
        assertEquals(12, w.size());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> w.u8(256));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> w.u8(-1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> w.u16(0x10000));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> w.u16(-1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> w.u24(0x1000000));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> w.u24(Integer.MIN_VALUE));
        // A refused value writes nothing.
        assertEquals(12, w.size());
    }

    private static void assertSame(Object a, Object b) {
        assertTrue(a == b);
    }

    private static byte[] write(List<Field> msg) {
        Writer w = new Writer(8);
        for (Field f : msg) {
            f.write(w);
        }
        return w.toByteArray();
    }
}
