package org.dtls4j.handshake.message;

import java.util.Objects;
import java.util.Optional;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * ServerHello (RFC 5246 §7.4.1.3; unchanged in DTLS), the suite as a raw 16-bit code:
 * <pre>
 * struct {
 *     ProtocolVersion server_version;
 *     Random random;
 *     SessionID session_id;                    // opaque SessionID&lt;0..32&gt;
 *     CipherSuite cipher_suite;
 *     CompressionMethod compression_method;
 *     select (extensions_present) {
 *         case false: struct {};
 *         case true:  Extension extensions&lt;0..2^16-1&gt;;
 *     };
 * } ServerHello;
 * </pre>
 * An absent extensions block and an empty one both round-trip, as in {@link ClientHello}.
 */
public record ServerHello(
        ProtocolVersion serverVersion,
        Bytes random,
        Bytes sessionId,
        int cipherSuite,
        int compressionMethod,
        Optional<Extensions> extensions) implements HandshakeMessage {

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param serverVersion the negotiated version (DTLS 1.2 is {@code 0xfefd}), not null
     * @param random the 32-byte server random
     * @param sessionId the session ID, 0 to 32 bytes; empty when the server issues none
     * @param cipherSuite the chosen suite code, 16 bits
     * @param compressionMethod the chosen compression code, 0 to 255 (null is 0)
     * @param extensions the extensions block, empty when the server sent none (not null)
     */
    public ServerHello {
        Objects.requireNonNull(serverVersion, "serverVersion");
        Codec.bytes(random, ClientHello.RANDOM_LENGTH, ClientHello.RANDOM_LENGTH, "random");
        Codec.bytes(sessionId, 0, 32, "session_id");
        Codec.u16(cipherSuite, "cipher_suite");
        Codec.u8(compressionMethod, "compression_method");
        Objects.requireNonNull(extensions, "extensions");
    }

    /**
     * Reads a {@code ServerHello} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static ServerHello decode(Reader r) throws DtlsException {
        ProtocolVersion version = ProtocolVersion.of(r.u16());
        Bytes random = Bytes.wrap(r.bytes(ClientHello.RANDOM_LENGTH));
        Bytes sessionId = Codec.opaque(r, 1, 0, 32, "session_id");
        int suite = r.u16();
        int compression = r.u8();
        Optional<Extensions> extensions = r.hasRemaining() ? Optional.of(Extensions.decode(r)) : Optional.empty();
        r.expectEnd();
        return new ServerHello(version, random, sessionId, suite, compression, extensions);
    }

    /** {@return the extensions, or an empty block when the hello has none} */
    public Extensions extensionsOrEmpty() {
        return extensions.orElse(Extensions.EMPTY);
    }

    @Override
    public int type() {
        return HandshakeType.SERVER_HELLO;
    }

    @Override
    public void encode(Writer w) {
        w.u16(serverVersion.wire());
        random.writeTo(w);
        Codec.opaque(w, 1, sessionId);
        w.u16(cipherSuite);
        w.u8(compressionMethod);
        extensions.ifPresent(e -> e.encode(w));
    }
}
