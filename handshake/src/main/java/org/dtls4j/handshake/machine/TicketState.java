package org.dtls4j.handshake.machine;

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
 *     uint8  format = 1;
 *     ProtocolVersion protocol_version;
 *     uint16 cipher_suite;
 *     uint8  flags;                        // 1: extended master secret (RFC 7627), 2: encrypt_then_mac (RFC 7366)
 *     opaque master_secret&lt;48&gt;;
 *     opaque server_name&lt;0..255&gt;;
 *     uint8  client_identity_kind;         // 0 anonymous, 1 PSK identity, 2 certificate chain
 *     select (kind) { case 1: opaque psk_identity&lt;0..2^16-1&gt;;
 *                     case 2: ASN.1Cert chain&lt;1..10&gt; as opaque&lt;1..2^16-1&gt; each; };
 *     uint64 created;                      // seconds since 1970
 *     uint32 lifetime;                     // seconds
 * } TicketState;
 * </pre>
 * Only decoded after the AEAD tag verified, so its input is our own; it is still parsed with bounds.
 */
record TicketState(ProtocolVersion version, CipherSuite suite, byte[] masterSecret, boolean extendedMasterSecret,
                   boolean encryptThenMac, String serverName, byte[] pskIdentity, List<X509Certificate> peerCertificates,
                   long createdSeconds, long lifetimeSeconds) {
    private static final int FORMAT = 1;
    private static final int MASTER_SECRET_LENGTH = 48;
    private static final int MAX_CHAIN = 10;

    /** The state of {@code session} for a ticket made at {@code createdSeconds}. */
    static TicketState of(Session session, long createdSeconds, long lifetimeSeconds) {
        return new TicketState(ProtocolVersion.DTLS_1_2, session.suite(), session.masterSecret(),
                session.extendedMasterSecret(), session.encryptThenMac(), session.serverName(), session.pskIdentity(),
                session.peerCertificates(), createdSeconds, lifetimeSeconds);
    }

    /** A session to resume from this state, under the session ID the client offered. */
    Session toSession(byte[] sessionId) {
        return new Session(sessionId, suite, masterSecret, extendedMasterSecret, peerCertificates, pskIdentity,
                serverName, null, encryptThenMac);
    }

    byte[] encode() {
        Writer w = new Writer(256);
        w.u8(FORMAT).u8(version.major()).u8(version.minor()).u16(suite.code())
                .u8((extendedMasterSecret ? 1 : 0) | (encryptThenMac ? 2 : 0));
        w.bytes(masterSecret);
        w.opaque8(serverName == null ? new byte[0] : serverName.getBytes(StandardCharsets.UTF_8));
        if (pskIdentity != null) {
            w.u8(1).opaque16(pskIdentity);
        } else if (!peerCertificates.isEmpty()) {
            w.u8(2).u8(peerCertificates.size());
            for (X509Certificate c : peerCertificates) {
                try {
                    w.opaque16(c.getEncoded());
                } catch (CertificateEncodingException e) {
                    throw new IllegalStateException("peer certificate cannot be re-encoded", e);
                }
            }
        } else {
            w.u8(0);
        }
        w.u64(createdSeconds).u32(lifetimeSeconds);
        return w.toByteArray();
    }

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
        int kind = r.u8();
        if (kind == 1) {
            psk = r.opaque16();
        } else if (kind == 2) {
            int count = r.u8();
            List<Bytes> certs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                certs.add(Bytes.of(r.opaque16()));
            }
            chain = PeerCertificates.parse(certs, MAX_CHAIN);
        } else if (kind != 0) {
            throw new DtlsException(AlertDescription.DECODE_ERROR, "unknown ticket identity kind " + kind);
        }
        long created = r.u64();
        long lifetime = r.u32();
        r.expectEnd();
        if (ems > 3) {
            throw new DtlsException(AlertDescription.DECODE_ERROR, "bad ticket flags");
        }
        return new TicketState(version, suite, master, (ems & 1) != 0, (ems & 2) != 0, serverName, psk, chain, created, lifetime);
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
