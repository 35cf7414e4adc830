package org.dtls4j.handshake.machine;

import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * What a session ticket carries (RFC 5077 §4 StatePlaintext, with RFC 7627's EMS flag): everything the
 * server needs to resume without keeping anything itself.
 * <pre>
 * struct {
 *     uint8  format = 2;                   // 1 carried no raw public key: refused, a full handshake follows
 *     ProtocolVersion protocol_version;
 *     uint16 cipher_suite;
 *     uint8  flags;                        // 1: extended master secret (RFC 7627), 2: encrypt_then_mac (RFC 7366)
 *     opaque master_secret&lt;48&gt;;
 *     opaque server_name&lt;0..255&gt;;
 *     uint8  client_identity_kind;         // 0 anonymous, 1 PSK identity, 2 certificate chain, 3 raw public key
 *     select (kind) { case 1: opaque psk_identity&lt;0..2^16-1&gt;;   // RFC 4279 §2
 *                     case 2: uint8 count (1..10); opaque ASN.1Cert&lt;1..2^16-1&gt; [count];
 *                     case 3: opaque subject_public_key_info&lt;1..2048&gt;; };  // RFC 7250 §3
 *     uint64 created;                      // seconds since 1970
 *     uint32 lifetime;                     // seconds
 * } TicketState;
 * </pre>
 * Only decoded after the AEAD tag verified, so its input is one of our own (or was sealed by a node holding
 * our ticket key); it is still parsed with every length bounded as above, and anything else (another format,
 * an empty or overlong field, a chain or key that no longer parses) is a {@link DtlsException} that
 * {@link TicketCodec#open} turns into a full handshake. The peer's identity is carried so that a resumption by
 * ticket reports the same peer as the full handshake did, as a session-ID resumption does.
 */
record TicketState(ProtocolVersion version, CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
                   boolean encryptThenMac, String serverName, byte[] pskIdentity, List<X509Certificate> peerCertificates,
                   PublicKey peerRawPublicKey, long createdSeconds, long lifetimeSeconds) {
    /** 2 added the raw public key (kind 3); a format-1 ticket is refused rather than read as one without it. */
    static final int FORMAT = 2;
    private static final int MASTER_SECRET_LENGTH = 48;
    /** The longest chain a ticket carries: the longest a handshake accepts from a peer. */
    static final int MAX_CHAIN = 10;
    private static final int ANONYMOUS = 0;
    private static final int PSK = 1;
    private static final int CERTIFICATES = 2;
    private static final int RAW_PUBLIC_KEY = 3;

    /** The state of {@code session} for a ticket made at {@code createdSeconds}. */
    static TicketState of(Session session, long createdSeconds, long lifetimeSeconds) {
        return new TicketState(ProtocolVersion.DTLS_1_2, session.suite(), session.masterSecret(),
                session.extendedMasterSecret(), session.encryptThenMac(), session.serverName(), session.pskIdentity(),
                session.peerCertificates(), session.peerRawPublicKey(), createdSeconds, lifetimeSeconds);
    }

    /** A session to resume from this state, under the session ID the client offered. */
    Session toSession(byte[] sessionId) {
        return new Session(sessionId, suite, masterSecret, extendedMasterSecret, peerCertificates, pskIdentity,
                serverName, peerRawPublicKey, encryptThenMac);
    }

    /**
     * {@return whether {@link #decode} would read this state back} A peer chain longer than {@link #MAX_CHAIN}
     * (a server may accept longer ones) or with a certificate over 64 KB does not fit the format's bounds.
     */
    boolean fitsTicket() {
        if (peerCertificates.size() > MAX_CHAIN) {
            return false;
        }
        for (X509Certificate c : peerCertificates) {
            try {
                if (c.getEncoded().length > 0xffff) {
                    return false;
                }
            } catch (CertificateEncodingException e) {
                return false;
            }
        }
        return true;
    }

    byte[] encode() {
        Writer w = new Writer(256);
        w.u8(FORMAT).u8(version.major()).u8(version.minor()).u16(suite.code())
                .u8((extendedMasterSecret ? 1 : 0) | (encryptThenMac ? 2 : 0));
        w.bytes(masterSecret);
        w.opaque8(serverName == null ? new byte[0] : serverName.getBytes(StandardCharsets.UTF_8));
        if (pskIdentity != null) {
            w.u8(PSK).opaque16(pskIdentity);
        } else if (peerRawPublicKey != null) {
            w.u8(RAW_PUBLIC_KEY).opaque16(peerRawPublicKey.getEncoded());
        } else if (!peerCertificates.isEmpty()) {
            w.u8(CERTIFICATES).u8(peerCertificates.size());
            for (X509Certificate c : peerCertificates) {
                try {
                    w.opaque16(c.getEncoded());
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException("peer certificate cannot be re-encoded", e);
                }
            }
        } else {
            w.u8(ANONYMOUS);
        }
        w.u64(createdSeconds).u32(lifetimeSeconds);
        return w.toByteArray();
    }

    /**
     * Parses a ticket's plaintext; every length is bounded as the struct above says.
     *
     * @throws DtlsException decode_error for another format or a bad length or flag; bad_certificate (or
     *     unsupported_certificate) for a chain or key that does not parse
     */
    static TicketState decode(byte[] plain) throws DtlsException {
        Reader r = new Reader(plain);
        if (r.u8() != FORMAT) {
            throw new DtlsException(AlertDescription.DECODE_ERROR, "unknown ticket format");
        }
        ProtocolVersion version = new ProtocolVersion(r.u8(), r.u8());
        CipherSuite suite = CipherSuite.of(r.u16());
        int ems = r.u8();
        byte[] master = r.bytes(MASTER_SECRET_LENGTH);
        byte[] name = r.opaque8();
        String serverName = name.length == 0 ? null : new String(name, StandardCharsets.UTF_8);
        byte[] psk = null;
        List<X509Certificate> chain = List.of();
        PublicKey rawKey = null;
        int kind = r.u8();
        if (kind == PSK) {
            psk = r.opaque16();
        } else if (kind == CERTIFICATES) {
            chain = decodeChain(r);
        } else if (kind == RAW_PUBLIC_KEY) {
            // RawPublicKeys.parse bounds the length (1..MAX_SPKI_LENGTH) and insists on canonical DER.
            rawKey = RawPublicKeys.parse(r.opaque16());
        } else if (kind != ANONYMOUS) {
            throw new DtlsException(AlertDescription.DECODE_ERROR, "unknown ticket identity kind " + kind);
        }
        long created = r.u64();
        long lifetime = r.u32();
        r.expectEnd();
        if (ems > 3) {
            throw new DtlsException(AlertDescription.DECODE_ERROR, "bad ticket flags");
        }
        return new TicketState(version, suite, master, (ems & 1) != 0, (ems & 2) != 0, serverName, psk, chain, rawKey,
                created, lifetime);
    }

    private static List<X509Certificate> decodeChain(Reader r) throws DtlsException {
        int count = r.u8();
        if (count < 1 || count > MAX_CHAIN) {
            throw new DtlsException(AlertDescription.DECODE_ERROR, "ticket chain of " + count + " certificates");
        }
        List<Bytes> certs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] der = r.opaque16();
            if (der.length == 0) {
                throw new DtlsException(AlertDescription.DECODE_ERROR, "empty certificate in ticket");
            }
            certs.add(Bytes.of(der));
        }
        return PeerCertificates.parse(certs, MAX_CHAIN);
    }

    /** Wipes the master secret copy this state holds. */
    void destroy() {
        Arrays.fill(masterSecret, (byte) 0);
    }

    @Override
    public String toString() {
        return "TicketState[" + suite.name() + (extendedMasterSecret ? ", EMS" : "") + ", created " + createdSeconds
                + ", lifetime " + lifetimeSeconds + "]";
    }
}
