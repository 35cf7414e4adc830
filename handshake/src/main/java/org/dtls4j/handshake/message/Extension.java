package org.dtls4j.handshake.message;

import java.util.Objects;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * One hello extension as it travels, type and raw data (RFC 5246 §7.4.1.4):
 * <pre>
 * struct {
 *     ExtensionType extension_type;
 *     opaque extension_data&lt;0..2^16-1&gt;;
 * } Extension;
 * </pre>
 * The typed view of known extensions is {@link ExtensionData}; this raw form keeps unknown ones.
 */
public record Extension(ExtensionType type, Bytes data) {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param type the extension type, known or not, not null
     * @param data the extension_data, 0 to 65535 bytes, not parsed
     */
    public Extension {
        Objects.requireNonNull(type, "type");
        Codec.bytes(data, 0, 0xffff, "extension_data");
    }

    /**
     * {@return an extension from a wire code and a copy of {@code data}}
     *
     * @param type the 16-bit extension type
     * @param data the extension_data
     */
    public static Extension of(int type, byte[] data) {
        return new Extension(ExtensionType.of(type), Bytes.of(data));
    }

    /**
     * Reads a {@code Extension} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static Extension decode(Reader r) throws DtlsException {
        ExtensionType type = ExtensionType.of(r.u16());
        return new Extension(type, Codec.opaque(r, 2, 0, 0xffff, "extension_data"));
    }

    /**
     * Writes the type, the length and the data.
     *
     * @param w where the extension goes
     */
    public void encode(Writer w) {
        w.u16(type.code());
        Codec.opaque(w, 2, data);
    }

    /** A reader over the extension data, for the typed decoders. */
    Reader reader() {
        return new Reader(data.array());
    }
}
