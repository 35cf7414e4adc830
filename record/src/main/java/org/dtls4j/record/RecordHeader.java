package org.dtls4j.record;

import java.util.Arrays;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The header of one DTLS 1.2 record, in both of its forms. RFC 6347 §4.1:
 * <pre>
 * struct {
 *     ContentType type;
 *     ProtocolVersion version;
 *     uint16 epoch;
 *     uint48 sequence_number;
 *     uint16 length;
 *     opaque fragment[DTLSPlaintext.length];   // or DTLSCiphertext's
 * } DTLSPlaintext;
 * </pre>
 * and RFC 9146 §4, whose {@code cid} has the length negotiated for it, never written on the wire:
 * <pre>
 * struct {
 *     ContentType outer_type = tls12_cid;
 *     ProtocolVersion version;
 *     uint16 epoch;
 *     uint48 sequence_number;
 *     opaque cid[cid_length];
 *     uint16 length;
 *     opaque enc_content[DTLSCiphertext.length];
 * } DTLSCiphertext;
 * </pre>
 * Decoding holds no policy (versions, epochs and types are checked by {@link RecordLayer}); the
 * layer's hot path reads the same fields with index arithmetic to avoid allocating this object.
 *
 * @param type the outer content type
 * @param version the record version in its 16-bit wire form (0xfefd for DTLS 1.2)
 * @param epoch 0..65535
 * @param sequenceNumber 0..2^48-1
 * @param connectionId the CID of a tls12_cid record, empty otherwise (a copy is kept)
 * @param length the fragment length that follows the header
 */
public record RecordHeader(int type, int version, int epoch, long sequenceNumber, byte[] connectionId,
                           int length) {
    /** Bytes of a header without a CID. */
    public static final int LENGTH = 13;

    private static final byte[] NO_CID = new byte[0];

    /**
     * Checks every field against its wire width and copies the CID.
     *
     * @param type the outer content type
     * @param version the record version in its 16-bit wire form (0xfefd for DTLS 1.2)
     * @param epoch 0..65535
     * @param sequenceNumber 0..2^48-1
     * @param connectionId the CID of a tls12_cid record, empty otherwise (a copy is kept)
     * @param length the fragment length that follows the header
     */
    public RecordHeader {
        if ((type & ~0xff) != 0 || (version & ~0xffff) != 0 || (epoch & ~0xffff) != 0
                || (length & ~0xffff) != 0 || sequenceNumber < 0 || sequenceNumber >= 1L << 48) {
            throw new IllegalArgumentException("record header field out of range");
        }
        connectionId = connectionId == null ? NO_CID : connectionId.clone();
        if (connectionId.length > 255) {
            throw new IllegalArgumentException("CID longer than 255 bytes");
        }
    }

    /**
     * Reads a header; {@code cidLength} is the length of the CID we expect in tls12_cid records (0 when
     * none was negotiated, in which case a tls12_cid header is read as if it had no CID).
     *
     * @param r the reader, at the header's first byte
     * @param cidLength the expected CID length, 0 for none
     * @return the header; the reader stands at the fragment
     * @throws DtlsException when the header is cut short
     */
    public static RecordHeader decode(Reader r, int cidLength) throws DtlsException {
        int type = r.u8();
        int version = r.u16();
        int epoch = r.u16();
        long seq = r.u48();
        byte[] cid = type == ContentType.TLS12_CID && cidLength > 0 ? r.bytes(cidLength) : NO_CID;
        int length = r.u16();
        return new RecordHeader(type, version, epoch, seq, cid, length);
    }

    /**
     * Writes the header in wire order.
     *
     * @param w where it goes
     */
    public void encode(Writer w) {
        w.u8(type).u16(version).u16(epoch).u48(sequenceNumber).bytes(connectionId).u16(length);
    }

    /** {@return bytes this header takes on the wire} */
    public int encodedLength() {
        return LENGTH + connectionId.length;
    }

    /** {@return a copy of the header's Connection ID, empty when it has none} */
    @Override
    public byte[] connectionId() {
        return connectionId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordHeader h && h.type == type && h.version == version && h.epoch == epoch
                && h.sequenceNumber == sequenceNumber && h.length == length
                && Arrays.equals(h.connectionId, connectionId);
    }

    @Override
    public int hashCode() {
        return ((type * 31 + epoch) * 31 + Long.hashCode(sequenceNumber)) * 31 + Arrays.hashCode(connectionId);
    }

    @Override
    public String toString() {
        return "RecordHeader[" + ContentType.name(type) + ", version=" + Integer.toHexString(version)
                + ", epoch=" + epoch + ", seq=" + sequenceNumber + ", cidLength=" + connectionId.length
                + ", length=" + length + "]";
    }
}
