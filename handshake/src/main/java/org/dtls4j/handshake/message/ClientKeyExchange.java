package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;

/**
 * ClientKeyExchange (RFC 5246 §7.4.7), whose body depends on the negotiated key exchange, so decoding
 * takes it as context.
 */
public sealed interface ClientKeyExchange extends HandshakeMessage
        permits EcdheClientKeyExchange, PskClientKeyExchange, EcdhePskClientKeyExchange {

    @Override
    default int type() {
        return HandshakeType.CLIENT_KEY_EXCHANGE;
    }

    /**
     * Decodes the whole body in the format of {@code kind}.
     *
     * @param r the reader, at the body's first byte
     * @param kind the chosen suite's key exchange
     * @return the message
     * @throws DtlsException decode_error when the body does not parse
     */
    static ClientKeyExchange decode(Reader r, KeyExchangeKind kind) throws DtlsException {
        return switch (kind) {
            case ECDHE_SIGNED -> EcdheClientKeyExchange.decode(r);
            case PSK -> PskClientKeyExchange.decode(r);
            case ECDHE_PSK -> EcdhePskClientKeyExchange.decode(r);
        };
    }
}
