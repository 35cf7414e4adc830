package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EcdheKeyPairTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final NamedGroup[] GROUPS = {NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1};

    @Test
    void bothSidesDeriveTheSameSecretOnEveryGroup() throws DtlsException {
        for (NamedGroup g : GROUPS) {
            EcdheKeyPair a = EcdheKeyPair.generate(g, RANDOM);
            EcdheKeyPair b = EcdheKeyPair.generate(g, RANDOM);
            assertEquals(g.publicKeyLength(), a.publicKey().length, g.name());
            byte[] ab = a.sharedSecret(b.publicKey());
            assertArrayEquals(ab, b.sharedSecret(a.publicKey()), g.name());
            assertEquals(g.sharedSecretLength(), ab.length, g.name());
            assertFalse(Arrays.equals(a.publicKey(), b.publicKey()));
        }
    }

    @Test
    void nistSharesAreUncompressedPointsOnTheCurve() throws DtlsException {
        for (NamedGroup g : new NamedGroup[] {NamedGroup.SECP256R1, NamedGroup.SECP384R1}) {
            byte[] pub = EcdheKeyPair.generate(g, RANDOM).publicKey();
            assertEquals(4, pub[0]);
            EcdheKeyPair.validatePeerPublicKey(g, pub);
        }
    }

    @Test
    void x25519ShareIsLittleEndianU() throws Exception {
        // RFC 7748 §6.1: Alice's private key and public key.
        EcdheKeyPair alice = EcdheKeyPair.fromPrivateScalar(NamedGroup.X25519,
                Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        byte[] bobPublic = Hex.decode("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
                Hex.encode(alice.sharedSecret(bobPublic)));
        EcdheKeyPair fresh = EcdheKeyPair.generate(NamedGroup.X25519, RANDOM);
        byte[] pub = fresh.publicKey();
        assertEquals(0, pub[31] & 0x80, "u < 2^255, so the top bit of the last byte is clear");
    }

    @Test
    void refusesWrongLengths() throws DtlsException {
        for (NamedGroup g : GROUPS) {
            EcdheKeyPair kp = EcdheKeyPair.generate(g, RANDOM);
            byte[] good = EcdheKeyPair.generate(g, RANDOM).publicKey();
            assertIllegal(() -> kp.sharedSecret(new byte[0]));
            assertIllegal(() -> kp.sharedSecret(Arrays.copyOf(good, good.length - 1)));
            assertIllegal(() -> kp.sharedSecret(Arrays.copyOf(good, good.length + 1)));
        }
    }

    @Test
    void refusesCompressedHybridAndInfinityEncodings() throws DtlsException {
        EcdheKeyPair kp = EcdheKeyPair.generate(NamedGroup.SECP256R1, RANDOM);
        byte[] good = EcdheKeyPair.generate(NamedGroup.SECP256R1, RANDOM).publicKey();
        byte[] compressed = Arrays.copyOf(good, 33);
        compressed[0] = (byte) (2 + (good[64] & 1));
        assertIllegal(() -> kp.sharedSecret(compressed));
        for (int prefix : new int[] {0, 2, 3, 6, 7}) {
            byte[] p = good.clone();
            p[0] = (byte) prefix;
            assertIllegal(() -> kp.sharedSecret(p));
        }
        assertIllegal(() -> kp.sharedSecret(new byte[] {0}));
        byte[] zeros = new byte[65];
        zeros[0] = 4;
        assertIllegal(() -> kp.sharedSecret(zeros));
    }

    @Test
    void refusesOffCurvePointsAndCoordinatesAtOrAboveP() throws DtlsException {
        for (NamedGroup g : new NamedGroup[] {NamedGroup.SECP256R1, NamedGroup.SECP384R1}) {
            EcdheKeyPair kp = EcdheKeyPair.generate(g, RANDOM);
            byte[] good = EcdheKeyPair.generate(g, RANDOM).publicKey();
            byte[] offCurve = good.clone();
            offCurve[offCurve.length - 1] ^= 1;
            assertIllegal(() -> kp.sharedSecret(offCurve));
            assertIllegal(() -> EcdheKeyPair.validatePeerPublicKey(g, offCurve));

            // (x, y + p) satisfies the equation mod p but is not a canonical encoding: refuse it.
            NistCurve c = NistCurve.forGroup(g);
            int len = c.fieldLength;
            BigInteger p = new BigInteger(1, pHex(g));
            BigInteger y = new BigInteger(1, Arrays.copyOfRange(good, 1 + len, good.length));
            if (y.add(p).bitLength() <= 8 * len) {
                byte[] big = good.clone();
                NistCurve.writeFixed(y.add(p), big, 1 + len, len);
                assertIllegal(() -> kp.sharedSecret(big));
            }
            byte[] xIsP = good.clone();
            NistCurve.writeFixed(p, xIsP, 1, len);
            assertIllegal(() -> kp.sharedSecret(xIsP));
        }
    }

    @Test
    void refusesX25519LowOrderPointsGivingZeroSecret() throws DtlsException {
        EcdheKeyPair kp = EcdheKeyPair.generate(NamedGroup.X25519, RANDOM);
        assertIllegal(() -> kp.sharedSecret(new byte[32]));           // u = 0
        byte[] one = new byte[32];
        one[0] = 1;
        assertIllegal(() -> kp.sharedSecret(one));                    // u = 1
        // u = p (non-canonical 0) and u = p + 1 (non-canonical 1) reduce to the same small-order points.
        byte[] p = Hex.decode("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        assertIllegal(() -> kp.sharedSecret(p));
        byte[] pPlus1 = p.clone();
        pPlus1[0]++;
        assertIllegal(() -> kp.sharedSecret(pPlus1));
    }

    @Test
    void refusesUnsupportedGroup() {
        NamedGroup x448 = NamedGroup.of(30);
        assertFalse(x448.isSupported());
        assertIllegal(() -> EcdheKeyPair.generate(x448, RANDOM));
        assertIllegal(() -> EcdheKeyPair.validatePeerPublicKey(x448, new byte[56]));
    }

    @Test
    void destroyedPairRefusesAgreementAndToStringHoldsNoKey() throws DtlsException {
        EcdheKeyPair kp = EcdheKeyPair.generate(NamedGroup.SECP256R1, RANDOM);
        byte[] peer = EcdheKeyPair.generate(NamedGroup.SECP256R1, RANDOM).publicKey();
        assertEquals("EcdheKeyPair[secp256r1]", kp.toString());
        kp.destroy();
        assertThrows(IllegalStateException.class, () -> kp.sharedSecret(peer));
    }

    @Test
    void namedGroupCodesRoundTrip() {
        assertEquals(NamedGroup.X25519, NamedGroup.of(29));
        assertEquals(NamedGroup.SECP256R1, NamedGroup.of(23));
        assertEquals(NamedGroup.SECP384R1, NamedGroup.of(24));
        NamedGroup unknown = NamedGroup.of(0xfe01);
        assertEquals(0xfe01, unknown.code());
        assertEquals(unknown, NamedGroup.of(0xfe01));
        assertEquals("unknown(65025)", unknown.toString());
    }

    /** Hostile bytes of the right length either agree or raise illegal_parameter; nothing unchecked. */
    @Property(tries = 150)
    void arbitrarySharesNeverEscapeAsUncheckedExceptions(@ForAll("groups") NamedGroup g, @ForAll("seeds") long seed)
            throws DtlsException {
        byte[] share = new byte[g.publicKeyLength()];
        new java.util.Random(seed).nextBytes(share);
        if (seed % 2 == 0 && g != NamedGroup.X25519) {
            share[0] = 4;
        }
        try {
            EcdheKeyPair.validatePeerPublicKey(g, share);
            assertTrue(g == NamedGroup.X25519, "a random NIST point is on the curve with negligible probability");
        } catch (DtlsException e) {
            assertEquals(AlertDescription.ILLEGAL_PARAMETER, e.alert());
        }
    }

    @Provide
    Arbitrary<NamedGroup> groups() {
        return Arbitraries.of(GROUPS);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static byte[] pHex(NamedGroup g) {
        if (g == NamedGroup.SECP256R1) {
            return Hex.decode("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
        }
        return Hex.decode("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff");
    }

    private static void assertIllegal(Executable e) {
        DtlsException ex = assertThrows(DtlsException.class, e);
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, ex.alert(), ex.getMessage());
    }
}
