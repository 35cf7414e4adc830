package org.dtls4j.handshake.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The ClientHello form of the server_name extension (0), RFC 6066 §3 (a server's reply carries empty
 * data instead):
 * <pre>
 * struct {
 *     NameType name_type;
 *     select (name_type) { case host_name: HostName; } name;
 * } ServerName;
 * enum { host_name(0), (255) } NameType;
 * opaque HostName&lt;1..2^16-1&gt;;
 * struct { ServerName server_name_list&lt;1..2^16-1&gt; } ServerNameList;
 * </pre>
 * Only host_name is defined, and an unknown name_type has no length of its own; like most stacks we
 * read every entry as {@code opaque<1..2^16-1>}, so future types in that shape round-trip. The list
 * "MUST NOT contain more than one name of the same name_type": a repeat is decode_error.
 */
public record ServerName(List<Entry> names) implements ExtensionData {
    /** The host_name NameType. */
    public static final int HOST_NAME = 0;

    /** One entry of the list: a NameType code and its name bytes (ASCII for host_name). */
    public record Entry(int nameType, Bytes name) {
        /**
         * Checks every field against its wire bounds, so an instance always encodes.
         *
         * @param nameType the NameType code, 0 to 255 (host_name is 0)
         * @param name the name bytes, 1 to 65535; ASCII for host_name
         */
        public Entry {
            Codec.u8(nameType, "name_type");
            Codec.bytes(name, 1, 0xffff, "name");
        }
    }

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param names the entries, at least one, no NameType twice, at most 65535 bytes encoded
     */
    public ServerName {
        names = List.copyOf(names);
        Codec.count(names.size(), 1, Integer.MAX_VALUE, "server_name_list");
        long total = 0;
        for (int i = 0; i < names.size(); i++) {
            total += 3 + names.get(i).name().length();
            for (int j = 0; j < i; j++) {
                if (names.get(j).nameType() == names.get(i).nameType()) {
                    throw new IllegalArgumentException("repeated name_type " + names.get(i).nameType());
                }
            }
        }
        if (total > 0xffff) {
            throw new IllegalArgumentException("server_name_list of " + total + " bytes exceeds 65535");
        }
    }

    /**
     * {@return the list holding one host_name, encoded as ASCII (RFC 6066: no trailing dot, no IP literals)}
     *
     * @param hostName a DNS host name
     */
    public static ServerName ofHostName(String hostName) {
        Objects.requireNonNull(hostName, "hostName");
        return new ServerName(List.of(new Entry(HOST_NAME, Bytes.wrap(hostName.getBytes(StandardCharsets.US_ASCII)))));
    }

    /**
     * Reads a {@code ServerName} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static ServerName decode(Reader r) throws DtlsException {
        Reader list = Codec.vector(r, 2, 1, 0xffff, "server_name_list");
        List<Entry> names = new ArrayList<>();
        boolean[] seen = new boolean[256];
        while (list.hasRemaining()) {
            int type = list.u8();
            if (seen[type]) {
                throw DtlsException.decodeError("repeated name_type " + type + " in server_name_list");
            }
            seen[type] = true;
            names.add(new Entry(type, Codec.opaque(list, 2, 1, 0xffff, "server name")));
        }
        r.expectEnd();
        return new ServerName(names);
    }

    /** {@return the host_name entry as a string, if there is one (bytes outside ASCII show as U+FFFD)} */
    public Optional<String> hostName() {
        for (Entry e : names) {
            if (e.nameType() == HOST_NAME) {
                return Optional.of(new String(e.name().array(), StandardCharsets.US_ASCII));
            }
        }
        return Optional.empty();
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.SERVER_NAME;
    }

    @Override
    public void encodeData(Writer w) {
        int mark = w.beginLength(2);
        for (Entry e : names) {
            w.u8(e.nameType());
            Codec.opaque(w, 2, e.name());
        }
        w.endLength(mark);
    }
}
