package org.dtls4j.handshake.message;

import java.util.List;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The supported_groups extension (10), RFC 8422 §5.1.1, groups as raw 16-bit NamedGroup codes:
 * <pre>
 * struct { NamedGroup named_group_list&lt;2..2^16-1&gt;; } NamedGroupList;
 * </pre>
 */
public record SupportedGroups(List<Integer> groups) implements ExtensionData {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param groups the NamedGroup codes, most preferred first, at least one
     */
    public SupportedGroups {
        groups = Codec.codes(groups, 16, 1, 0x7fff, "named_group_list");
    }

    /**
     * Reads a {@code SupportedGroups} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static SupportedGroups decode(Reader r) throws DtlsException {
        SupportedGroups v = new SupportedGroups(Codec.u16List(r, 2, 2, 0xffff, "named_group_list"));
        r.expectEnd();
        return v;
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.SUPPORTED_GROUPS;
    }

    @Override
    public void encodeData(Writer w) {
        Codec.u16List(w, 2, groups);
    }
}
