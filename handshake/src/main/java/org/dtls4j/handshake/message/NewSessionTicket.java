package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * NewSessionTicket (RFC 5077 §3.3); a lifetime hint of 0 means "unspecified":
 * <pre>
 * struct {
 *     uint32 ticket_lifetime_hint;
 *     opaque ticket&lt;0..2^16-1&gt;;
 * } NewSessionTicket;
 * </pre>
 */
public record NewSessionTicket(long lifetimeHintSeconds, Bytes ticket) implements HandshakeMessage {
    /**
     * Checks every field against its wire width.
     *
     * @param lifetimeHintSeconds the ticket lifetime hint in seconds, 0 to 2^32-1; 0 for unspecified
     * @param ticket the opaque ticket, 0 to 65535 bytes
     */
    public NewSessionTicket {
        if (lifetimeHintSeconds >>> 32 != 0) {
            throw new IllegalArgumentException("ticket_lifetime_hint " + lifetimeHintSeconds + " does not fit 32 bits");
        }
        Codec.bytes(ticket, 0, 0xffff, "ticket");
    }

    /**
     * Reads a {@code NewSessionTicket} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static NewSessionTicket decode(Reader r) throws DtlsException {
        long hint = r.u32();
        Bytes ticket = Codec.opaque(r, 2, 0, 0xffff, "ticket");
        r.expectEnd();
        return new NewSessionTicket(hint, ticket);
    }

    @Override
    public int type() {
        return HandshakeType.NEW_SESSION_TICKET;
    }

    @Override
    public void encode(Writer w) {
        w.u32(lifetimeHintSeconds);
        Codec.opaque(w, 2, ticket);
    }
}
