package org.dtls4j.handshake.machine;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the peer authenticated with once its Certificate was accepted (or its session resumed): an X.509
 * chain, or a raw public key (RFC 7250), or nothing (PSK, or a client that sent no certificate).
 *
 * @param chain the peer's certificate chain, leaf first; empty for a raw key or none
 * @param rawKey the peer's raw public key, or null
 */
record PeerCredential(List<X509Certificate> chain, PublicKey rawKey) {
    /** The peer presented nothing. */
    static final PeerCredential NONE = new PeerCredential(List.of(), null);

    /** @param chain a validated certificate chain, leaf first, or empty */
    static PeerCredential of(List<X509Certificate> chain) {
        return chain.isEmpty() ? NONE : new PeerCredential(chain, null);
    }

    /** @param key an accepted raw public key, or null */
    static PeerCredential ofRawKey(PublicKey key) {
        return key == null ? NONE : new PeerCredential(List.of(), key);
    }

    /** {@return true when the peer presented neither a certificate nor a raw key} */
    boolean isEmpty() {
        return chain.isEmpty() && rawKey == null;
    }

    /** {@return the key the peer signs with: its raw key when it sent one, else its leaf certificate's} */
    PublicKey signingKey() {
        return rawKey != null ? rawKey : chain.get(0).getPublicKey();
    }
}
