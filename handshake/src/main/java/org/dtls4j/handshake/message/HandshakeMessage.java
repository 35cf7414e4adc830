package org.dtls4j.handshake.message;

import org.dtls4j.wire.Writer;

/**
 * The body of one DTLS 1.2 handshake message (everything after the 12-byte DTLS handshake header).
 * Each implementation is immutable and has its {@code decode} next to {@link #encode}; encoding is
 * canonical, so {@code decode(encode(m)).equals(m)} and a decoded body re-encodes to the same bytes.
 */
public sealed interface HandshakeMessage
        permits HelloRequest, ClientHello, ServerHello, HelloVerifyRequest, NewSessionTicket, Certificate,
        RawPublicKeyCertificate, ServerKeyExchange, CertificateRequest, ServerHelloDone, CertificateVerify,
        ClientKeyExchange, Finished {

    /** {@return the {@link org.dtls4j.handshake.message.HandshakeType} code of this message} */
    int type();

    /**
     * Writes the body, without the handshake header.
     *
     * @param w where the body goes
     */
    void encode(Writer w);

    /** {@return the body as a fresh array of its exact length} */
    default byte[] toByteArray() {
        return Scratch.encode(this::encode);
    }
}
