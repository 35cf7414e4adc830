package org.dtls4j.handshake.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The application_layer_protocol_negotiation extension (16), RFC 7301 §3.1. A client lists what it
 * offers; a server's reply must hold exactly one name, which the state machine checks:
 * <pre>
 * opaque ProtocolName&lt;1..2^8-1&gt;;
 * struct { ProtocolName protocol_name_list&lt;2..2^16-1&gt; } ProtocolNameList;
 * </pre>
 */
public record ApplicationProtocols(List<Bytes> protocols) implements ExtensionData {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param protocols the protocol names, most preferred first: each 1 to 255 bytes, the list at most 65535 bytes encoded
     */
    public ApplicationProtocols {
        protocols = Codec.items(protocols, 1, 0xff, 1, 2, 0xffff, "protocol_name_list");
    }

    /**
     * {@return the list of these names, each encoded as UTF-8 (the registry's IDs are ASCII, e.g. "h2", "webrtc")}
     *
     * @param names protocol names, in preference order
     */
    public static ApplicationProtocols of(String... names) {
        List<Bytes> list = new ArrayList<>(names.length);
        for (String n : names) {
            list.add(Bytes.wrap(n.getBytes(StandardCharsets.UTF_8)));
        }
        return new ApplicationProtocols(list);
    }

    /**
     * Reads a {@code ApplicationProtocols} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static ApplicationProtocols decode(Reader r) throws DtlsException {
        ApplicationProtocols v = new ApplicationProtocols(
                Codec.opaqueList(r, 2, 2, 0xffff, 1, 1, 0xff, "protocol_name_list"));
        r.expectEnd();
        return v;
    }

    /** {@return the names as strings, decoded as UTF-8} */
    public List<String> names() {
        List<String> out = new ArrayList<>(protocols.size());
        for (Bytes b : protocols) {
            out.add(new String(b.array(), StandardCharsets.UTF_8));
        }
        return List.copyOf(out);
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION;
    }

    @Override
    public void encodeData(Writer w) {
        Codec.opaqueList(w, 2, 1, protocols);
    }
}
