package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

class EcdsaSignatureFormatTest {
    private static final BigInteger N = NistCurve.P256.params.getOrder();

    @Test
    void acceptsMinimalDerOfTwoScalars() {
        assertTrue(EcdsaSignatureFormat.isStrictDer(Hex.decode("3006020101020102"), N));
        // 0x80 needs a leading zero to stay positive.
        assertTrue(EcdsaSignatureFormat.isStrictDer(Hex.decode("300702020080020101"), N));
    }

    @Test
    void refusesNonDerEncodings() {
        String[] bad = {
            "",                         // nothing
            "3106020101020102",         // SET, not SEQUENCE
            "3007020101020102",         // sequence length beyond the data
            "300602010102010200",       // trailing byte after the sequence
            "30070201010201020a",       // trailing byte inside the sequence
            "308106020101020102",       // long-form length for a short value
            "3006020180020101",         // negative r (0x80 without leading zero)
            "3006020101030102",         // s tagged BIT STRING
            "300502010102",             // s truncated
        };
        for (String h : bad) {
            assertFalse(EcdsaSignatureFormat.isStrictDer(Hex.decode(h), N), h);
        }
        assertFalse(EcdsaSignatureFormat.isStrictDer(Hex.decode("300702020001020101"), N), "non-minimal r");
        assertFalse(EcdsaSignatureFormat.isStrictDer(Hex.decode("3006020100020101"), N), "r = 0");
    }

    @Test
    void refusesScalarsAtOrAboveTheOrder() {
        byte[] n = N.toByteArray();             // 33 bytes with its leading zero
        byte[] sig = new byte[2 + 2 + n.length + 3];
        sig[0] = 0x30;
        sig[1] = (byte) (sig.length - 2);
        sig[2] = 0x02;
        sig[3] = (byte) n.length;
        System.arraycopy(n, 0, sig, 4, n.length);
        sig[4 + n.length] = 0x02;
        sig[5 + n.length] = 1;
        sig[6 + n.length] = 1;
        assertFalse(EcdsaSignatureFormat.isStrictDer(sig, N), "r = n");
        byte[] nMinus1 = N.subtract(BigInteger.ONE).toByteArray();
        System.arraycopy(nMinus1, 0, sig, 4, n.length);
        assertTrue(EcdsaSignatureFormat.isStrictDer(sig, N), "r = n - 1");
    }
}
