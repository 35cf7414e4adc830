package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;

/**
 * ServerKeyExchange (RFC 5246 §7.4.3), whose body depends on the negotiated key exchange, so decoding
 * takes it as context (which is knowledge of the suite already agreed, not policy).
 */
public sealed interface ServerKeyExchange extends HandshakeMessage
        permits EcdheServerKeyExchange, PskServerKeyExchange, EcdhePskServerKeyExchange {

    @Override
    default int type() {
        return HandshakeType.SERVER_KEY_EXCHANGE;
    }

    /**
     * Decodes the whole body in the format of {@code kind}.
     *
     * @param r the reader, at the body's first byte
     * @param kind the chosen suite's key exchange
     * @return the message
     * @throws DtlsException decode_error when the body does not parse
     */
    static ServerKeyExchange decode(Reader r, KeyExchangeKind kind) throws DtlsException {
        return switch (kind) {
            case ECDHE_SIGNED -> EcdheServerKeyExchange.decode(r);
            case PSK -> PskServerKeyExchange.decode(r);
            case ECDHE_PSK -> EcdhePskServerKeyExchange.decode(r);
        };
    }
}
