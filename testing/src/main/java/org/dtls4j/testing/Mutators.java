package org.dtls4j.testing;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.RecordPeek;

/**
 * Breaks one header field of one record in a datagram, leaving every other byte as it was: the record
 * header's type, version, epoch, sequence number and length (RFC 6347 §4.1), and in a plaintext
 * handshake record the handshake header's msg_type, length, message_seq, fragment_offset and
 * fragment_length (RFC 6347 §4.2.2). Only the first handshake fragment of a record is touched.
 * Datagrams are read without Connection IDs.
 */
public final class Mutators {
    private Mutators() {
    }

    /** A header field a mutator can change, with its offset and width inside one record. */
    public enum Field {
        /** The record's content type, one byte. */
        RECORD_TYPE(0, 1),
        /** The record's protocol version, two bytes ({@code 0xfefd} for DTLS 1.2). */
        RECORD_VERSION(1, 2),
        /** The record's epoch, two bytes. */
        RECORD_EPOCH(3, 2),
        /** The record's sequence number, six bytes. */
        RECORD_SEQUENCE_NUMBER(5, 6),
        /** The record's fragment length, two bytes; changing it makes the record run short or long. */
        RECORD_LENGTH(RecordPeek.CID_OFFSET, 2),
        /** The handshake msg_type, one byte. */
        HANDSHAKE_TYPE(RecordPeek.HEADER_LENGTH, 1),
        /** The handshake length (of the whole message, not the fragment), three bytes. */
        HANDSHAKE_LENGTH(RecordPeek.HEADER_LENGTH + 1, 3),
        /** The handshake message_seq, two bytes. */
        MESSAGE_SEQ(RecordPeek.HEADER_LENGTH + 4, 2),
        /** The handshake fragment_offset, three bytes. */
        FRAGMENT_OFFSET(RecordPeek.HEADER_LENGTH + 6, 3),
        /** The handshake fragment_length, three bytes. */
        FRAGMENT_LENGTH(RecordPeek.HEADER_LENGTH + 9, 3);

        private final int offset;
        private final int width;

        Field(int offset, int width) {
            this.offset = offset;
            this.width = width;
        }

        /** {@return the bytes of the field on the wire} */
        public int width() {
            return width;
        }

        /** {@return the largest value the field can hold} */
        public long max() {
            return (1L << (8 * width)) - 1;
        }

        /** {@return true for the fields of the handshake header, which only plaintext handshake records have} */
        public boolean inHandshakeHeader() {
            return offset >= RecordPeek.HEADER_LENGTH;
        }
    }

    /**
     * {@code datagram} with {@code field} of record {@code recordIndex} set to {@code value}.
     *
     * @param datagram the datagram, left unchanged
     * @param recordIndex which record, 0 for the first
     * @param field the field to set
     * @param value the new value, 0..{@link Field#max()}
     * @return the mutated copy, described as {@code "record i: field old -> new"}
     * @throws IllegalArgumentException when the datagram has no such record, the record has no such
     *         field (a handshake field of a record that is not a plaintext handshake record), or the value
     *         does not fit the field
     */
    public static Mutation set(byte[] datagram, int recordIndex, Field field, long value) {
        if (value < 0 || value > field.max()) {
            throw new IllegalArgumentException(field + " value " + value + " does not fit " + field.width() + " bytes");
        }
        int start = recordStart(datagram, recordIndex);
        if (field.inHandshakeHeader() && !hasHandshakeHeader(datagram, start)) {
            throw new IllegalArgumentException("record " + recordIndex + " has no plaintext handshake header");
        }
        int at = start + field.offset;
        long old = read(datagram, at, field.width);
        byte[] out = datagram.clone();
        for (int i = field.width - 1; i >= 0; i--) {
            out[at + i] = (byte) value;
            value >>>= 8;
        }
        return new Mutation(out, "record " + recordIndex + ": " + field.name().toLowerCase() + " " + old + " -> "
                + read(out, at, field.width));
    }

