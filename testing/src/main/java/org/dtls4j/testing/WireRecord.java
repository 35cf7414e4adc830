package org.dtls4j.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.RecordPeek;

/**
 * One DTLS record as it travels, header fields and fragment, with no protection applied or removed: what
 * the generators produce, what the mutators break and what the scripted peer writes and reads. The header
 * is RFC 6347 §4.1's, or RFC 9146 §4's when the record carries a Connection ID.
 *
 * @param type the outer content type, any byte, so tests can send unknown ones
 * @param version the record version in its 16-bit wire form, e.g. {@code 0xfefd} for DTLS 1.2
 * @param epoch 0..65535
 * @param sequenceNumber 0..2^48-1
 * @param connectionId the CID of a tls12_cid record (0..255 bytes, copied), empty otherwise
 * @param fragment the record's fragment (plaintext in epoch 0, ciphertext after), copied
 */
public record WireRecord(int type, int version, int epoch, long sequenceNumber, byte[] connectionId,
                         byte[] fragment) {
    private static final byte[] NO_CID = new byte[0];

    /**
     * Checks every header field against its wire width and copies the arrays.
     *
     * @param type the outer content type, 0..255
     * @param version the record version, 0..65535
     * @param epoch 0..65535
     * @param sequenceNumber 0..2^48-1
     * @param connectionId the CID, 0..255 bytes, or null for none
     * @param fragment the fragment, at most 65535 bytes
     * @throws IllegalArgumentException when a field does not fit its wire width
     */
    public WireRecord {
        connectionId = connectionId == null ? NO_CID : connectionId.clone();
        fragment = fragment.clone();
        if ((type & ~0xff) != 0 || (version & ~0xffff) != 0 || epoch < 0 || epoch > RecordPeek.MAX_EPOCH
                || sequenceNumber < 0 || sequenceNumber > RecordPeek.MAX_SEQUENCE_NUMBER
                || connectionId.length > RecordPeek.MAX_CID_LENGTH
                || fragment.length > RecordPeek.MAX_FRAGMENT_LENGTH) {
            throw new IllegalArgumentException("record header field out of range");
        }
    }

    /**
     * A record without a Connection ID.
     *
     * @param type the content type byte (RFC 6347 §4.1), any value, so tests can send unknown ones
     * @param version the wire version, e.g. {@code 0xfefd} for DTLS 1.2
     * @param epoch the epoch, 0..65535
     * @param sequenceNumber the 48-bit sequence number
     * @param fragment the fragment, copied
     * @return the record
     */
    public static WireRecord of(int type, int version, int epoch, long sequenceNumber, byte[] fragment) {
        return new WireRecord(type, version, epoch, sequenceNumber, null, fragment);
    }

    /** {@return a copy of the Connection ID, empty when the record has none} */
    @Override
    public byte[] connectionId() {
        return connectionId.clone();
    }

    /** {@return a copy of the fragment} */
    @Override
    public byte[] fragment() {
        return fragment.clone();
    }

    /** {@return bytes the record takes on the wire, header and fragment} */
    public int encodedLength() {
        return RecordPeek.headerLength(connectionId.length) + fragment.length;
    }

    /** {@return header and fragment in wire form} */
    public byte[] encode() {
        byte[] out = new byte[encodedLength()];
        int header = RecordPeek.writeHeader(out, 0, type, version, epoch, sequenceNumber, connectionId,
                fragment.length);
        System.arraycopy(fragment, 0, out, header, fragment.length);
        return out;
    }

    /**
     * Reads the record at {@code datagram[at]}, reading {@code cidLength} bytes of Connection ID when it
     * is a tls12_cid record.
     *
     * @param datagram the whole datagram
     * @param at where the record starts
     * @param cidLength the Connection ID length to expect in tls12_cid headers, 0 when none was negotiated
     * @return the record, or null when its header or fragment runs past the datagram's end
     */
    public static WireRecord read(byte[] datagram, int at, int cidLength) {
        int n = datagram.length - at;
        int type = RecordPeek.type(datagram, at, n);
        int cid = type == ContentType.TLS12_CID ? cidLength : 0;
        int length = RecordPeek.recordLength(datagram, at, n, cid);
        if (length < 0) {
            return null;
        }
        int cidStart = at + RecordPeek.CID_OFFSET;
        int fragmentStart = at + RecordPeek.headerLength(cid);
        return new WireRecord(type, RecordPeek.version(datagram, at, n), RecordPeek.epoch(datagram, at, n),
                RecordPeek.sequenceNumber(datagram, at, n), Arrays.copyOfRange(datagram, cidStart, cidStart + cid),
                Arrays.copyOfRange(datagram, fragmentStart, at + length));
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
        List<WireRecord> out = new ArrayList<>();
        int at = 0;
        while (at < datagram.length) {
            WireRecord r = read(datagram, at, cidLength);
            if (r == null) {
                throw DtlsException.decodeError("record at " + at + " runs past the datagram's end");
            }
            out.add(r);
            at += r.encodedLength();
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
        int total = 0;
        for (WireRecord rec : records) {
            total += rec.encodedLength();
        }
        byte[] out = new byte[total];
        int at = 0;
        for (WireRecord rec : records) {
            byte[] one = rec.encode();
            System.arraycopy(one, 0, out, at, one.length);
            at += one.length;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireRecord other && other.type == type && other.version == version
                && other.epoch == epoch && other.sequenceNumber == sequenceNumber
                && Arrays.equals(other.connectionId, connectionId) && Arrays.equals(other.fragment, fragment);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + epoch) * 31 + Long.hashCode(sequenceNumber)) * 31 + Arrays.hashCode(fragment);
    }

    @Override
    public String toString() {
        return "WireRecord[" + ContentType.name(type) + ", epoch=" + epoch + ", seq=" + sequenceNumber
                + ", cidLength=" + connectionId.length + ", length=" + fragment.length + "]";
    }
}
