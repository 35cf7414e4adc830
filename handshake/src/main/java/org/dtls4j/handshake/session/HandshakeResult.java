package org.dtls4j.handshake.session;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.SrtpProtectionProfile;

/**
 * What a completed handshake agreed: the suite, who the peer is, the application protocol, and the
 * session (resumable when it has an ID).
 *
 * @param suite the negotiated cipher suite
 * @param peerCertificates the peer's validated chain, leaf first; empty for PSK or an anonymous client
 * @param pskIdentity the PSK identity used, or null
 * @param applicationProtocol the ALPN protocol, or null
 * @param serverName the server_name the client sent, or null
 * @param session the session this handshake made or resumed; it has no ID when the server issued none
 * @param resumed whether this was an abbreviated handshake resuming an earlier session (RFC 5246 §7.3)
 * @param extendedMasterSecret whether the master secret was bound to the transcript (RFC 7627)
 * @param peerRecordSizeLimit the peer's record_size_limit, or 0 when it sent none
 * @param peerRawPublicKey the peer's raw public key when it authenticated with one (RFC 7250), else null
 * @param srtpProfile the SRTP protection profile use_srtp agreed (RFC 5764 §4.1), or null for none
 * @param srtpMki the SRTP MKI both sides use, empty for none; null when no SRTP profile was agreed
 * @param connectionId the Connection IDs the hellos agreed (RFC 9146), or null when none was negotiated
 */
public record HandshakeResult(CipherSuite suite, List<X509Certificate> peerCertificates, byte[] pskIdentity,
                              String applicationProtocol, String serverName, Session session, boolean resumed,
                              boolean extendedMasterSecret, int peerRecordSizeLimit, PublicKey peerRawPublicKey,
                              SrtpProtectionProfile srtpProfile, byte[] srtpMki, AgreedConnectionId connectionId) {
    /**
     * Copies the certificate list and the PSK identity.
     *
     * @param suite the negotiated cipher suite
     * @param peerCertificates the peer's validated chain, leaf first; empty for PSK or an anonymous client
     * @param pskIdentity the PSK identity used, or null
     * @param applicationProtocol the ALPN protocol, or null
     * @param serverName the server_name the client sent, or null
     * @param session the session this handshake made or resumed; it has no ID when the server issued none
     * @param resumed whether this was an abbreviated handshake resuming an earlier session (RFC 5246 §7.3)
     * @param extendedMasterSecret whether the master secret was bound to the transcript (RFC 7627)
     * @param peerRecordSizeLimit the peer's record_size_limit, or 0 when it sent none
     * @param peerRawPublicKey the peer's raw public key (RFC 7250), or null
     * @param srtpProfile the SRTP protection profile agreed, or null
     * @param srtpMki the SRTP MKI, or null when no profile was agreed
     * @param connectionId the Connection IDs agreed (RFC 9146), or null
     */
    public HandshakeResult {
        peerCertificates = List.copyOf(peerCertificates);
        pskIdentity = pskIdentity == null ? null : pskIdentity.clone();
        srtpMki = srtpMki == null ? null : srtpMki.clone();
    }

    /** {@return a copy of the SRTP MKI both sides use, empty for none; null when no SRTP profile was agreed} */
    @Override
    public byte[] srtpMki() {
        return srtpMki == null ? null : srtpMki.clone();
    }

    /**
     * A result without SRTP whose peer, if any, authenticated with a certificate chain.
     *
     * @param suite the negotiated cipher suite
     * @param peerCertificates the peer's validated chain, leaf first; empty for PSK or an anonymous client
     * @param pskIdentity the PSK identity used, or null
     * @param applicationProtocol the ALPN protocol, or null
     * @param serverName the server_name the client sent, or null
     * @param session the session this handshake made or resumed
     * @param resumed whether this was an abbreviated handshake
     * @param extendedMasterSecret whether the master secret was bound to the transcript (RFC 7627)
     * @param peerRecordSizeLimit the peer's record_size_limit, or 0 when it sent none
     */
    public HandshakeResult(CipherSuite suite, List<X509Certificate> peerCertificates, byte[] pskIdentity,
                           String applicationProtocol, String serverName, Session session, boolean resumed,
                           boolean extendedMasterSecret, int peerRecordSizeLimit) {
        this(suite, peerCertificates, pskIdentity, applicationProtocol, serverName, session, resumed,
                extendedMasterSecret, peerRecordSizeLimit, null);
    }

    /**
     * A result without SRTP; {@code peerRawPublicKey} as the record component says.
     *
     * @param suite the negotiated cipher suite
     * @param peerCertificates the peer's validated chain, leaf first; empty for PSK or an anonymous client
     * @param pskIdentity the PSK identity used, or null
     * @param applicationProtocol the ALPN protocol, or null
     * @param serverName the server_name the client sent, or null
     * @param session the session this handshake made or resumed
     * @param resumed whether this was an abbreviated handshake
     * @param extendedMasterSecret whether the master secret was bound to the transcript (RFC 7627)
     * @param peerRecordSizeLimit the peer's record_size_limit, or 0 when it sent none
     * @param peerRawPublicKey the peer's raw public key (RFC 7250), or null
     */
    public HandshakeResult(CipherSuite suite, List<X509Certificate> peerCertificates, byte[] pskIdentity,
                           String applicationProtocol, String serverName, Session session, boolean resumed,
                           boolean extendedMasterSecret, int peerRecordSizeLimit, PublicKey peerRawPublicKey) {
        this(suite, peerCertificates, pskIdentity, applicationProtocol, serverName, session, resumed,
                extendedMasterSecret, peerRecordSizeLimit, peerRawPublicKey, null, null, null);
    }

    /** {@return true when the peer authenticated with a raw public key (RFC 7250) rather than a certificate} */
    public boolean peerUsedRawPublicKey() {
        return peerRawPublicKey != null;
    }

    /** {@return the key the peer proved it holds: its raw public key or its leaf certificate's key; null for none} */
    public PublicKey peerPublicKey() {
        if (peerRawPublicKey != null) {
            return peerRawPublicKey;
        }
        return peerCertificates.isEmpty() ? null : peerCertificates.get(0).getPublicKey();
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
                + (srtpProfile != null ? ", srtp=" + srtpProfile : "")
                + (connectionId != null ? ", cid" : "")
                + (peerCertificates.isEmpty() ? "" : ", peer=" + peerCertificates.get(0).getSubjectX500Principal())
                + (peerRawPublicKey != null ? ", peer raw " + peerRawPublicKey.getAlgorithm() + " key" : "")
                + "]";
    }
}
