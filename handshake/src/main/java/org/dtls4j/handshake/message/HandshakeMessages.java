package org.dtls4j.handshake.message;

import java.util.Objects;
import java.util.Optional;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;

/**
 * Decodes a whole handshake body by its {@link HandshakeType}, for the state machines. Whether a type
 * is acceptable in the current state is theirs to check first; this only parses.
 */
public final class HandshakeMessages {
    private HandshakeMessages() {
    }

    /**
     * What the negotiation has fixed so far that some bodies need to be parsed: the key-exchange kind
     * (empty until a ServerHello chose a suite) and the suite's verify_data length.
     */
    public record Context(Optional<KeyExchangeKind> keyExchange, int verifyDataLength) {
        /** Before a suite is chosen: key-exchange bodies cannot be parsed yet. */
        public static final Context INITIAL = new Context(Optional.empty(), Finished.DEFAULT_LENGTH);

        /**
         * Checks the key exchange and the verify_data length.
         *
         * @param keyExchange the key-exchange kind of the chosen suite, empty before a ServerHello chose one
         * @param verifyDataLength the suite's verify_data length in bytes, at least 12
         */
        public Context {
            Objects.requireNonNull(keyExchange, "keyExchange");
            if (verifyDataLength < Finished.DEFAULT_LENGTH) {
                throw new IllegalArgumentException("verify_data_length " + verifyDataLength + " below 12");
            }
        }

        /**
         * After a suite with this key exchange and the usual 12-byte verify_data was chosen.
         *
         * @param keyExchange the chosen suite's key exchange
         * @return the context
         */
        public static Context of(KeyExchangeKind keyExchange) {
            return new Context(Optional.of(keyExchange), Finished.DEFAULT_LENGTH);
        }
    }

    /**
     * Decodes {@code body} (the whole message body, header removed) as a message of {@code type}.
     *
     * @param type the msg_type
     * @param body the message body
     * @param context what the body's format depends on
     * @return the message
     * @throws DtlsException decode_error for a body that does not parse, unexpected_message for an unknown type or a key-exchange message before a suite is known
     */
    public static HandshakeMessage decode(int type, byte[] body, Context context) throws DtlsException {
        return decode(type, new Reader(body), context);
    }

    /**
     * Decodes everything {@code body} has left as a message of {@code type}. An unknown type, or a
     * key-exchange message before a suite is known, is unexpected_message.
     *
     * @param type the msg_type
     * @param body a reader over the message body
     * @param context what the body's format depends on
     * @return the message
     * @throws DtlsException decode_error for a body that does not parse, unexpected_message for an unknown type or a key-exchange message before a suite is known
     */
    public static HandshakeMessage decode(int type, Reader body, Context context) throws DtlsException {
        return switch (type) {
            case HandshakeType.HELLO_REQUEST -> HelloRequest.decode(body);
            case HandshakeType.CLIENT_HELLO -> ClientHello.decode(body);
            case HandshakeType.SERVER_HELLO -> ServerHello.decode(body);
            case HandshakeType.HELLO_VERIFY_REQUEST -> HelloVerifyRequest.decode(body);
            case HandshakeType.NEW_SESSION_TICKET -> NewSessionTicket.decode(body);
            case HandshakeType.CERTIFICATE -> Certificate.decode(body);
            case HandshakeType.SERVER_KEY_EXCHANGE -> ServerKeyExchange.decode(body, keyExchange(context, type));
            case HandshakeType.CERTIFICATE_REQUEST -> CertificateRequest.decode(body);
            case HandshakeType.SERVER_HELLO_DONE -> ServerHelloDone.decode(body);
            case HandshakeType.CERTIFICATE_VERIFY -> CertificateVerify.decode(body);
            case HandshakeType.CLIENT_KEY_EXCHANGE -> ClientKeyExchange.decode(body, keyExchange(context, type));
            case HandshakeType.FINISHED -> Finished.decode(body, context.verifyDataLength());
            default -> throw new DtlsException(AlertDescription.UNEXPECTED_MESSAGE,
                    "unknown handshake type " + type);
        };
    }

    private static KeyExchangeKind keyExchange(Context context, int type) throws DtlsException {
        Optional<KeyExchangeKind> kind = context.keyExchange();
        if (kind.isEmpty()) {
            throw new DtlsException(AlertDescription.UNEXPECTED_MESSAGE,
                    HandshakeType.name(type) + " before a key exchange was negotiated");
        }
        return kind.get();
    }
}
