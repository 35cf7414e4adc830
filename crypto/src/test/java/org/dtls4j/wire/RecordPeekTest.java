package org.dtls4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The record-header peek: every field at its extremes, every truncation -1, never an exception. */
class RecordPeekTest {
    static final int[] U8_EXTREMES = {0, 1, 0xfe, 0xff};
    static final int[] U16_EXTREMES = {0, 1, 0xfffe, 0xffff};
    static final long[] U48_EXTREMES = {0, 1, RecordPeek.MAX_SEQUENCE_NUMBER - 1, RecordPeek.MAX_SEQUENCE_NUMBER};

    static byte[] record(int type, int version, int epoch, long seq, byte[] cid, int fragmentLength) {
        byte[] b = new byte[RecordPeek.headerLength(cid == null ? 0 : cid.length) + fragmentLength];
        RecordPeek.writeHeader(b, 0, type, version, epoch, seq, cid, fragmentLength);
        return b;
    }

    @Test
    void readsTheRfc6347HeaderLayout() {
        // content type 23, DTLS 1.2, epoch 1, sequence number 0x0102, length 3 (RFC 6347 §4.1 order).
        byte[] wire = Hex.decode("17fefd00010000000001020003aabbcc");
        int n = wire.length;
        assertEquals(23, RecordPeek.type(wire, 0, n));
        assertEquals(RecordPeek.DTLS_1_2, RecordPeek.version(wire, 0, n));
        assertEquals(1, RecordPeek.epoch(wire, 0, n));
        assertEquals(0x0102, RecordPeek.sequenceNumber(wire, 0, n));
        assertEquals(3, RecordPeek.fragmentLength(wire, 0, n, 0));
        assertEquals(16, RecordPeek.recordLength(wire, 0, n, 0));
        assertArrayEquals(wire, withFragment(record(23, RecordPeek.DTLS_1_2, 1, 0x0102, null, 3), 0xaa, 0xbb, 0xcc));
    }

    @Test
    void readsEveryFieldAtItsExtremes() {
        for (int type : U8_EXTREMES) {
            assertEquals(type, RecordPeek.type(record(type, 0, 0, 0, null, 0), 0, RecordPeek.HEADER_LENGTH));
        }
        for (int v : U16_EXTREMES) {
            byte[] version = record(0, v, 0, 0, null, 0);
            byte[] epoch = record(0, 0, v, 0, null, 0);
            byte[] length = record(0, 0, 0, 0, null, v);
            assertEquals(v, RecordPeek.version(version, 0, version.length));
            assertEquals(v, RecordPeek.epoch(epoch, 0, epoch.length));
            assertEquals(v, RecordPeek.fragmentLength(length, 0, length.length, 0));
            assertEquals(RecordPeek.HEADER_LENGTH + v, RecordPeek.recordLength(length, 0, length.length, 0));
        }
        for (long seq : U48_EXTREMES) {
            byte[] b = record(0, 0, 0, seq, null, 0);
            assertEquals(seq, RecordPeek.sequenceNumber(b, 0, b.length));
        }
    }

    @Test
    void readsAConnectionIdHeaderOfEveryLengthExtreme() {
        for (int cidLength : new int[] {0, 1, RecordPeek.MAX_CID_LENGTH - 1, RecordPeek.MAX_CID_LENGTH}) {
            byte[] cid = new byte[cidLength];
            Arrays.fill(cid, (byte) 0x5a);
            byte[] b = record(25, RecordPeek.DTLS_1_2, 2, 9, cid, 4);
            assertEquals(RecordPeek.headerLength(cidLength) + 4, b.length);
            assertEquals(4, RecordPeek.fragmentLength(b, 0, b.length, cidLength));
            assertEquals(b.length, RecordPeek.recordLength(b, 0, b.length, cidLength));
            assertArrayEquals(cid, Arrays.copyOfRange(b, RecordPeek.CID_OFFSET, RecordPeek.CID_OFFSET + cidLength));
        }
    }

    @Test
    void aHeaderCutAtAnyByteReadsAsMinusOne() {
        byte[] b = record(22, RecordPeek.DTLS_1_2, 0, 5, null, 0);
        for (int len = 0; len < RecordPeek.HEADER_LENGTH; len++) {
            assertFalse(RecordPeek.hasHeader(b, 0, len));
            assertEquals(-1, RecordPeek.type(b, 0, len));
            assertEquals(-1, RecordPeek.version(b, 0, len));
            assertEquals(-1, RecordPeek.epoch(b, 0, len));
            assertEquals(-1, RecordPeek.sequenceNumber(b, 0, len));
            assertEquals(-1, RecordPeek.fragmentLength(b, 0, len, 0));
            assertEquals(-1, RecordPeek.recordLength(b, 0, len, 0));
        }
        assertEquals(RecordPeek.HEADER_LENGTH, RecordPeek.recordLength(b, 0, RecordPeek.HEADER_LENGTH, 0));
    }

