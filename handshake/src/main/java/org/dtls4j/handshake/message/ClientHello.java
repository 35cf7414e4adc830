package org.dtls4j.handshake.message;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * ClientHello (RFC 6347 §4.2.1 and §4.3.2, RFC 5246 §7.4.1.2), suites as raw 16-bit codes:
 * <pre>
 * struct {
 *     ProtocolVersion client_version;
 *     Random random;
 *     SessionID session_id;                    // opaque SessionID&lt;0..32&gt;
 *     opaque cookie&lt;0..2^8-1&gt;;                // New field in DTLS
 *     CipherSuite cipher_suites&lt;2..2^16-2&gt;;
 *     CompressionMethod compression_methods&lt;1..2^8-1&gt;;
 *     select (extensions_present) {
 *         case false: struct {};
 *         case true:  Extension extensions&lt;0..2^16-1&gt;;
 *     };
 * } ClientHello;
 * </pre>
 * An absent extensions block ({@code Optional.empty()}) and an empty one ({@link Extensions#EMPTY},
 * two zero bytes) are different messages and both round-trip, since the cookie MAC and the transcript
 * cover the exact bytes.
 */
public record ClientHello(
        ProtocolVersion clientVersion,
        Bytes random,
        Bytes sessionId,
        Bytes cookie,
        List<Integer> cipherSuites,
        List<Integer> compressionMethods,
        Optional<Extensions> extensions) implements HandshakeMessage {

    /** The length of {@code Random}: gmt_unix_time and 28 random bytes, all random in practice. */
    public static final int RANDOM_LENGTH = 32;
    /** The only compression method DTLS 1.2 stacks use. */
    public static final int NULL_COMPRESSION = 0;

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param clientVersion the highest version the client supports (DTLS 1.2 is {@code 0xfefd}), not null
     * @param random the 32-byte client random
     * @param sessionId the session to resume, 0 to 32 bytes; empty for a full handshake
     * @param cookie the cookie from the HelloVerifyRequest, 0 to 255 bytes; empty in the first ClientHello
     * @param cipherSuites the suite codes, most preferred first, at least one, unknown codes kept
     * @param compressionMethods the compression codes, 1 to 255 of them (RFC 5246 §7.4.1.2: null, 0, must be among them)
     * @param extensions the extensions block, empty when the client sent none (not null)
     */
    public ClientHello {
        Objects.requireNonNull(clientVersion, "clientVersion");
        Codec.bytes(random, RANDOM_LENGTH, RANDOM_LENGTH, "random");
        Codec.bytes(sessionId, 0, 32, "session_id");
        Codec.bytes(cookie, 0, 0xff, "cookie");
        cipherSuites = Codec.codes(cipherSuites, 16, 1, 0x7fff, "cipher_suites");
        compressionMethods = Codec.codes(compressionMethods, 8, 1, 0xff, "compression_methods");
        Objects.requireNonNull(extensions, "extensions");
    }

    /**
     * Reads a {@code ClientHello} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static ClientHello decode(Reader r) throws DtlsException {
        ProtocolVersion version = ProtocolVersion.of(r.u16());
        Bytes random = Bytes.wrap(r.bytes(RANDOM_LENGTH));
        Bytes sessionId = Codec.opaque(r, 1, 0, 32, "session_id");
        Bytes cookie = Codec.opaque(r, 1, 0, 0xff, "cookie");
        List<Integer> suites = Codec.u16List(r, 2, 2, 0xfffe, "cipher_suites");
        List<Integer> compression = Codec.u8List(r, 1, 0xff, "compression_methods");
        Optional<Extensions> extensions = r.hasRemaining() ? Optional.of(Extensions.decode(r)) : Optional.empty();
        r.expectEnd();
        return new ClientHello(version, random, sessionId, cookie, suites, compression, extensions);
    }

    /**
     * {@return the same hello with another cookie: the second ClientHello of RFC 6347 §4.2.1}
     *
     * @param newCookie the cookie from the HelloVerifyRequest
     */
    public ClientHello withCookie(Bytes newCookie) {
        return new ClientHello(clientVersion, random, sessionId, newCookie, cipherSuites, compressionMethods,
                extensions);
    }

    /** {@return the extensions, or an empty block when the hello has none} */
    public Extensions extensionsOrEmpty() {
        return extensions.orElse(Extensions.EMPTY);
    }

    @Override
    public int type() {
        return HandshakeType.CLIENT_HELLO;
    }

    @Override
    public void encode(Writer w) {
        w.u16(clientVersion.wire());
        random.writeTo(w);
        Codec.opaque(w, 1, sessionId);
        Codec.opaque(w, 1, cookie);
        Codec.u16List(w, 2, cipherSuites);
        Codec.u8List(w, compressionMethods);
        extensions.ifPresent(e -> e.encode(w));
    }
}
