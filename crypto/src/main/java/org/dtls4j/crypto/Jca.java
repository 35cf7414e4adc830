package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
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
}
