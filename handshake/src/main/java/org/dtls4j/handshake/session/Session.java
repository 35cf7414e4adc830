package org.dtls4j.handshake.session;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.wire.Hex;

/**
 * A resumable session (RFC 5246 §7.3): what an abbreviated handshake needs to derive new keys. It holds
 * the master secret, so it never prints it and {@link #destroy()} wipes it.
 *
 * <p>Resumption rules kept here and in the state machines: a session is resumed only under the server_name
 * it was made with (RFC 6066 §3, {@link #matchesServerName}); once a connection that established or
 * resumed it ends in a fatal alert it is {@link #invalidate() invalidated} for good (RFC 5246 §7.2.2).
 * Thread-safe: a client application may hand one session to several connections.
 */
public final class Session {
    private final byte[] sessionId;
    private final CipherSuite suite;
    private final byte[] masterSecret;
    private final boolean extendedMasterSecret;
    private final List<X509Certificate> peerCertificates;
    private final byte[] pskIdentity;
    private final String serverName;
    private volatile boolean invalidated;
    private final PublicKey peerRawPublicKey;
    private final boolean encryptThenMac;
    /** A client's RFC 5077 ticket for this session, or null; replaced when the server renews it. */
    private volatile byte[] ticket;
    private volatile long ticketLifetimeHintSeconds;

    /**
     * A session whose peer, if any, authenticated with a certificate chain or a PSK.
     *
     * @param sessionId the session ID the server issued (RFC 5246 §7.4.1.3), 0 to 32 bytes, copied; empty
     *     when it issued none, and then the session is not resumable
     * @param suite the suite the session was made with, not null
     * @param masterSecret the 48-byte master secret, copied; {@link #destroy()} wipes the copy
     * @param extendedMasterSecret whether the master secret is RFC 7627's extended master secret
     * @param peerCertificates the peer's validated chain, leaf first; empty for PSK or an anonymous client
     * @param pskIdentity the PSK identity of the handshake, or null
     * @param serverName the server_name the session was made under: on a server, the host_name the
     *     client sent; on a client, the name it asked for; null for none
     */
    public Session(byte[] sessionId, CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
                   List<X509Certificate> peerCertificates, byte[] pskIdentity, String serverName) {
        this(sessionId, suite, masterSecret, extendedMasterSecret, peerCertificates, pskIdentity, serverName, null);
    }

    /**
     * A session whose peer authenticated with a raw public key (RFC 7250), kept so that a resumption
     * reports the same peer.
     *
     * @param sessionId the session ID the server issued (RFC 5246 §7.4.1.3), 0 to 32 bytes, copied; empty
     *     when it issued none, and then the session is not resumable
     * @param suite the suite the session was made with, not null
     * @param masterSecret the 48-byte master secret, copied; {@link #destroy()} wipes the copy
     * @param extendedMasterSecret whether the master secret is RFC 7627's extended master secret
     * @param peerCertificates the peer's validated chain, leaf first; empty for PSK or an anonymous client
     * @param pskIdentity the PSK identity of the handshake, or null
     * @param serverName the server_name the session was made under: on a server, the host_name the
     *     client sent; on a client, the name it asked for; null for none
     * @param peerRawPublicKey the peer's raw public key, or null
     */
    public Session(byte[] sessionId, CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
                   List<X509Certificate> peerCertificates, byte[] pskIdentity, String serverName,
                   PublicKey peerRawPublicKey) {
        this(sessionId, suite, masterSecret, extendedMasterSecret, peerCertificates, pskIdentity, serverName,
                peerRawPublicKey, false);
    }

    /**
     * A session; {@code encryptThenMac} is whether its CBC suite used RFC 7366, which a resumption keeps
     * (RFC 7366 §3.1).
     *
     * @param sessionId the session ID the server issued, 0 to 32 bytes, copied; empty when it issued none
     * @param suite the suite the session was made with, not null
     * @param masterSecret the 48-byte master secret, copied; {@link #destroy()} wipes the copy
     * @param extendedMasterSecret whether the master secret is RFC 7627's extended master secret
     * @param peerCertificates the peer's validated chain, leaf first; empty for PSK or an anonymous client
     * @param pskIdentity the PSK identity of the handshake, or null
     * @param serverName the server_name the session was made under, or null for none
     * @param peerRawPublicKey the peer's raw public key, or null
     * @param encryptThenMac whether the session's CBC suite used encrypt_then_mac
     */
    public Session(byte[] sessionId, CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
                   List<X509Certificate> peerCertificates, byte[] pskIdentity, String serverName,
                   PublicKey peerRawPublicKey, boolean encryptThenMac) {
        this.peerRawPublicKey = peerRawPublicKey;
        this.encryptThenMac = encryptThenMac;
        this.sessionId = sessionId.clone();
        this.suite = Objects.requireNonNull(suite);
        this.masterSecret = masterSecret.clone();
        this.extendedMasterSecret = extendedMasterSecret;
        this.peerCertificates = List.copyOf(peerCertificates);
        this.pskIdentity = pskIdentity == null ? null : pskIdentity.clone();
        this.serverName = serverName;
    }

