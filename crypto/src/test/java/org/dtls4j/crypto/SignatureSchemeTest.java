package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Sign and verify against Bouncy Castle's provider in both directions, plus key fitting and refusals. */
class SignatureSchemeTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Provider BC = new BouncyCastleProvider();
    private static final KeyPair P256 = generate("EC", "secp256r1");
    private static final KeyPair P384 = generate("EC", "secp384r1");
    private static final KeyPair ED25519 = generate("Ed25519", null);
    private static final KeyPair RSA = generate("RSA", null);
    private static final byte[] DATA = "client_random || server_random || ServerECDHParams".getBytes(StandardCharsets.US_ASCII);

    /** Our scheme → the key it signs with, and Bouncy Castle's name and parameters for the same algorithm. */
    private static final Map<SignatureScheme, KeyPair> KEYS = Map.of(
            SignatureScheme.ECDSA_SECP256R1_SHA256, P256,
            SignatureScheme.ECDSA_SECP384R1_SHA384, P384,
            SignatureScheme.ED25519, ED25519,
            SignatureScheme.RSA_PKCS1_SHA256, RSA,
            SignatureScheme.RSA_PKCS1_SHA384, RSA,
            SignatureScheme.RSA_PSS_RSAE_SHA256, RSA,
            SignatureScheme.RSA_PSS_RSAE_SHA384, RSA);

    @Test
    void bouncyCastleVerifiesWhatWeSign() throws Exception {
        for (SignatureScheme s : SignatureScheme.supported()) {
            KeyPair kp = KEYS.get(s);
            byte[] sig = s.sign(kp.getPrivate(), DATA, RANDOM);
            Signature bc = bcSignature(s);
            bc.initVerify(toBc(kp.getPublic()));
            bc.update(DATA);
            assertTrue(bc.verify(sig), s.name());
        }
    }

    @Test
    void weVerifyWhatBouncyCastleSigns() throws Exception {
        for (SignatureScheme s : SignatureScheme.supported()) {
            KeyPair kp = KEYS.get(s);
            Signature bc = bcSignature(s);
            bc.initSign(toBc(kp.getPrivate()), RANDOM);
            bc.update(DATA);
            byte[] sig = bc.sign();
            s.verify(kp.getPublic(), DATA, sig);
            byte[] tampered = DATA.clone();
            tampered[3] ^= 1;
            assertFails(AlertDescription.DECRYPT_ERROR, () -> s.verify(kp.getPublic(), tampered, sig));
        }
    }

    @Test
    void refusesPssSignatureWithSaltShorterThanTheHash() throws Exception {
        Signature bc = Signature.getInstance("RSASSA-PSS", BC);
        bc.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1));
        bc.initSign(toBc(RSA.getPrivate()), RANDOM);
        bc.update(DATA);
        byte[] sig = bc.sign();
        assertFails(AlertDescription.DECRYPT_ERROR, () -> SignatureScheme.RSA_PSS_RSAE_SHA256.verify(RSA.getPublic(), DATA, sig));
    }

    @Test
    void fitsPairsEachKeyWithItsOwnSchemes() {
        assertTrue(SignatureScheme.ECDSA_SECP256R1_SHA256.fits(P256.getPublic()));
        assertTrue(SignatureScheme.ECDSA_SECP256R1_SHA256.fits(P256.getPrivate()));
        assertFalse(SignatureScheme.ECDSA_SECP384R1_SHA384.fits(P256.getPrivate()));
        assertTrue(SignatureScheme.ECDSA_SECP384R1_SHA384.fits(P384.getPrivate()));
        assertFalse(SignatureScheme.ECDSA_SECP256R1_SHA256.fits(P384.getPublic()));
        assertTrue(SignatureScheme.ED25519.fits(ED25519.getPublic()));
        assertFalse(SignatureScheme.ED25519.fits(P256.getPublic()));
        for (SignatureScheme rsa : new SignatureScheme[] {SignatureScheme.RSA_PKCS1_SHA256, SignatureScheme.RSA_PKCS1_SHA384,
                SignatureScheme.RSA_PSS_RSAE_SHA256, SignatureScheme.RSA_PSS_RSAE_SHA384}) {
            assertTrue(rsa.fits(RSA.getPrivate()), rsa.name());
            assertFalse(rsa.fits(P256.getPrivate()), rsa.name());
            assertFalse(rsa.fits(ED25519.getPublic()), rsa.name());
        }
        assertFalse(SignatureScheme.of(0x0601).fits(P256.getPublic()));
    }

    @Test
    void ecdsaSchemeVerifiesAnyCurveAsTls12HashSignaturePair() throws DtlsException {
        // RFC 5246 §7.4.1.4.1: 0x0403 is sha256/ecdsa with no curve binding; P-384 keys may use it.
        byte[] sig = SignatureScheme.ECDSA_SECP256R1_SHA256.sign(P384.getPrivate(), DATA, RANDOM);
        SignatureScheme.ECDSA_SECP256R1_SHA256.verify(P384.getPublic(), DATA, sig);
    }

    @Test
    void refusesKeyOfTheWrongTypeAndUnknownSchemes() {
        assertFails(AlertDescription.ILLEGAL_PARAMETER, () -> SignatureScheme.ED25519.verify(P256.getPublic(), DATA, new byte[64]));
        assertFails(AlertDescription.ILLEGAL_PARAMETER, () -> SignatureScheme.RSA_PKCS1_SHA256.verify(P256.getPublic(), DATA, new byte[256]));
        SignatureScheme unknown = SignatureScheme.of(0x0601);
        assertFalse(unknown.isSupported());
        assertEquals("unknown(0x0601)", unknown.toString());
        assertFails(AlertDescription.ILLEGAL_PARAMETER, () -> unknown.verify(P256.getPublic(), DATA, new byte[8]));
        assertFails(AlertDescription.INTERNAL_ERROR, () -> unknown.sign(P256.getPrivate(), DATA, RANDOM));
        assertFails(AlertDescription.INTERNAL_ERROR, () -> SignatureScheme.ED25519.sign(P256.getPrivate(), DATA, RANDOM));
    }

    @Test
    void codesMatchTheRegistry() {
        assertEquals(0x0403, SignatureScheme.ECDSA_SECP256R1_SHA256.code());
        assertEquals(0x0503, SignatureScheme.ECDSA_SECP384R1_SHA384.code());
        assertEquals(0x0807, SignatureScheme.ED25519.code());
        assertEquals(0x0804, SignatureScheme.RSA_PSS_RSAE_SHA256.code());
        assertEquals(0x0805, SignatureScheme.RSA_PSS_RSAE_SHA384.code());
        assertEquals(0x0401, SignatureScheme.RSA_PKCS1_SHA256.code());
        assertEquals(0x0501, SignatureScheme.RSA_PKCS1_SHA384.code());
        for (SignatureScheme s : SignatureScheme.supported()) {
            assertEquals(s, SignatureScheme.of(s.code()));
        }
        assertEquals(org.bouncycastle.tls.SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ECDSA_SECP256R1_SHA256.code());
        assertEquals(org.bouncycastle.tls.SignatureScheme.ecdsa_secp384r1_sha384, SignatureScheme.ECDSA_SECP384R1_SHA384.code());
        assertEquals(org.bouncycastle.tls.SignatureScheme.ed25519, SignatureScheme.ED25519.code());
        assertEquals(org.bouncycastle.tls.SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.RSA_PSS_RSAE_SHA256.code());
        assertEquals(org.bouncycastle.tls.SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.RSA_PSS_RSAE_SHA384.code());
        assertEquals(org.bouncycastle.tls.SignatureScheme.rsa_pkcs1_sha256, SignatureScheme.RSA_PKCS1_SHA256.code());
        assertEquals(org.bouncycastle.tls.SignatureScheme.rsa_pkcs1_sha384, SignatureScheme.RSA_PKCS1_SHA384.code());
    }

    /** Garbage signatures of any length end as decrypt_error, never an unchecked exception. */
    @Property(tries = 150)
    void garbageSignaturesAreDecryptErrors(@ForAll("schemes") SignatureScheme s, @ForAll @Size(max = 300) byte[] sig) {
        PublicKey key = KEYS.get(s).getPublic();
        DtlsException e = assertThrows(DtlsException.class, () -> s.verify(key, DATA, sig));
        assertEquals(AlertDescription.DECRYPT_ERROR, e.alert());
    }

    @Provide
    Arbitrary<SignatureScheme> schemes() {
        return Arbitraries.of(SignatureScheme.supported());
    }

    private static Signature bcSignature(SignatureScheme s) throws GeneralSecurityException {
        switch (s.name()) {
            case "ecdsa_secp256r1_sha256": return Signature.getInstance("SHA256withECDSA", BC);
            case "ecdsa_secp384r1_sha384": return Signature.getInstance("SHA384withECDSA", BC);
            case "ed25519": return Signature.getInstance("Ed25519", BC);
            case "rsa_pkcs1_sha256": return Signature.getInstance("SHA256withRSA", BC);
            case "rsa_pkcs1_sha384": return Signature.getInstance("SHA384withRSA", BC);
            case "rsa_pss_rsae_sha256": return Signature.getInstance("SHA256withRSAandMGF1", BC);
            case "rsa_pss_rsae_sha384": return Signature.getInstance("SHA384withRSAandMGF1", BC);
            default: throw new IllegalArgumentException(s.name());
        }
    }

    private static PublicKey toBc(PublicKey k) throws GeneralSecurityException {
        return KeyFactory.getInstance(k.getAlgorithm(), BC).generatePublic(new X509EncodedKeySpec(k.getEncoded()));
    }

    private static PrivateKey toBc(PrivateKey k) throws GeneralSecurityException {
        return KeyFactory.getInstance(k.getAlgorithm(), BC).generatePrivate(new PKCS8EncodedKeySpec(k.getEncoded()));
    }

    private static KeyPair generate(String algorithm, String curve) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance(algorithm);
            if (curve != null) {
                kpg.initialize(new ECGenParameterSpec(curve), RANDOM);
            } else if (algorithm.equals("RSA")) {
                kpg.initialize(2048, RANDOM);
            }
            return kpg.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertFails(AlertDescription alert, Executable e) {
        DtlsException ex = assertThrows(DtlsException.class, e);
        assertEquals(alert, ex.alert(), ex.getMessage());
    }
}
