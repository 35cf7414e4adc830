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

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param ticket the ticket, 0 to 65535 bytes; empty to ask for one or to acknowledge
     */
    public SessionTicket {
        Codec.bytes(ticket, 0, 0xffff, "ticket");
    }

    /**
     * Reads a {@code SessionTicket} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
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
