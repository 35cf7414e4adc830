package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.spec.ECFieldFp;
import java.security.spec.ECPoint;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/** Our own point checks, exercised without JCA so a lenient provider cannot hide a missing check. */
class NistCurveTest {
    @Test
    void fieldPrimesAreTheNistOnes() {
        BigInteger two = BigInteger.TWO;
        BigInteger p256 = two.pow(256).subtract(two.pow(224)).add(two.pow(192)).add(two.pow(96)).subtract(BigInteger.ONE);
        BigInteger p384 = two.pow(384).subtract(two.pow(128)).subtract(two.pow(96)).add(two.pow(32)).subtract(BigInteger.ONE);
        assertEquals(p256, ((ECFieldFp) NistCurve.P256.params.getCurve().getField()).getP());
        assertEquals(p384, ((ECFieldFp) NistCurve.P384.params.getCurve().getField()).getP());
        assertEquals(32, NistCurve.P256.fieldLength);
        assertEquals(48, NistCurve.P384.fieldLength);
    }

    @Test
    void generatorRoundTripsThroughTheWireForm() throws DtlsException {
        for (NistCurve c : new NistCurve[] {NistCurve.P256, NistCurve.P384}) {
            ECPoint g = c.params.getGenerator();
            byte[] wire = c.encodePoint(g);
            assertEquals(1 + 2 * c.fieldLength, wire.length);
            assertEquals(g, c.decodePoint(wire));
            assertArrayEquals(wire, c.encodePoint(c.decodePoint(wire)));
        }
    }

    @Test
    void refusesOffCurveAndOutOfRangeCoordinates() {
        for (NistCurve c : new NistCurve[] {NistCurve.P256, NistCurve.P384}) {
            byte[] g = c.encodePoint(c.params.getGenerator());
            byte[] off = g.clone();
            off[off.length - 1] ^= 1;
            assertIllegal(c, off);
            BigInteger p = ((ECFieldFp) c.params.getCurve().getField()).getP();
            byte[] xIsP = g.clone();
            NistCurve.writeFixed(p, xIsP, 1, c.fieldLength);
            assertIllegal(c, xIsP);
            byte[] origin = new byte[g.length];
            origin[0] = 4;
            assertIllegal(c, origin);
            byte[] compressed = java.util.Arrays.copyOf(g, 1 + c.fieldLength);
            compressed[0] = 2;
            assertIllegal(c, compressed);
        }
    }

    private static void assertIllegal(NistCurve c, byte[] encoded) {
        DtlsException e = assertThrows(DtlsException.class, () -> c.decodePoint(encoded));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, e.alert());
    }
}
