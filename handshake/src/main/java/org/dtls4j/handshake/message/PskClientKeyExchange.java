package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The plain-PSK ClientKeyExchange (RFC 4279 §2):
 * <pre>
 * struct { opaque psk_identity&lt;0..2^16-1&gt;; } ClientKeyExchange;
 * </pre>
 */
public record PskClientKeyExchange(Bytes identity) implements ClientKeyExchange {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param identity the PSK identity the client names, 0 to 65535 bytes
     */
    public PskClientKeyExchange {
        Codec.bytes(identity, 0, 0xffff, "psk_identity");
    }

    /**
     * Reads a {@code PskClientKeyExchange} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static PskClientKeyExchange decode(Reader r) throws DtlsException {
        Bytes identity = Codec.opaque(r, 2, 0, 0xffff, "psk_identity");
        r.expectEnd();
        return new PskClientKeyExchange(identity);
    }

    @Override
    public void encode(Writer w) {
        Codec.opaque(w, 2, identity);
    }
}
