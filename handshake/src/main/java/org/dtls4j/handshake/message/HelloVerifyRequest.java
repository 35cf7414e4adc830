package org.dtls4j.handshake.message;

import java.util.Objects;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * HelloVerifyRequest (RFC 6347 §4.2.1). The server_version should be DTLS 1.0 whatever is negotiated
 * later (§4.2.1), a rule for the sender, not the parser:
 * <pre>
 * struct {
 *     ProtocolVersion server_version;
 *     opaque cookie&lt;0..2^8-1&gt;;
 * } HelloVerifyRequest;
 * </pre>
 */
public record HelloVerifyRequest(ProtocolVersion serverVersion, Bytes cookie) implements HandshakeMessage {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param serverVersion the version, DTLS 1.0 ({@code 0xfeff}) whatever is negotiated (RFC 6347 §4.2.1), not null
     * @param cookie the cookie the client must echo, 0 to 255 bytes
     */
    public HelloVerifyRequest {
        Objects.requireNonNull(serverVersion, "serverVersion");
        Codec.bytes(cookie, 0, 0xff, "cookie");
    }

    /**
     * Reads a {@code HelloVerifyRequest} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static HelloVerifyRequest decode(Reader r) throws DtlsException {
        ProtocolVersion version = ProtocolVersion.of(r.u16());
        Bytes cookie = Codec.opaque(r, 1, 0, 0xff, "cookie");
        r.expectEnd();
        return new HelloVerifyRequest(version, cookie);
    }

    @Override
    public int type() {
        return HandshakeType.HELLO_VERIFY_REQUEST;
    }

    @Override
    public void encode(Writer w) {
        w.u16(serverVersion.wire());
        Codec.opaque(w, 1, cookie);
    }
}
