package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The renegotiation_info extension (0xff01), RFC 5746 §3.2. Empty on an initial handshake; the
 * server's form on renegotiation concatenates both verify_data values into the same field:
 * <pre>
 * struct { opaque renegotiated_connection&lt;0..255&gt;; } RenegotiationInfo;
 * </pre>
 */
public record RenegotiationInfo(Bytes renegotiatedConnection) implements ExtensionData {
    /** The initial-handshake value: an empty renegotiated_connection. */
    public static final RenegotiationInfo INITIAL = new RenegotiationInfo(Bytes.EMPTY);

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param renegotiatedConnection empty on an initial handshake, else the previous verify_data (12 or 24 bytes)
     */
    public RenegotiationInfo {
        Codec.bytes(renegotiatedConnection, 0, 0xff, "renegotiated_connection");
    }

    /**
     * Reads a {@code RenegotiationInfo} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static RenegotiationInfo decode(Reader r) throws DtlsException {
        RenegotiationInfo v = new RenegotiationInfo(Codec.opaque(r, 1, 0, 0xff, "renegotiated_connection"));
        r.expectEnd();
        return v;
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.RENEGOTIATION_INFO;
    }

    @Override
    public void encodeData(Writer w) {
        Codec.opaque(w, 1, renegotiatedConnection);
    }
}
