package org.dtls4j.handshake.message;

import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The record_size_limit extension (28), RFC 8449 §4: {@code uint16 RecordSizeLimit;}. A value below
 * 64 is illegal_parameter in decode, because RFC 8449 §4 says a receiver "MUST treat receipt of a
 * smaller value as a fatal error and generate an illegal_parameter alert". The upper end (2^14 for
 * TLS 1.2, or the peer's own larger value) is for the state machine to clamp, not to reject here.
 */
public record RecordSizeLimit(int limit) implements ExtensionData {
    /** The smallest limit RFC 8449 allows. */
    public static final int MINIMUM = 64;

    /**
     * Checks the limit is within 64..65535 (RFC 8449 §4).
     *
     * @param limit the largest record plaintext the sender will accept, 64 to 65535 bytes
     */
    public RecordSizeLimit {
        if (limit < MINIMUM || limit > 0xffff) {
            throw new IllegalArgumentException("record_size_limit " + limit + " outside 64..65535");
        }
    }

    /**
     * Reads a {@code RecordSizeLimit} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static RecordSizeLimit decode(Reader r) throws DtlsException {
        int limit = r.u16();
        r.expectEnd();
        if (limit < MINIMUM) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "record_size_limit " + limit + " below 64");
        }
        return new RecordSizeLimit(limit);
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.RECORD_SIZE_LIMIT;
    }

    @Override
    public void encodeData(Writer w) {
        w.u16(limit);
    }
}
