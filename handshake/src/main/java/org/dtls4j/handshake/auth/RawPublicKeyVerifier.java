package org.dtls4j.handshake.auth;

import java.security.PublicKey;
import java.util.Collection;

/**
 * Decides whether a peer that authenticated with a raw public key (RFC 7250) is trusted: without a
 * certificate there is no chain to validate, so the application says which keys it knows (RFC 7250 §6:
 * the binding of key to identity is out of band). Called during the handshake on the connection's thread,
 * after the key has been parsed and checked for type and strength; it should answer quickly.
 *
 * <p>{@link #pinned} is the usual choice: a fixed set of keys.
 */
@FunctionalInterface
public interface RawPublicKeyVerifier {
    /**
     * Decides whether {@code peerKey} is trusted; false fails the handshake with certificate_unknown.
     *
     * @param peerKey the peer's key; {@link PublicKey#getEncoded()} is the SubjectPublicKeyInfo it sent
     * @return true to trust the peer
     */
    boolean isTrusted(PublicKey peerKey);

    /**
     * Trusts exactly these keys, compared by the SHA-256 of their SubjectPublicKeyInfo in constant time.
     *
     * @param keys the trusted keys
     * @return the verifier
     */
    static RawPublicKeyVerifier pinned(Collection<? extends PublicKey> keys) {
        return PinnedRawPublicKeys.of(keys);
    }

    /**
     * Trusts exactly these keys, compared as {@link #pinned(Collection)} does.
     *
     * @param keys the trusted keys
     * @return the verifier
     */
    static RawPublicKeyVerifier pinned(PublicKey... keys) {
        return pinned(java.util.List.of(keys));
    }
}