    @Test
    void aFragmentCutAtAnyByteFramesNoRecord() {
        byte[] b = record(23, RecordPeek.DTLS_1_2, 1, 1, new byte[] {1, 2, 3}, 40);
        for (int len = 0; len < b.length; len++) {
            assertEquals(-1, RecordPeek.recordLength(b, 0, len, 3), "cut at " + len);
        }
        assertEquals(b.length, RecordPeek.recordLength(b, 0, b.length, 3));
        assertEquals(-1, RecordPeek.fragmentLength(b, 0, RecordPeek.HEADER_LENGTH + 2, 3));
    }

    @Test
    void theLongestStatedFragmentFramesOnlyWhenEveryByteIsThere() {
        int max = RecordPeek.MAX_FRAGMENT_LENGTH;
        byte[] b = record(23, RecordPeek.DTLS_1_2, 1, 1, null, max);
        assertEquals(b.length, RecordPeek.recordLength(b, 0, b.length, 0));
        assertEquals(-1, RecordPeek.recordLength(b, 0, b.length - 1, 0));
    }

    @Test
    void rangesOutsideTheArrayReadAsMinusOneInsteadOfThrowing() {
        byte[] b = record(22, RecordPeek.DTLS_1_2, 0, 0, null, 0);
        int[][] ranges = {{-1, 13}, {0, -1}, {0, 14}, {1, 13}, {Integer.MAX_VALUE, 13}, {13, Integer.MAX_VALUE},
            {Integer.MIN_VALUE, 13}};
        for (int[] r : ranges) {
            assertEquals(-1, RecordPeek.type(b, r[0], r[1]));
            assertEquals(-1, RecordPeek.recordLength(b, r[0], r[1], 0));
            assertEquals(-1, RecordPeek.sequenceNumber(b, r[0], r[1]));
        }
        assertEquals(-1, RecordPeek.type(null, 0, 13));
        assertEquals(-1, RecordPeek.fragmentLength(b, 0, 13, -1));
        assertEquals(-1, RecordPeek.fragmentLength(b, 0, 13, RecordPeek.MAX_CID_LENGTH + 1));
    }

    @Test
    void readsTheSecondRecordOfADatagramAtItsOffset() {
        byte[] first = record(22, RecordPeek.DTLS_1_0, 0, 0, null, 5);
        byte[] second = record(21, RecordPeek.DTLS_1_2, 0, 1, null, 2);
        byte[] datagram = new byte[first.length + second.length];
        System.arraycopy(first, 0, datagram, 0, first.length);
        System.arraycopy(second, 0, datagram, first.length, second.length);
        int next = RecordPeek.recordLength(datagram, 0, datagram.length, 0);
        assertEquals(first.length, next);
        assertEquals(21, RecordPeek.type(datagram, next, datagram.length - next));
        assertEquals(1, RecordPeek.sequenceNumber(datagram, next, datagram.length - next));
        assertEquals(second.length, RecordPeek.recordLength(datagram, next, datagram.length - next, 0));
    }

    @Property
    void writtenHeadersPeekBackTheirFields(@ForAll @IntRange(max = 255) int type, @ForAll @IntRange(max = 0xffff) int version,
                                           @ForAll @IntRange(max = 0xffff) int epoch,
                                           @ForAll @LongRange(max = (1L << 48) - 1) long seq,
                                           @ForAll @Size(max = 20) byte[] cid, @ForAll @IntRange(max = 300) int length) {
        byte[] b = record(type, version, epoch, seq, cid, length);
        int n = b.length;
        assertEquals(type, RecordPeek.type(b, 0, n));
        assertEquals(version, RecordPeek.version(b, 0, n));
        assertEquals(epoch, RecordPeek.epoch(b, 0, n));
        assertEquals(seq, RecordPeek.sequenceNumber(b, 0, n));
        assertEquals(length, RecordPeek.fragmentLength(b, 0, n, cid.length));
        assertEquals(n, RecordPeek.recordLength(b, 0, n, cid.length));
    }

    @Property
    void noBytesMakeAPeekThrow(@ForAll @Size(max = 40) byte[] b, @ForAll @IntRange(min = -2, max = 41) int off,
                               @ForAll @IntRange(min = -2, max = 41) int len, @ForAll @IntRange(min = -1, max = 256) int cid) {
        int framed = RecordPeek.recordLength(b, off, len, cid);
        assertTrue(framed == -1 || framed >= RecordPeek.HEADER_LENGTH && framed <= len);
        RecordPeek.type(b, off, len);
        RecordPeek.sequenceNumber(b, off, len);
    }

    private static byte[] withFragment(byte[] header, int... fragment) {
        byte[] b = header.clone();
        for (int i = 0; i < fragment.length; i++) {
            b[b.length - fragment.length + i] = (byte) fragment[i];
        }
        return b;
    }
}
