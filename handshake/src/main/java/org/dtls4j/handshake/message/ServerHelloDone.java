package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/** ServerHelloDone (RFC 5246 §7.4.5): {@code struct { } ServerHelloDone;} — the end of the server's flight. */
public record ServerHelloDone() implements HandshakeMessage {
    /**
     * Reads a {@code ServerHelloDone} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static ServerHelloDone decode(Reader r) throws DtlsException {
        r.expectEnd();
        return new ServerHelloDone();
    }

    @Override
    public int type() {
        return HandshakeType.SERVER_HELLO_DONE;
    }

    @Override
    public void encode(Writer w) {
        // empty by definition
    }
}
