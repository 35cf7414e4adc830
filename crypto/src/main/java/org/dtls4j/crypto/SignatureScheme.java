package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.Objects;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * A signature algorithm from signature_algorithms and the digitally-signed structs (RFC 5246
 * §7.4.1.4.1, code points from the RFC 8446 §4.2.3 registry): an open value over its 16-bit code, so
 * unknown schemes round-trip. The supported ones sign and verify through JCA.
 *
 * <p>In TLS 1.2 the code is a hash/signature pair, so {@code 0x0403} means "ECDSA with SHA-256" on any
 * curve; {@link #verify} accepts any EC key for the ECDSA schemes. {@link #fits} is stricter (the TLS 1.3
 * curve pairing) and is what a signer should use to pick its scheme, because every peer accepts that.
 *
 * <p>{@link #verify} reports failure by throwing {@link DtlsException} rather than returning a
 * boolean, so a caller cannot ignore the result by accident.
 */
public final class SignatureScheme {
    /** RFC 5246 rsa_pkcs1_sha256: RSASSA-PKCS1-v1_5 with SHA-256. */
    public static final SignatureScheme RSA_PKCS1_SHA256 = new SignatureScheme(0x0401, "rsa_pkcs1_sha256", Family.RSA, "SHA256withRSA", null);
    /** ecdsa_secp256r1_sha256: ECDSA on P-256 with SHA-256. */
    public static final SignatureScheme ECDSA_SECP256R1_SHA256 = new SignatureScheme(0x0403, "ecdsa_secp256r1_sha256", Family.ECDSA, "SHA256withECDSA", null);
    /** rsa_pkcs1_sha384: RSASSA-PKCS1-v1_5 with SHA-384. */
    public static final SignatureScheme RSA_PKCS1_SHA384 = new SignatureScheme(0x0501, "rsa_pkcs1_sha384", Family.RSA, "SHA384withRSA", null);
    /** ecdsa_secp384r1_sha384: ECDSA on P-384 with SHA-384. */
    public static final SignatureScheme ECDSA_SECP384R1_SHA384 = new SignatureScheme(0x0503, "ecdsa_secp384r1_sha384", Family.ECDSA, "SHA384withECDSA", null);
    /** RFC 8446 §4.2.3: PSS with MGF1 of the same hash and a salt as long as the hash. */
    public static final SignatureScheme RSA_PSS_RSAE_SHA256 = new SignatureScheme(0x0804, "rsa_pss_rsae_sha256", Family.RSA, "RSASSA-PSS",
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    /** RFC 8446 §4.2.3: PSS with SHA-384, MGF1 of SHA-384 and a 48-byte salt. */
    public static final SignatureScheme RSA_PSS_RSAE_SHA384 = new SignatureScheme(0x0805, "rsa_pss_rsae_sha384", Family.RSA, "RSASSA-PSS",
            new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));
    /** RFC 8422 §5.1.3: Ed25519 is usable in TLS 1.2 too. */
    public static final SignatureScheme ED25519 = new SignatureScheme(0x0807, "ed25519", Family.ED25519, "Ed25519", null);

    private static final List<SignatureScheme> SUPPORTED = List.of(
            ECDSA_SECP256R1_SHA256, ECDSA_SECP384R1_SHA384, ED25519,
            RSA_PSS_RSAE_SHA256, RSA_PSS_RSAE_SHA384, RSA_PKCS1_SHA256, RSA_PKCS1_SHA384);

    private static final int ED25519_SIGNATURE_LENGTH = 64;

    private enum Family { ECDSA, ED25519, RSA }

    private final int code;
    private final String name;
    private final Family family;
    private final String jcaName;
    private final AlgorithmParameterSpec jcaParams;

    private SignatureScheme(int code, String name, Family family, String jcaName, AlgorithmParameterSpec jcaParams) {
        this.code = code;
        this.name = name;
        this.family = family;
        this.jcaName = jcaName;
        this.jcaParams = jcaParams;
    }

    /**
     * {@return the scheme for a 16-bit wire code; unknown codes get a value of their own, never an error}
     *
     * @param code the 16-bit value from signature_algorithms or a signed message
     */
    public static SignatureScheme of(int code) {
        int c = code & 0xffff;
        for (SignatureScheme s : SUPPORTED) {
            if (s.code == c) {
                return s;
            }
        }
        return new SignatureScheme(c, String.format("unknown(0x%04X)", c), null, null, null);
    }

    /** {@return the supported schemes in dtls4j's default preference order, for signature_algorithms} */
    public static List<SignatureScheme> supported() {
        return SUPPORTED;
    }

    /** {@return the 16-bit wire code} */
    public int code() {
        return code;
    }

    /** {@return the IANA name, or {@code unknown(0xABCD)}} */
    public String name() {
        return name;
    }

    /** {@return true when dtls4j can sign and verify with this scheme} */
    public boolean isSupported() {
        return family != null;
    }

    /**
     * True when this scheme is the right one to sign with {@code key} (public or private): ECDSA on the
     * scheme's own curve (P-256 with SHA-256, P-384 with SHA-384), an Ed25519 key, or an RSA key
     * (rsaEncryption, not an RSASSA-PSS-only key, for both PKCS#1 and rsa_pss_rsae).
      *
     * @param key a public or private key
     * @return whether this scheme signs or verifies with {@code key}
     */
    public boolean fits(Key key) {
        if (!isFamilyOf(key)) {
            return false;
        }
        if (family == Family.ECDSA) {
            NistCurve curve = code == ECDSA_SECP256R1_SHA256.code ? NistCurve.P256 : NistCurve.P384;
            return sameCurve(((ECKey) key).getParams(), curve.params);
        }
        return true;
    }

    /**
     * Signs {@code data} (the whole signed content, hashed here) with {@code key}.
     *
     * @param key the signing key
     * @param data the signed content
     * @param random randomness for ECDSA and PSS
     * @return the signature in TLS wire form
     * @throws DtlsException internal_error when the scheme is unsupported, the key does not suit it, or
     *     the provider fails; all of these are local configuration faults
     */
    public byte[] sign(PrivateKey key, byte[] data, SecureRandom random) throws DtlsException {
        return sign(key, data, random, null);
    }

    /**
     * This side's signing key as {@code provider} would make it (null: the key itself), to convert once at
     * configuration time: a provider may sign much faster with a key of its own than with a JDK key.
     *
     * @param key the signing key, not null
     * @param provider the JCA provider, or null
     * @return the key in the provider's own form, or {@code key} itself
     */
    public static PrivateKey forProvider(PrivateKey key, Provider provider) {
        return Jca.own(Objects.requireNonNull(key, "key"), provider);
    }

    /**
     * {@link #sign(PrivateKey, byte[], SecureRandom)} through {@code provider}'s {@link Signature}
     * ({@code null}: the JDK's default provider list).
     *
     * @param key this side's private key, of this scheme's family
     * @param data the content to sign
     * @param random the randomness for ECDSA and RSA-PSS
     * @param provider the JCA provider, or null
     * @return the signature in wire form
     * @throws DtlsException internal_error when the key does not suit the scheme or the provider fails;
     *     both are local configuration faults
     */
    public byte[] sign(PrivateKey key, byte[] data, SecureRandom random, Provider provider) throws DtlsException {
        Objects.requireNonNull(data, "data");
        if (!isFamilyOf(key)) {
            throw new DtlsException(AlertDescription.INTERNAL_ERROR, name + " cannot sign with a " + describe(key) + " key");
        }
        try {
            Signature s = newSignature(provider);
            s.initSign(key, random);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DtlsException(AlertDescription.INTERNAL_ERROR, name + " signing failed", e);
        }
    }

    /**
     * Verifies {@code signature} over {@code data} with the peer's certificate key.
     *
     * @param key the peer's public key
     * @param data the signed content
     * @param signature the signature from the wire
     * @throws DtlsException illegal_parameter when the scheme is unsupported or does not match the key's
     *     type; decrypt_error (RFC 5246 §7.2.2) when the signature is wrong or malformed
     */
    public void verify(PublicKey key, byte[] data, byte[] signature) throws DtlsException {
        verify(key, data, signature, null);
    }

    /**
     * {@link #verify(PublicKey, byte[], byte[])} through {@code provider}'s {@link Signature}
     * ({@code null}: the JDK's default provider list); the encoding checks stay ours.
     *
     * @param key the peer's public key
     * @param data the signed content
     * @param signature the signature from the wire
     * @param provider the JCA provider, or null
     * @throws DtlsException illegal_parameter when the scheme does not match the key's type; decrypt_error
     *     (RFC 5246 §7.2.2) when the signature is wrong or malformed
     */
    public void verify(PublicKey key, byte[] data, byte[] signature, Provider provider) throws DtlsException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(signature, "signature");
        if (!isFamilyOf(key)) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, name + " does not match a " + describe(key) + " key");
        }
        if (!isWellFormed(key, signature)) {
            throw new DtlsException(AlertDescription.DECRYPT_ERROR, name + " signature malformed");
        }
        boolean ok;
        try {
            Signature s = newSignature(provider);
            s.initVerify(Jca.own(key, provider));
            s.update(data);
            ok = s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Malformed DER, wrong lengths, out-of-range integers: providers report these as exceptions
            // (some unchecked); a peer must only ever see decrypt_error.
            throw new DtlsException(AlertDescription.DECRYPT_ERROR, name + " signature malformed", e);
        }
        if (!ok) {
            throw new DtlsException(AlertDescription.DECRYPT_ERROR, name + " signature does not verify");
        }
    }

    /**
     * Encoding checks the JDK 17 verifiers skip: strict DER for ECDSA, and exactly 64 bytes for Ed25519
     * (RFC 8032 §5.1.7; the JDK accepted Wycheproof's signature with a byte appended).
     */
    private boolean isWellFormed(PublicKey key, byte[] signature) {
        switch (family) {
            case ECDSA:
                return EcdsaSignatureFormat.isStrictDer(signature, ((ECKey) key).getParams().getOrder());
            case ED25519:
                return signature.length == ED25519_SIGNATURE_LENGTH;
            default:
                return true;
        }
    }

    private Signature newSignature(Provider provider) throws GeneralSecurityException {
        Signature s = Jca.signature(jcaName, provider);
        if (jcaParams != null) {
            s.setParameter(jcaParams);
        }
        return s;
    }

    private boolean isFamilyOf(Key key) {
        if (family == null || key == null) {
            return false;
        }
        switch (family) {
            case ECDSA:
                return key instanceof ECKey && "EC".equals(key.getAlgorithm());
            case ED25519:
                return "Ed25519".equalsIgnoreCase(key.getAlgorithm())
                        || key instanceof EdECKey && "Ed25519".equalsIgnoreCase(((EdECKey) key).getParams().getName());
            case RSA:
                return key instanceof RSAKey && "RSA".equals(key.getAlgorithm());
            default:
                return false;
        }
    }

    private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
        return a.getCurve().equals(b.getCurve()) && a.getGenerator().equals(b.getGenerator()) && a.getOrder().equals(b.getOrder());
    }

    private static String describe(Key key) {
        return key == null ? "missing" : key.getAlgorithm();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignatureScheme other && other.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name;
    }
}
