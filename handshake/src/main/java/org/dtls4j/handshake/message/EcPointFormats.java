package org.dtls4j.handshake.message;

import java.util.List;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The ec_point_formats extension (11), RFC 8422 §5.1.2, formats as raw 8-bit codes:
 * <pre>
 * enum { uncompressed (0), deprecated (1..2), reserved (248..255) } ECPointFormat;
 * struct { ECPointFormat ec_point_format_list&lt;1..2^8-1&gt; } ECPointFormatList;
 * </pre>
 */
public record EcPointFormats(List<Integer> formats) implements ExtensionData {
    /** The only format RFC 8422 keeps. */
    public static final int UNCOMPRESSED = 0;

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param formats the ECPointFormat codes, 1 to 255 of them
     */
    public EcPointFormats {
        formats = Codec.codes(formats, 8, 1, 0xff, "ec_point_format_list");
    }

    /**
     * Reads a {@code EcPointFormats} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static EcPointFormats decode(Reader r) throws DtlsException {
        EcPointFormats v = new EcPointFormats(Codec.u8List(r, 1, 0xff, "ec_point_format_list"));
        r.expectEnd();
        return v;
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.EC_POINT_FORMATS;
    }

    @Override
    public void encodeData(Writer w) {
        Codec.u8List(w, formats);
    }
}
