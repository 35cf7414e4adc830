package org.dtls4j.handshake.auth;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** A private key with the certificate chain (leaf first) that this side presents. */
public record CertificateIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
    /**
     * Checks the key and the chain and copies the chain.
     *
     * @param privateKey the private key of the leaf certificate, not null
     * @param chain the chain, leaf first, at least one certificate; copied
     */
    public CertificateIdentity {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    /** {@return the end-entity certificate, first in the chain} */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "CertificateIdentity[" + leaf().getSubjectX500Principal() + ", " + chain.size() + " certificate(s)]";
    }
}
