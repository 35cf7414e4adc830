package org.dtls4j.handshake.auth;

/**
 * The server's pre-shared keys: the application's callback from an identity (RFC 4279 §5.1) to its key.
 * Called during the handshake on the connection's thread; it should answer quickly.
 */
@FunctionalInterface
public interface PskStore {
    /**
     * {@return the key for {@code identity}, or {@code null} when the identity is unknown (unknown_psk_identity)}
     *
     * @param identity the identity the client sent
     */
    byte[] keyFor(byte[] identity);

    /** {@return the psk_identity_hint sent in ServerKeyExchange, or {@code null} for none} */
    default byte[] identityHint() {
        return null;
    }
}
