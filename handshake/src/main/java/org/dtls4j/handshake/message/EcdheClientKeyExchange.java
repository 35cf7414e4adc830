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
    public EcdheClientKeyExchange {
        Codec.bytes(publicPoint, 1, 0xff, "ecdh_Yc");
    }

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
