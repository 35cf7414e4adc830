package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The connection_id extension (54), RFC 9146 §3: the CID the sender wants to receive in records
 * addressed to it; empty means "I will send CIDs but need none":
 * <pre>
 * struct { opaque cid&lt;0..2^8-1&gt;; } ConnectionId;
 * </pre>
 */
public record ConnectionId(Bytes cid) implements ExtensionData {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param cid the CID the sender wants to receive, 0 to 255 bytes; empty when it wants none
     */
    public ConnectionId {
        Codec.bytes(cid, 0, 0xff, "cid");
    }

    /**
     * Reads a {@code ConnectionId} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static ConnectionId decode(Reader r) throws DtlsException {
        ConnectionId v = new ConnectionId(Codec.opaque(r, 1, 0, 0xff, "cid"));
        r.expectEnd();
        return v;
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.CONNECTION_ID;
    }

    @Override
    public void encodeData(Writer w) {
        Codec.opaque(w, 1, cid);
    }
}
