package org.dtls4j.handshake.machine;

import org.dtls4j.handshake.config.ConnectionIdGenerator;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.ConnectionId;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.handshake.session.AgreedConnectionId;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.DtlsException;

/**
 * The connection_id negotiation of RFC 9146 §3, both sides, kept apart from the state machines, which
 * only call it: what a client offers, what a server answers, and what the hellos agreed.
 *
 * <p>The handshaker hands the agreed CIDs to the connection (a {@link HandshakeStep.UseConnectionIds} step) as
 * soon as the hellos agree them, before any key exists: the record layer applies them only to epochs above 0, so the Finished messages are already tls12_cid records
 * (RFC 9146 §3: CIDs are used "in the records protected with the negotiated keys").
 */
final class ConnectionIdNegotiation {
    private final HandshakeSettings settings;
    /** The CID we ask to receive: chosen once, so a ClientHello resent after a HelloVerifyRequest repeats it. */
    private byte[] ours;
    private AgreedConnectionId agreed;

    ConnectionIdNegotiation(HandshakeSettings settings) {
        this.settings = settings;
    }

    /** Whether this side takes part in CID negotiation at all (a length of 0 still does). */
    private boolean enabled() {
        return settings.connectionIdLength() >= 0;
    }

    /**
     * Fixes the CID a server asks for, before the ClientHello is read: the acceptor picks it, unique in its
     * routing table.
     *
     * @param cid the CID, of the configured length
     */
    void useConnectionId(byte[] cid) {
        if (cid.length != settings.connectionIdLength()) {
            throw new IllegalArgumentException("CID of " + cid.length + " bytes, configured "
                    + settings.connectionIdLength());
        }
        ours = cid.clone();
    }

    private byte[] ours() {
        if (ours == null) {
            ConnectionIdGenerator g = settings.connectionIdGenerator();
            ours = g != null ? g.newConnectionId(0) : new byte[settings.connectionIdLength()];
            if (g == null) {
                settings.secureRandom().nextBytes(ours);
            }
        }
        return ours;
    }

    /** The client's connection_id, or null when it does not use CIDs. */
    ConnectionId offer() {
        return enabled() ? new ConnectionId(Bytes.of(ours())) : null;
    }

    /**
     * The server's side: when the client offered connection_id and we use CIDs, agree on both and return our connection_id for the ServerHello; else null (plain records both ways).
     *
     * @throws DtlsException decode_error when the client's extension does not parse
     */
    ConnectionId answer(Extensions clientExtensions) throws DtlsException {
        ConnectionId offered = clientExtensions.connectionId().orElse(null);
        if (offered == null || !enabled()) {
            return null;
        }
        agree(ours(), offered.cid().toByteArray());
        return new ConnectionId(Bytes.of(ours()));
    }

    /**
     * The client's side: the server's connection_id (the caller has checked that we offered one) fixes
     * what we write; what we offered is what we read. No extension: plain records both ways.
     *
     * @return true when CIDs were agreed
     * @throws DtlsException decode_error when the server's extension does not parse
     */
    boolean accept(Extensions serverExtensions) throws DtlsException {
        ConnectionId answered = serverExtensions.connectionId().orElse(null);
        if (answered != null && enabled()) {
            agree(ours(), answered.cid().toByteArray());
            return true;
        }
        return false;
    }

    private void agree(byte[] read, byte[] write) {
        agreed = new AgreedConnectionId(read, write);
    }

    /** {@code r} with the Connection IDs the hellos agreed ({@code cid} null for none). */
    static HandshakeResult withConnectionId(HandshakeResult r, AgreedConnectionId cid) {
        return cid == null ? r : new HandshakeResult(r.suite(), r.peerCertificates(), r.pskIdentity(),
                r.applicationProtocol(), r.serverName(), r.session(), r.resumed(), r.extendedMasterSecret(),
                r.peerRecordSizeLimit(), r.peerRawPublicKey(), r.srtpProfile(), r.srtpMki(), cid);
    }

    /** {@return what was agreed, or null when no CID extension was exchanged} */
    AgreedConnectionId agreed() {
        return agreed;
    }
}
