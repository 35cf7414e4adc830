package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * JCA look-ups that honour a caller's {@link Provider}: null means the JDK's provider list, as
 * {@code getInstance(algorithm)} would search it; a given provider is used alone, with no fallback, so a
 * benchmark or a user knows which implementation did the work.
 */
final class Jca {
    private Jca() {
    }

    static KeyPairGenerator keyPairGenerator(String algorithm, Provider provider) throws GeneralSecurityException {
        return provider == null ? KeyPairGenerator.getInstance(algorithm) : KeyPairGenerator.getInstance(algorithm, provider);
    }

    static KeyFactory keyFactory(String algorithm, Provider provider) throws GeneralSecurityException {
        return provider == null ? KeyFactory.getInstance(algorithm) : KeyFactory.getInstance(algorithm, provider);
    }

    static KeyAgreement keyAgreement(String algorithm, Provider provider) throws GeneralSecurityException {
        return provider == null ? KeyAgreement.getInstance(algorithm) : KeyAgreement.getInstance(algorithm, provider);
    }

    static Signature signature(String algorithm, Provider provider) throws GeneralSecurityException {
        return provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
    }

    /**
     * {@code key} re-made by {@code provider} from its X.509 encoding, so the provider computes with a key of
     * its own: Bouncy Castle given a JDK EC key converts it on every use to explicit curve parameters and
     * loses its cached fixed-base tables (sign + verify ran 4-6x slower than with its own keys). The key
     * as it is when there is no provider or the provider cannot read it.
     */
    static PublicKey own(PublicKey key, Provider provider) {
        byte[] encoded = provider == null ? null : key.getEncoded();
        if (encoded == null) {
            return key;
        }
        try {
            return keyFactory(key.getAlgorithm(), provider).generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }

    /** {@link #own(PublicKey, Provider)} for a private key, from its PKCS #8 encoding (wiped after). */
    static PrivateKey own(PrivateKey key, Provider provider) {
        byte[] encoded = provider == null ? null : key.getEncoded();
        if (encoded == null) {
            return key;
        }
        try {
            return keyFactory(key.getAlgorithm(), provider).generatePrivate(new PKCS8EncodedKeySpec(encoded));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }
}
