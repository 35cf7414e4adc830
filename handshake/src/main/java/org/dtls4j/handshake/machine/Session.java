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
    /** A client's RFC 5077 ticket for this session, or null; replaced when the server renews it. */
    private volatile byte[] ticket;
    private volatile long ticketLifetimeHintSeconds;

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

    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    public String serverName() {
        return serverName;
    }

    /** True when this session can be offered again: it has an ID or a ticket, and its secret is intact. */
    public boolean isResumable() {
        return (sessionId.length > 0 || ticket != null) && !destroyed();
    }

    /** The session ticket a client holds for this session (a copy), or null (RFC 5077 §3.4). */
    public byte[] ticket() {
        byte[] t = ticket;
        return t == null ? null : t.clone();
    }

    /** The server's ticket_lifetime_hint for {@link #ticket()} in seconds; 0 when unspecified or no ticket. */
    public long ticketLifetimeHintSeconds() {
        return ticketLifetimeHintSeconds;
    }

    /** Keeps the ticket the server sent in NewSessionTicket (a client-side session only). */
    void attachTicket(byte[] newTicket, long lifetimeHintSeconds) {
        this.ticketLifetimeHintSeconds = lifetimeHintSeconds;
        this.ticket = newTicket.clone();
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
