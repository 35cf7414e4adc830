package org.dtls4j.handshake.message;

import java.util.Objects;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The ECDHE_PSK ServerKeyExchange (RFC 5489 §2): hint then ECDH values, unsigned (the PSK
 * authenticates them through the Finished messages):
 * <pre>
 * struct {
 *     opaque psk_identity_hint&lt;0..2^16-1&gt;;
 *     ServerECDHParams params;
 * } ServerKeyExchange;
 * </pre>
 */
public record EcdhePskServerKeyExchange(Bytes identityHint, ServerEcdhParams params) implements ServerKeyExchange {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param identityHint the PSK identity hint, 0 to 65535 bytes; usually empty
     * @param params the named group and the server's ECDHE public key, not null
     */
    public EcdhePskServerKeyExchange {
        Codec.bytes(identityHint, 0, 0xffff, "psk_identity_hint");
        Objects.requireNonNull(params, "params");
    }

    /**
     * Reads a {@code EcdhePskServerKeyExchange} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static EcdhePskServerKeyExchange decode(Reader r) throws DtlsException {
        Bytes hint = Codec.opaque(r, 2, 0, 0xffff, "psk_identity_hint");
        ServerEcdhParams params = ServerEcdhParams.decode(r);
        r.expectEnd();
        return new EcdhePskServerKeyExchange(hint, params);
    }

    @Override
    public void encode(Writer w) {
        Codec.opaque(w, 2, identityHint);
        params.encode(w);
    }
}
