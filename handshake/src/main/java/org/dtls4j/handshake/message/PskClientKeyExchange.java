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
    public PskClientKeyExchange {
        Codec.bytes(identity, 0, 0xffff, "psk_identity");
    }

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
