package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The ECDHE ClientKeyExchange (RFC 8422 §5.7), explicit encoding only (the implicit form belongs to
 * fixed-ECDH client certificates, which RFC 8422 removed):
 * <pre>
 * struct { opaque point&lt;1..2^8-1&gt;; } ECPoint;   // ClientECDiffieHellmanPublic.ecdh_Yc
 * </pre>
 */
public record EcdheClientKeyExchange(Bytes publicPoint) implements ClientKeyExchange {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param publicPoint the client's ECDHE public key in the group's wire form, 1 to 255 bytes
     */
    public EcdheClientKeyExchange {
        Codec.bytes(publicPoint, 1, 0xff, "ecdh_Yc");
    }

    /**
     * Reads a {@code EcdheClientKeyExchange} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static EcdheClientKeyExchange decode(Reader r) throws DtlsException {
        Bytes point = Codec.opaque(r, 1, 1, 0xff, "ecdh_Yc");
        r.expectEnd();
        return new EcdheClientKeyExchange(point);
    }

    @Override
    public void encode(Writer w) {
        Codec.opaque(w, 1, publicPoint);
    }
}