    /** {@return the session ID (a copy); empty when the server issued none (then only a {@link #ticket()} resumes it)} */
    public byte[] sessionId() {
        return sessionId.clone();
    }

    /** {@return the suite the session was made with; a resumption keeps it} */
    public CipherSuite suite() {
        return suite;
    }

    /** {@return the master secret (a copy, all zeros once destroyed); for key derivation only} */
    public synchronized byte[] masterSecret() {
        return masterSecret.clone();
    }

    /** {@return true when the session's master secret is RFC 7627's extended master secret} */
    public boolean extendedMasterSecret() {
        return extendedMasterSecret;
    }

    /** {@return true when the session's CBC suite used encrypt_then_mac; a resumption must too (RFC 7366 §3.1)} */
    public boolean encryptThenMac() {
        return encryptThenMac;
    }

    /** {@return the peer's chain as validated when the session was made; empty for PSK or an anonymous client} */
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    /** {@return the peer's raw public key (RFC 7250), or null when it sent a certificate or none} */
    public PublicKey peerRawPublicKey() {
        return peerRawPublicKey;
    }

    /** {@return the PSK identity of the session's handshake (a copy), or null} */
    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    /** {@return the server_name the session was made under (see the constructor), or null for none} */
    public String serverName() {
        return serverName;
    }

    /**
     * Tells whether {@code name} is the server_name this session was made under: both absent, or equal
     * ignoring ASCII case (host names are case-insensitive; RFC 6066 §3 sends them as ASCII).
     *
     * @param name the server_name of the new handshake, or null for none
     * @return true when the session may be resumed under {@code name}
     */
    public boolean matchesServerName(String name) {
        if (serverName == null || name == null) {
            return serverName == null && name == null;
        }
        if (serverName.length() != name.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (asciiLower(serverName.charAt(i)) != asciiLower(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@return the session ticket a client holds for this session (a copy), or null (RFC 5077 §3.4)} */
    public byte[] ticket() {
        byte[] t = ticket;
        return t == null ? null : t.clone();
    }

    /** {@return the server's ticket_lifetime_hint for {@link #ticket()} in seconds; 0 when unspecified or no ticket} */
    public long ticketLifetimeHintSeconds() {
        return ticketLifetimeHintSeconds;
    }

    /**
     * Keeps the ticket the server sent in NewSessionTicket (RFC 5077 §3.3), replacing any earlier one; a
     * client-side session only. The engine calls it; an application restoring a stored session may too.
     *
     * @param newTicket the opaque ticket, copied
     * @param lifetimeHintSeconds the server's ticket_lifetime_hint in seconds, 0 when unspecified
     */
    public void attachTicket(byte[] newTicket, long lifetimeHintSeconds) {
        this.ticketLifetimeHintSeconds = lifetimeHintSeconds;
        this.ticket = newTicket.clone();
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * Tells whether this session can be offered again: it has an ID or a ticket, it was not
     * {@link #invalidate() invalidated} and its secret is intact.
     *
     * @return true when the session can be resumed
     */
    public boolean isResumable() {
        return (sessionId.length > 0 || ticket != null) && !invalidated && !destroyed();
    }

    /**
     * Makes the session non-resumable for good, keeping its secret for connections already using it:
     * RFC 5246 §7.2.2, a connection that ends in a fatal alert invalidates its session, while "other
     * connections corresponding to the session may continue". The engine calls it when a connection that
     * established or resumed this session fails; an application may call it to forget a session.
     */
    public void invalidate() {
        invalidated = true;
    }

    private synchronized boolean destroyed() {
        for (byte b : masterSecret) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Wipes the master secret; the session can no longer be resumed. */
    public synchronized void destroy() {
        invalidated = true;
        Arrays.fill(masterSecret, (byte) 0);
    }

    @Override
    public String toString() {
        return "Session[id=" + Hex.encode(sessionId) + ", " + suite.name() + (extendedMasterSecret ? ", EMS" : "")
                + (encryptThenMac ? ", EtM" : "") + "]";
    }
}
