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
    private final boolean encryptThenMac;

    /** A session without encrypt_then_mac (an AEAD suite, or a CBC suite that uses MAC-then-encrypt). */
    public Session(byte[] sessionId, CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
                   List<X509Certificate> peerCertificates, byte[] pskIdentity, String serverName) {
        this(sessionId, suite, masterSecret, extendedMasterSecret, peerCertificates, pskIdentity, serverName, false);
    }

    /** A session; {@code encryptThenMac} is whether its CBC suite used RFC 7366, which resumption keeps. */
    public Session(byte[] sessionId, CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
                   List<X509Certificate> peerCertificates, byte[] pskIdentity, String serverName,
                   boolean encryptThenMac) {
        this.encryptThenMac = encryptThenMac;
        this.sessionId = sessionId.clone();
        this.suite = Objects.requireNonNull(suite);
        this.masterSecret = masterSecret.clone();
        this.extendedMasterSecret = extendedMasterSecret;
        this.peerCertificates = List.copyOf(peerCertificates);
        this.pskIdentity = pskIdentity == null ? null : pskIdentity.clone();
        this.serverName = serverName;
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    public CipherSuite suite() {
        return suite;
    }

    /** The master secret (a copy); for key derivation only. */
    public byte[] masterSecret() {
        return masterSecret.clone();
    }

    public boolean extendedMasterSecret() {
        return extendedMasterSecret;
    }

    /** True when the session's CBC suite used encrypt_then_mac; a resumption must too (RFC 7366 §3.1). */
    public boolean encryptThenMac() {
        return encryptThenMac;
    }

    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    public String serverName() {
        return serverName;
    }

    /** True when this session can be offered again: it has an ID and its secret is intact. */
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
        return "Session[id=" + Hex.encode(sessionId) + ", " + suite.name() + (extendedMasterSecret ? ", EMS" : "")
                + (encryptThenMac ? ", EtM" : "") + "]";
    }
}
