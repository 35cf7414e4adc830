package org.dtls4j.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.record.ContentType;
import org.dtls4j.record.RecordHeader;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * One DTLS record as it travels, header and fragment, with no protection applied or removed: what the
 * generators produce, what the mutators break and what the scripted peer writes and reads.
 *
 * @param header the record header; its {@code length} must equal the fragment's
 * @param fragment the record's fragment (plaintext in epoch 0, ciphertext after)
 */
public record WireRecord(RecordHeader header, byte[] fragment) {
    /**
     * Copies the fragment and checks it against the header.
     *
     * @param header the record header, not null
     * @param fragment the fragment, copied; its length must equal {@code header.length()}
     * @throws IllegalArgumentException when the lengths differ
     */
    public WireRecord {
        fragment = fragment.clone();
        if (header.length() != fragment.length) {
            throw new IllegalArgumentException("header length " + header.length() + " but " + fragment.length
                    + "-byte fragment");
        }
    }

    /**
     * A record without a Connection ID, its header length taken from the fragment.
     *
     * @param type the content type byte (RFC 6347 §4.1), any value, so tests can send unknown ones
     * @param version the wire version, e.g. {@code 0xfefd} for DTLS 1.2
     * @param epoch the epoch, 0..65535
     * @param sequenceNumber the 48-bit sequence number
     * @param fragment the fragment, copied
     * @return the record
     */
    public static WireRecord of(int type, int version, int epoch, long sequenceNumber, byte[] fragment) {
        return new WireRecord(new RecordHeader(type, version, epoch, sequenceNumber, null, fragment.length), fragment);
    }

    /** {@return a copy of the fragment} */
    @Override
    public byte[] fragment() {
        return fragment.clone();
    }

    /** {@return header and fragment in wire form} */
    public byte[] encode() {
        Writer w = new Writer(header.encodedLength() + fragment.length);
        header.encode(w);
        w.bytes(fragment);
        return w.toByteArray();
    }

    /**
     * Splits a datagram into its records (RFC 6347 §4.1.1 lets one datagram carry several), reading
     * {@code cidLength} bytes of Connection ID in tls12_cid headers.
     *
     * @param datagram the whole datagram
     * @param cidLength the Connection ID length to expect in tls12_cid headers, 0 when none was negotiated
     * @return the records in datagram order
     * @throws DtlsException decode_error when a header or fragment runs past the datagram's end
     */
    public static List<WireRecord> parseAll(byte[] datagram, int cidLength) throws DtlsException {
        Reader r = new Reader(datagram);
        List<WireRecord> out = new ArrayList<>();
        while (r.hasRemaining()) {
            RecordHeader h = RecordHeader.decode(r, cidLength);
            out.add(new WireRecord(h, r.bytes(h.length())));
        }
        return out;
    }

    /**
     * Puts several records in one datagram, in order.
     *
     * @param records the records
     * @return the datagram
     */
    public static byte[] datagram(List<WireRecord> records) {
        Writer w = new Writer();
        for (WireRecord rec : records) {
            w.bytes(rec.encode());
        }
        return w.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireRecord other && other.header.equals(header) && Arrays.equals(other.fragment, fragment);
    }

    @Override
    public int hashCode() {
        return header.hashCode() * 31 + Arrays.hashCode(fragment);
    }

    @Override
    public String toString() {
        return "WireRecord[" + ContentType.name(header.type()) + ", epoch=" + header.epoch() + ", seq="
                + header.sequenceNumber() + ", length=" + fragment.length + "]";
    }
}
