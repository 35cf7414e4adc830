package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The session_ticket extension (35), RFC 5077 §3.2: the whole extension_data is the ticket, with no
 * length of its own; empty when the client asks for a ticket without holding one, and in the server's
 * acknowledgement.
 */
public record SessionTicket(Bytes ticket) implements ExtensionData {
    /** The empty form: "send me a ticket", or the server's "I will". */
    public static final SessionTicket EMPTY = new SessionTicket(Bytes.EMPTY);

    public SessionTicket {
        Codec.bytes(ticket, 0, 0xffff, "ticket");
    }

    public static SessionTicket decode(Reader r) throws DtlsException {
        return new SessionTicket(Bytes.wrap(r.bytes(r.remaining())));
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.SESSION_TICKET;
    }

    @Override
    public void encodeData(Writer w) {
        ticket.writeTo(w);
    }
}
