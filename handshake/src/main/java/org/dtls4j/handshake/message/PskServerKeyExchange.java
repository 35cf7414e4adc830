package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The plain-PSK ServerKeyExchange (RFC 4279 §2), sent only when the server has a hint to give:
 * <pre>
 * struct { opaque psk_identity_hint&lt;0..2^16-1&gt;; } ServerKeyExchange;
 * </pre>
 */
public record PskServerKeyExchange(Bytes identityHint) implements ServerKeyExchange {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param identityHint the PSK identity hint, 0 to 65535 bytes; usually empty
     */
    public PskServerKeyExchange {
        Codec.bytes(identityHint, 0, 0xffff, "psk_identity_hint");
    }

    /**
     * Reads a {@code PskServerKeyExchange} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static PskServerKeyExchange decode(Reader r) throws DtlsException {
        Bytes hint = Codec.opaque(r, 2, 0, 0xffff, "psk_identity_hint");
        r.expectEnd();
        return new PskServerKeyExchange(hint);
    }

    @Override
    public void encode(Writer w) {
        Codec.opaque(w, 2, identityHint);
    }
}
