package org.dtls4j.crypto;

import java.math.BigInteger;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;

/**
 * Strict DER check of an ECDSA signature, {@code SEQUENCE { INTEGER r, INTEGER s }} (RFC 8422 §5.4,
 * RFC 3279 §2.2.3). The JDK 17 verifier is lenient about integer encodings (it accepted Wycheproof's
 * "s misses leading 0" case), and a signature with several encodings is malleable, so we refuse
 * anything but the one DER encoding with {@code 0 < r, s < n} before JCA sees it.
 */
final class EcdsaSignatureFormat {
    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;

    private EcdsaSignatureFormat() {
    }

    /** True when {@code sig} is the DER encoding of two integers in [1, order). */
    static boolean isStrictDer(byte[] sig, BigInteger order) {
        try {
            Reader r = new Reader(sig);
            if (r.u8() != SEQUENCE) {
                return false;
            }
            Reader body = r.sub(derLength(r));
            r.expectEnd();
            boolean ok = isScalar(readInteger(body), order) && isScalar(readInteger(body), order);
            body.expectEnd();
            return ok;
        } catch (DtlsException e) {
            return false;
        }
    }

    /** A DER definite length in its shortest form (X.690 §10.1); at most two length octets. */
    private static int derLength(Reader r) throws DtlsException {
        int first = r.u8();
        if (first < 0x80) {
            return first;
        }
        if (first == 0x81) {
            int len = r.u8();
            if (len < 0x80) {
                throw DtlsException.decodeError("non-minimal DER length");
            }
            return len;
        }
        if (first == 0x82) {
            int len = r.u16();
            if (len < 0x100) {
                throw DtlsException.decodeError("non-minimal DER length");
            }
            return len;
        }
        throw DtlsException.decodeError("unsupported DER length form");
    }

    /** Returns the integer, or null when its encoding is negative or not minimal. */
    private static BigInteger readInteger(Reader r) throws DtlsException {
        if (r.u8() != INTEGER) {
            return null;
        }
        byte[] v = r.bytes(derLength(r));
        if (v.length == 0 || (v[0] & 0x80) != 0) {
            return null;
        }
        if (v.length > 1 && v[0] == 0 && (v[1] & 0x80) == 0) {
            return null;
        }
        return new BigInteger(1, v);
    }

    private static boolean isScalar(BigInteger v, BigInteger order) {
        return v != null && v.signum() > 0 && v.compareTo(order) < 0;
    }
}
