package org.dtls4j.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Arrays;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * A short-Weierstrass NIST prime curve (y² = x³ + ax + b over GF(p)) with the point checks RFC 8422
 * §5.11 and SP 800-56A §5.6.2.3.4 ask of a peer's public value. We check the point ourselves before
 * the JDK sees it, so invalid-curve attacks never depend on a provider's own checks.
 */
final class NistCurve {
    static final NistCurve P256 = load("secp256r1");
    static final NistCurve P384 = load("secp384r1");

    /** RFC 8422 §5.4.1 / SEC 1 §2.3.3: the only point format TLS 1.2 peers may send. */
    private static final int UNCOMPRESSED = 0x04;

    final ECParameterSpec params;
    final int fieldLength;
    private final BigInteger p;
    private final BigInteger a;
    private final BigInteger b;

    private NistCurve(ECParameterSpec params) {
        this.params = params;
        this.p = ((ECFieldFp) params.getCurve().getField()).getP();
        this.a = params.getCurve().getA();
        this.b = params.getCurve().getB();
        this.fieldLength = (p.bitLength() + 7) / 8;
    }

    private static NistCurve load(String name) {
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec(name));
            return new NistCurve(ap.getParameterSpec(ECParameterSpec.class));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks curve " + name, e);
        }
    }

    static NistCurve forGroup(NamedGroup group) {
        if (group.equals(NamedGroup.SECP256R1)) {
            return P256;
        }
        if (group.equals(NamedGroup.SECP384R1)) {
            return P384;
        }
        throw new IllegalArgumentException("not a NIST group: " + group);
    }

    /**
     * Decodes {@code 0x04 || X || Y} and checks it is a finite point on this curve. The point at
     * infinity has no uncompressed encoding (SEC 1 encodes it as a single 0x00), so the length and
     * format checks refuse it; NIST prime curves have cofactor 1, so on-curve implies the right subgroup.
     */
    ECPoint decodePoint(byte[] encoded) throws DtlsException {
        if (encoded.length != 1 + 2 * fieldLength) {
            throw illegal("EC point of " + encoded.length + " bytes, expected " + (1 + 2 * fieldLength));
        }
        if ((encoded[0] & 0xff) != UNCOMPRESSED) {
            throw illegal("EC point not in uncompressed form");
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 1 + fieldLength));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 1 + fieldLength, encoded.length));
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            throw illegal("EC point coordinate not below the field prime");
        }
        BigInteger lhs = y.multiply(y).mod(p);
        BigInteger rhs = x.multiply(x).add(a).multiply(x).add(b).mod(p);
        if (!lhs.equals(rhs)) {
            throw illegal("EC point not on " + this);
        }
        return new ECPoint(x, y);
    }

    /** The uncompressed encoding, each coordinate left-padded to the field length. */
    byte[] encodePoint(ECPoint w) {
        byte[] out = new byte[1 + 2 * fieldLength];
        out[0] = UNCOMPRESSED;
        writeFixed(w.getAffineX(), out, 1, fieldLength);
        writeFixed(w.getAffineY(), out, 1 + fieldLength, fieldLength);
        return out;
    }

    /** Writes a non-negative integer below 2^(8·len) big-endian into exactly {@code len} bytes. */
    static void writeFixed(BigInteger v, byte[] out, int off, int len) {
        byte[] raw = v.toByteArray();
        int skip = raw.length > len ? raw.length - len : 0;
        int n = raw.length - skip;
        System.arraycopy(raw, skip, out, off + len - n, n);
    }

    private static DtlsException illegal(String message) {
        return new DtlsException(AlertDescription.ILLEGAL_PARAMETER, message);
    }

    @Override
    public String toString() {
        return "P-" + p.bitLength();
    }
}
