package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The ECDHE_PSK ClientKeyExchange (RFC 5489 §2):
 * <pre>
 * struct {
 *     opaque psk_identity&lt;0..2^16-1&gt;;
 *     ClientECDiffieHellmanPublic public;    // opaque point&lt;1..2^8-1&gt;
 * } ClientKeyExchange;
 * </pre>
 */
public record EcdhePskClientKeyExchange(Bytes identity, Bytes publicPoint) implements ClientKeyExchange {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param identity the PSK identity, 0 to 65535 bytes
     * @param publicPoint the client's ECDHE public key, 1 to 255 bytes
     */
    public EcdhePskClientKeyExchange {
        Codec.bytes(identity, 0, 0xffff, "psk_identity");
        Codec.bytes(publicPoint, 1, 0xff, "ecdh_Yc");
    }

    /**
     * Reads a {@code EcdhePskClientKeyExchange} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static EcdhePskClientKeyExchange decode(Reader r) throws DtlsException {
        Bytes identity = Codec.opaque(r, 2, 0, 0xffff, "psk_identity");
        Bytes point = Codec.opaque(r, 1, 1, 0xff, "ecdh_Yc");
        r.expectEnd();
        return new EcdhePskClientKeyExchange(identity, point);
    }

    @Override
    public void encode(Writer w) {
        Codec.opaque(w, 2, identity);
        Codec.opaque(w, 1, publicPoint);
    }
}
