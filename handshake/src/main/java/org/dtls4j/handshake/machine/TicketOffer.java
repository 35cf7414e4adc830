package org.dtls4j.handshake.machine;

import java.util.Optional;
import java.util.function.Consumer;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.ClientHello;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.handshake.message.NewSessionTicket;
import org.dtls4j.handshake.message.SessionTicket;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionTickets;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * What a server makes of the session_ticket extension in a ClientHello (RFC 5077 §3.1), decided once
 * while the hello is handled: the session the ticket resumes, whether this handshake issues a ticket
 * (and so acknowledges the extension), and the ticket state to re-seal when a resumption renews it.
 *
 * @param session the session the ticket resumes, or null for a full handshake (or a cached session)
 * @param issue whether a NewSessionTicket goes in this handshake's last server flight, before its CCS
 * @param renewing the resumed ticket's state, re-sealed under the current key; null unless renewing
 */
record TicketOffer(Session session, boolean issue, TicketState renewing) {
    /** No ticket extension, or no ticket keys: nothing resumed, nothing issued. */
    static final TicketOffer NONE = new TicketOffer(null, false, null);
    /** The client asked for a ticket but resumes none by it: a full handshake that issues one. */
    static final TicketOffer ISSUE_NEW = new TicketOffer(null, true, null);

    /**
     * The decision for this ClientHello: a refused ticket means a full handshake, never an alert. A ticket
     * is issued always in a full handshake the client asked for one in, and on resumption only to move a
     * ticket sealed under the previous key to the current one.
     *
     * @param trace where a refused ticket is reported
     * @throws DtlsException handshake_failure when the ticket was made with extended master secret and the
     *     ClientHello does not offer it (RFC 7627 §5.3)
     */
    static TicketOffer of(HandshakeSettings settings, ClientHello ch, Extensions ext, boolean ems, String serverName,
                          boolean clientEtm, Consumer<String> trace) throws DtlsException {
        SessionTickets tickets = settings.sessionTickets();
        Optional<SessionTicket> offered = ext.sessionTicket();
        if (tickets == null || offered.isEmpty()) {
            return NONE;
        }
        byte[] ticket = offered.get().ticket().toByteArray();
        // RFC 5077 §3.4: the client signals resumption by ticket through a session ID it made up.
        if (ticket.length == 0 || ch.sessionId().isEmpty()) {
            return ISSUE_NEW;
        }
        TicketCodec.Opened opened = TicketCodec.open(tickets, ticket, serverName);
        if (opened == null) {
            trace.accept("session ticket refused: full handshake");
            return ISSUE_NEW;
        }
        TicketState t = opened.state();
        if (t.extendedMasterSecret() && !ems) {
            // RFC 7627 §5.3: the server MUST abort, as for a cached session.
            t.destroy();
            throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE,
                    "ClientHello resumes a ticket made with extended master secret but does not offer it");
        }
        boolean usable = ch.cipherSuites().contains(t.suite().code()) && settings.cipherSuites().contains(t.suite())
                && t.extendedMasterSecret() == ems
                && t.encryptThenMac() == (clientEtm && t.suite().isCbc())
                && (t.pskIdentity() == null
                        || settings.pskStore() != null && settings.pskStore().keyFor(t.pskIdentity()) != null)
                && (t.peerRawPublicKey() == null
                        || settings.rawPublicKeyVerifier() != null && settings.rawPublicKeyVerifier().isTrusted(t.peerRawPublicKey()));
        if (!usable) {
            // RFC 7627 §5.3 and RFC 7366 §3.1: EMS and EtM states must match; a removed PSK, or a raw key the
            // verifier no longer trusts (a device unpinned since), no longer vouches.
            t.destroy();
            return ISSUE_NEW;
        }
        boolean renew = !opened.underCurrentKey();
        return new TicketOffer(t.toSession(ch.sessionId().toByteArray()), renew, renew ? t : null);
    }

    /**
     * NewSessionTicket for {@code session}: a fresh ticket, or the resumed one re-sealed with its old creation time.
     *
     * @param tickets the server's ticket keys
     * @param renewing the state of the ticket a resumption came from, to re-seal under the current key; else null
     */
    static NewSessionTicket newSessionTicket(SessionTickets tickets, Session session, TicketState renewing) {
        byte[] ticket = renewing != null ? TicketCodec.seal(tickets, renewing) : TicketCodec.seal(tickets, session);
        long hint = renewing == null ? tickets.lifetimeSeconds()
                : Math.max(1, renewing.lifetimeSeconds() - (TicketCodec.nowSeconds(tickets) - renewing.createdSeconds()));
        return new NewSessionTicket(Math.min(hint, 0xffffffffL), Bytes.of(ticket));
    }

    @Override
    public String toString() {
        return "TicketOffer[resumes=" + (session != null) + ", issue=" + issue
                + ", renewing=" + (renewing != null) + "]";
    }
}