    /**
     * Reads one field of one record.
     *
     * @param datagram the datagram
     * @param recordIndex which record, 0 for the first
     * @param field the field to read
     * @return the current value of {@code field} in record {@code recordIndex}
     * @throws IllegalArgumentException when the datagram has no such record or the record has no such field
     */
    public static long get(byte[] datagram, int recordIndex, Field field) {
        int start = recordStart(datagram, recordIndex);
        if (field.inHandshakeHeader() && !hasHandshakeHeader(datagram, start)) {
            throw new IllegalArgumentException("record " + recordIndex + " has no plaintext handshake header");
        }
        return read(datagram, start + field.offset, field.width);
    }

    /**
     * Lists the fields one record has: the record header's always, the handshake header's only in a
     * plaintext handshake record.
     *
     * @param datagram the datagram
     * @param recordIndex which record, 0 for the first
     * @return the fields of record {@code recordIndex} in wire order
     * @throws IllegalArgumentException when the datagram has no such record
     */
    public static List<Field> fieldsOf(byte[] datagram, int recordIndex) {
        boolean handshake = hasHandshakeHeader(datagram, recordStart(datagram, recordIndex));
        List<Field> out = new ArrayList<>();
        for (Field f : Field.values()) {
            if (handshake || !f.inHandshakeHeader()) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Counts the whole records in a datagram, stopping at the first that runs past its end.
     *
     * @param datagram the datagram
     * @return how many whole records {@code datagram} holds
     */
    public static int recordCount(byte[] datagram) {
        int n = 0;
        int at = 0;
        int length;
        while ((length = RecordPeek.recordLength(datagram, at, datagram.length - at, 0)) >= 0) {
            n++;
            at += length;
        }
        return n;
    }

    /**
     * Every one-field mutation of {@code datagram}: a record, one of its fields, and a new value that
     * differs from the old one: 0, 1, the maximum, the old value plus or minus one, or any value.
     * Shrinks towards the first record, the first field and value 0.
     *
     * @param datagram the datagram to break, copied
     * @return the generator
     * @throws IllegalArgumentException when the datagram holds no whole record
     */
    public static Arbitrary<Mutation> oneField(byte[] datagram) {
        int records = recordCount(datagram);
        if (records == 0) {
            throw new IllegalArgumentException("no whole record in the datagram");
        }
        byte[] copy = datagram.clone();
        return Arbitraries.integers().between(0, records - 1).flatMap(index -> Arbitraries.of(fieldsOf(copy, index))
                .flatMap(field -> newValue(get(copy, index, field), field.max())
                        .map(v -> set(copy, index, field, v))));
    }

    private static Arbitrary<Long> newValue(long old, long max) {
        List<Long> candidates = new ArrayList<>(List.of(0L, 1L, max, Math.min(max, old + 1), Math.max(0, old - 1)));
        candidates.removeIf(v -> v == old);
        Arbitrary<Long> any = Arbitraries.longs().between(0, max).filter(v -> v != old);
        return candidates.isEmpty() ? any : Arbitraries.oneOf(Arbitraries.of(candidates), any);
    }

    private static boolean hasHandshakeHeader(byte[] datagram, int start) {
        int n = datagram.length - start;
        return RecordPeek.type(datagram, start, n) == ContentType.HANDSHAKE && RecordPeek.epoch(datagram, start, n) == 0
                && RecordPeek.fragmentLength(datagram, start, n, 0) >= HandshakeFragment.HEADER_LENGTH;
    }

    private static int recordStart(byte[] datagram, int recordIndex) {
        if (recordIndex < 0 || recordIndex >= recordCount(datagram)) {
            throw new IllegalArgumentException("datagram has no whole record " + recordIndex);
        }
        int at = 0;
        for (int i = 0; i < recordIndex; i++) {
            at += RecordPeek.recordLength(datagram, at, datagram.length - at, 0);
        }
        return at;
    }

    private static long read(byte[] b, int at, int width) {
        long v = 0;
        for (int i = 0; i < width; i++) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        return v;
    }
}
