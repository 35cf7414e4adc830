package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** With a caller's provider (Bouncy Castle here) doing the arithmetic, our own checks of peer data still run. */
class ForeignProviderTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Provider BC = new BouncyCastleProvider();
    private static final byte[] DATA = "signed params".getBytes(StandardCharsets.UTF_8);

    @Test
    void foreignAndJdkSharesAgreeOnEveryGroup() throws DtlsException {
        for (NamedGroup g : new NamedGroup[] {NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1}) {
            EcdheKeyPair ours = EcdheKeyPair.generate(g, RANDOM, BC);
            EcdheKeyPair jdk = EcdheKeyPair.generate(g, RANDOM);
            assertEquals(g.publicKeyLength(), ours.publicKey().length);
            assertArrayEquals(jdk.sharedSecret(ours.publicKey()), ours.sharedSecret(jdk.publicKey()), g.toString());
        }
    }

    @Test
    void offCurveAndInfinityPointsAreRefusedBeforeTheProviderSeesThem() throws DtlsException {
        for (NamedGroup g : new NamedGroup[] {NamedGroup.SECP256R1, NamedGroup.SECP384R1}) {
            EcdheKeyPair kp = EcdheKeyPair.generate(g, RANDOM, BC);
            byte[] offCurve = EcdheKeyPair.generate(g, RANDOM).publicKey();
            offCurve[offCurve.length - 1] ^= 1;
            assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> kp.sharedSecret(offCurve));
            byte[] zeros = new byte[g.publicKeyLength()];
            zeros[0] = 4;
            assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> kp.sharedSecret(zeros));
        }
    }

    @Test
    void x25519LowOrderShareGivesIllegalParameter() throws DtlsException {
        EcdheKeyPair kp = EcdheKeyPair.generate(NamedGroup.X25519, RANDOM, BC);
        // u = 0 and u = 1 have small order: the shared secret is all zero (RFC 7748 §6.1).
        byte[] one = new byte[32];
        one[0] = 1;
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> kp.sharedSecret(new byte[32]));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> kp.sharedSecret(one));
    }

    @Test
    void ecdsaThroughTheProviderStillNeedsStrictDer() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        SignatureScheme s = SignatureScheme.ECDSA_SECP256R1_SHA256;
        byte[] sig = s.sign(kp.getPrivate(), DATA, RANDOM, BC);
        s.verify(kp.getPublic(), DATA, sig, BC);

        // The same SEQUENCE with its length in the long form (0x81 n): valid BER, not DER.
        byte[] longForm = new byte[sig.length + 1];
        longForm[0] = 0x30;
        longForm[1] = (byte) 0x81;
        System.arraycopy(sig, 1, longForm, 2, sig.length - 1);
        assertAlert(AlertDescription.DECRYPT_ERROR, () -> s.verify(kp.getPublic(), DATA, longForm, BC));
        byte[] trailing = Arrays.copyOf(sig, sig.length + 1);
        assertAlert(AlertDescription.DECRYPT_ERROR, () -> s.verify(kp.getPublic(), DATA, trailing, BC));
        byte[] flipped = sig.clone();
        flipped[sig.length - 1] ^= 1;
        assertAlert(AlertDescription.DECRYPT_ERROR, () -> s.verify(kp.getPublic(), DATA, flipped, BC));
    }

    private static void assertAlert(AlertDescription alert, Executable e) {
        DtlsException ex = assertThrows(DtlsException.class, e);
        assertEquals(alert, ex.alert(), ex.getMessage());
    }
}
