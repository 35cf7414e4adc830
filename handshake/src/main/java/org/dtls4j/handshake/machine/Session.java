package org.dtls4j.handshake.machine;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.wire.Hex;

/**
 * A resumable session (RFC 5246 §7.3): what an abbreviated handshake needs to derive new keys. It holds
 * the master secret, so it never prints it and {@link #destroy()} wipes it.
 */
public final class Session {
    private final byte[] sessionId;
    private final CipherSuite suite;
    private final byte[] masterSecret;
    private final boolean extendedMasterSecret;
    private final List<X509Certificate> peerCertificates;
    private final byte[] pskIdentity;
    private final String serverName;

    /**
     * A session to resume later; the arrays are copied.
     *
     * @param sessionId the session_id the server gave
     * @param suite the negotiated suite
     * @param masterSecret the master secret
     * @param extendedMasterSecret whether RFC 7627 was negotiated
     * @param peerCertificates the peer's chain, empty for PSK
     * @param pskIdentity the PSK identity, or null
     * @param serverName the server_name asked for, or null
     */
    public Session(byte[] sessionId, CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
                   List<X509Certificate> peerCertificates, byte[] pskIdentity, String serverName) {
        this.sessionId = sessionId.clone();
        this.suite = Objects.requireNonNull(suite);
        this.masterSecret = masterSecret.clone();
        this.extendedMasterSecret = extendedMasterSecret;
        this.peerCertificates = List.copyOf(peerCertificates);
        this.pskIdentity = pskIdentity == null ? null : pskIdentity.clone();
        this.serverName = serverName;
    }

    /** {@return a copy of the session_id} */
    public byte[] sessionId() {
        return sessionId.clone();
    }

    /** {@return the negotiated suite} */
    public CipherSuite suite() {
        return suite;
    }

    /** {@return the master secret (a copy); for key derivation only} */
    public byte[] masterSecret() {
        return masterSecret.clone();
    }

    /** {@return whether the session used the extended master secret} */
    public boolean extendedMasterSecret() {
        return extendedMasterSecret;
    }

    /** {@return the peer's chain, empty for PSK} */
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    /** {@return a copy of the PSK identity, or null} */
    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    /** {@return the server_name asked for, or null} */
    public String serverName() {
        return serverName;
    }

    /** {@return true when this session can be offered again: it has an ID and its secret is intact} */
    public boolean isResumable() {
        return sessionId.length > 0 && !destroyed();
    }

    private boolean destroyed() {
        for (byte b : masterSecret) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Wipes the master secret; the session can no longer be resumed. */
    public void destroy() {
        Arrays.fill(masterSecret, (byte) 0);
    }

    @Override
    public String toString() {
        return "Session[id=" + Hex.encode(sessionId) + ", " + suite.name() + (extendedMasterSecret ? ", EMS" : "") + "]";
    }
}
