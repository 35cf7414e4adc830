package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/** HelloRequest (RFC 5246 §7.4.1.1): {@code struct { } HelloRequest;} — the server asks for renegotiation. */
public record HelloRequest() implements HandshakeMessage {
    /**
     * Reads a {@code HelloRequest} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static HelloRequest decode(Reader r) throws DtlsException {
        r.expectEnd();
        return new HelloRequest();
    }

    @Override
    public int type() {
        return HandshakeType.HELLO_REQUEST;
    }

    @Override
    public void encode(Writer w) {
        // empty by definition
    }
}
