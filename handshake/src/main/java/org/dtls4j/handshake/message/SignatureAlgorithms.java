package org.dtls4j.handshake.message;

import java.util.List;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The signature_algorithms extension (13), RFC 5246 §7.4.1.4.1, each SignatureAndHashAlgorithm as
 * one raw 16-bit code (hash byte then signature byte, the SignatureScheme numbering of RFC 8446):
 * <pre>
 * SignatureAndHashAlgorithm supported_signature_algorithms&lt;2..2^16-2&gt;;
 * </pre>
 */
public record SignatureAlgorithms(List<Integer> schemes) implements ExtensionData {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param schemes the SignatureAndHashAlgorithm codes, most preferred first, at least one
     */
    public SignatureAlgorithms {
        schemes = Codec.codes(schemes, 16, 1, 0x7fff, "supported_signature_algorithms");
    }

    /**
     * Reads a {@code SignatureAlgorithms} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static SignatureAlgorithms decode(Reader r) throws DtlsException {
        SignatureAlgorithms v = new SignatureAlgorithms(Codec.u16List(r, 2, 2, 0xfffe, "supported_signature_algorithms"));
        r.expectEnd();
        return v;
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.SIGNATURE_ALGORITHMS;
    }

    @Override
    public void encodeData(Writer w) {
        Codec.u16List(w, 2, schemes);
    }
}
