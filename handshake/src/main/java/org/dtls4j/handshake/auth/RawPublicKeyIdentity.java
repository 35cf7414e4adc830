package org.dtls4j.handshake.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Objects;

/**
 * A key pair that this side presents as a raw public key (RFC 7250) instead of a certificate: the public
 * key goes out as its SubjectPublicKeyInfo in the Certificate message, and the private key signs
 * ServerKeyExchange (server) or CertificateVerify (client) as a certificate's key would.
 *
 * <p>The constructor checks that the two keys belong together by signing and verifying a fixed message,
 * so a mismatched pair fails at configuration rather than in every handshake.
 *
 * @param privateKey the key that signs the handshake: EC, Ed25519 or RSA
 * @param publicKey the matching public key, sent as its SubjectPublicKeyInfo
 */
public record RawPublicKeyIdentity(PrivateKey privateKey, PublicKey publicKey) {
    /**
     * Checks that the keys are there, can be encoded and belong together.
     *
     * @param privateKey the key that signs the handshake: EC, Ed25519 or RSA; not null
     * @param publicKey the matching public key, not null, with a SubjectPublicKeyInfo encoding
     * @throws IllegalArgumentException when the public key has no encoding, the private key's algorithm
     *         cannot sign TLS 1.2 handshakes, or the two keys do not belong together
     */
    public RawPublicKeyIdentity {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.getEncoded() == null) {
            throw new IllegalArgumentException("public key has no SubjectPublicKeyInfo encoding");
        }
        checkPair(privateKey, publicKey);
    }

    /** {@return the DER SubjectPublicKeyInfo sent in the Certificate message (a fresh copy)} */
    public byte[] subjectPublicKeyInfo() {
        return publicKey.getEncoded();
    }

    private static void checkPair(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException(
                    privateKey.getAlgorithm() + " keys cannot sign TLS 1.2 handshakes");
        };
        byte[] probe = "dtls4j raw public key pair check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (!verifier.verify(sig)) {
                throw new IllegalArgumentException("the public key does not belong to the private key");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the public key does not belong to the private key", e);
        }
    }

    @Override
    public String toString() {
        return "RawPublicKeyIdentity[" + publicKey.getAlgorithm() + "]";
    }
}
