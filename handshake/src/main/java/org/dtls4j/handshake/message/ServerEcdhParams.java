package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The server's ephemeral ECDH values (RFC 8422 §5.4), the group as a raw 16-bit NamedGroup code and
 * the point in the group's own encoding (X9.62 uncompressed for NIST curves, 32 raw bytes for X25519):
 * <pre>
 * enum { deprecated(1..2), named_curve(3), reserved(248..255) } ECCurveType;
 * struct {
 *     ECCurveType curve_type;
 *     select (curve_type) { case named_curve: NamedCurve namedcurve; };
 * } ECParameters;
 * struct { opaque point&lt;1..2^8-1&gt;; } ECPoint;
 * struct { ECParameters curve_params; ECPoint public; } ServerECDHParams;
 * </pre>
 * Only named_curve has a defined body in RFC 8422, so any other curve_type cannot be parsed and is
 * decode_error. The encoding is canonical, so {@link #toByteArray()} equals the bytes that were
 * received and signed.
 */
public record ServerEcdhParams(int namedGroup, Bytes publicPoint) {
    /** ECCurveType named_curve. */
    public static final int NAMED_CURVE = 3;

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param namedGroup the NamedGroup code, 16 bits, known or not
     * @param publicPoint the server's ECDHE public key in the group's wire form, 1 to 255 bytes
     */
    public ServerEcdhParams {
        Codec.u16(namedGroup, "named group");
        Codec.bytes(publicPoint, 1, 0xff, "point");
    }

    /**
     * Reads a {@code ServerEcdhParams} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static ServerEcdhParams decode(Reader r) throws DtlsException {
        int curveType = r.u8();
        if (curveType != NAMED_CURVE) {
            throw DtlsException.decodeError("ECCurveType " + curveType + " is not named_curve");
        }
        int group = r.u16();
        return new ServerEcdhParams(group, Codec.opaque(r, 1, 1, 0xff, "point"));
    }

    /**
     * Writes curve_type, the group and the point.
     *
     * @param w where the parameters go
     */
    public void encode(Writer w) {
        w.u8(NAMED_CURVE);
        w.u16(namedGroup);
        Codec.opaque(w, 1, publicPoint);
    }

    /** {@return the encoded params: the last part of what the server's signature covers} */
    public byte[] toByteArray() {
        Writer w = new Writer(4 + publicPoint.length());
        encode(w);
        return w.toByteArray();
    }
}
