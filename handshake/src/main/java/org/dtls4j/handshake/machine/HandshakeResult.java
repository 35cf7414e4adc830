package org.dtls4j.handshake.machine;

import java.security.cert.X509Certificate;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;

/**
 * What a completed handshake agreed: the suite, who the peer is, the application protocol, and the
 * session (resumable when it has an ID).
 *
 * @param peerCertificates the peer's validated chain, leaf first; empty for PSK or an anonymous client
 * @param pskIdentity the PSK identity used, or null
 * @param applicationProtocol the ALPN protocol, or null
 * @param serverName the server_name the client sent, or null
 * @param peerRecordSizeLimit the peer's record_size_limit, or 0 when it sent none
 */
public record HandshakeResult(CipherSuite suite, List<X509Certificate> peerCertificates, byte[] pskIdentity,
                              String applicationProtocol, String serverName, Session session, boolean resumed,
                              boolean extendedMasterSecret, int peerRecordSizeLimit) {
    /**
     * Copies the certificate list and the PSK identity.
     *
     * @param suite the {@code suite} component
     * @param peerCertificates the peer's validated chain, leaf first; empty for PSK or an anonymous client
     * @param pskIdentity the PSK identity used, or null
     * @param applicationProtocol the ALPN protocol, or null
     * @param serverName the server_name the client sent, or null
     * @param session the {@code session} component
     * @param resumed the {@code resumed} component
     * @param extendedMasterSecret the {@code extendedMasterSecret} component
     * @param peerRecordSizeLimit the peer's record_size_limit, or 0 when it sent none
     */
    public HandshakeResult {
        peerCertificates = List.copyOf(peerCertificates);
        pskIdentity = pskIdentity == null ? null : pskIdentity.clone();
    }

    /** {@return a copy of the PSK identity used, or null for a certificate suite} */
    @Override
    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    @Override
    public String toString() {
        return "HandshakeResult[" + suite.name() + (resumed ? ", resumed" : "")
                + (applicationProtocol != null ? ", alpn=" + applicationProtocol : "")
                + (peerCertificates.isEmpty() ? "" : ", peer=" + peerCertificates.get(0).getSubjectX500Principal())
                + "]";
    }
}
