package org.dtls4j.handshake.machine;

import java.security.PublicKey;
import java.security.Provider;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.wire.DtlsException;

/**
 * Proof that a peer's signature (its ServerKeyExchange, or its CertificateVerify) verified under the key it
 * authenticated with. Only {@link #check} makes one, and the states that follow a signed message demand
 * one, as {@link FinishedVerified} does for the Finished: no path reaches them with the check skipped.
 */
public final class SignatureVerified {
    private SignatureVerified() {
    }

    /**
     * Verifies {@code signature} over {@code content}; a bad one is decrypt_error (RFC 5246 §7.4.8).
     *
     * @param scheme the scheme the peer named, already accepted for {@code key}
     * @param key the peer's public key
     * @param content the signed bytes
     * @param signature the signature
     * @param provider the JCA provider, or null for the default
     * @return the proof
     * @throws DtlsException when it does not verify
     */
    static SignatureVerified check(SignatureScheme scheme, PublicKey key, byte[] content, byte[] signature,
                                   Provider provider) throws DtlsException {
        scheme.verify(key, content, signature, provider);
        return new SignatureVerified();
    }
}
