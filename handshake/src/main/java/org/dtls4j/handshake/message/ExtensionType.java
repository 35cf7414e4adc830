package org.dtls4j.handshake.message;

/**
 * A hello extension type (IANA "TLS ExtensionType Values"): an open value over a 16-bit code, so an
 * unknown extension round-trips with its code instead of failing.
 */
public final class ExtensionType {
    /** RFC 6066 §3. */
    public static final ExtensionType SERVER_NAME = new ExtensionType(0, "server_name");
    /** RFC 6066 §4. */
    public static final ExtensionType MAX_FRAGMENT_LENGTH = new ExtensionType(1, "max_fragment_length");
    /** RFC 6066 §8; listed for readable logs, no codec here. */
    public static final ExtensionType STATUS_REQUEST = new ExtensionType(5, "status_request");
    /** RFC 8422 §5.1.1 (formerly elliptic_curves), RFC 7919. */
    public static final ExtensionType SUPPORTED_GROUPS = new ExtensionType(10, "supported_groups");
    /** RFC 8422 §5.1.2. */
    public static final ExtensionType EC_POINT_FORMATS = new ExtensionType(11, "ec_point_formats");
    /** RFC 5246 §7.4.1.4.1. */
    public static final ExtensionType SIGNATURE_ALGORITHMS = new ExtensionType(13, "signature_algorithms");
    /** RFC 5764 §4.1.1. */
    public static final ExtensionType USE_SRTP = new ExtensionType(14, "use_srtp");
    /** RFC 6520; listed for readable logs, no codec here. */
    public static final ExtensionType HEARTBEAT = new ExtensionType(15, "heartbeat");
    /** RFC 7301 §3.1. */
    public static final ExtensionType APPLICATION_LAYER_PROTOCOL_NEGOTIATION =
            new ExtensionType(16, "application_layer_protocol_negotiation");
    /** RFC 7250 §3: the certificate types a client can send, and the server's choice. */
    public static final ExtensionType CLIENT_CERTIFICATE_TYPE = new ExtensionType(19, "client_certificate_type");
    /** RFC 7250 §3: the certificate types a client can process from the server, and the server's choice. */
    public static final ExtensionType SERVER_CERTIFICATE_TYPE = new ExtensionType(20, "server_certificate_type");
    /** RFC 7685; listed for readable logs, no codec here. */
    public static final ExtensionType PADDING = new ExtensionType(21, "padding");
    /** RFC 7366 §2 (negotiated for CBC suites only). */
    public static final ExtensionType ENCRYPT_THEN_MAC = new ExtensionType(22, "encrypt_then_mac");
    /** RFC 7627 §5.1. */
    public static final ExtensionType EXTENDED_MASTER_SECRET = new ExtensionType(23, "extended_master_secret");
    /** RFC 8449 §4. */
    public static final ExtensionType RECORD_SIZE_LIMIT = new ExtensionType(28, "record_size_limit");
    /** RFC 5077 §3.2. */
    public static final ExtensionType SESSION_TICKET = new ExtensionType(35, "session_ticket");
    /** RFC 8446 §4.2.1; listed for readable logs (a DTLS 1.3 client may offer it), no codec here. */
    public static final ExtensionType SUPPORTED_VERSIONS = new ExtensionType(43, "supported_versions");
    /** RFC 9146 §3. Code 53 was the draft's, with a different MAC; IANA now marks it deprecated. */
    public static final ExtensionType CONNECTION_ID = new ExtensionType(54, "connection_id");
    /** RFC 5746 §3.2. */
    public static final ExtensionType RENEGOTIATION_INFO = new ExtensionType(0xff01, "renegotiation_info");

    /** Every type above. */
    private static final ExtensionType[] KNOWN = {
        SERVER_NAME, MAX_FRAGMENT_LENGTH, STATUS_REQUEST, SUPPORTED_GROUPS, EC_POINT_FORMATS,
        SIGNATURE_ALGORITHMS, USE_SRTP, HEARTBEAT, APPLICATION_LAYER_PROTOCOL_NEGOTIATION, CLIENT_CERTIFICATE_TYPE,
        SERVER_CERTIFICATE_TYPE, PADDING, ENCRYPT_THEN_MAC, EXTENDED_MASTER_SECRET, RECORD_SIZE_LIMIT,
        SESSION_TICKET, SUPPORTED_VERSIONS, CONNECTION_ID, RENEGOTIATION_INFO};
    /** The known types with a code below 64, by code: looked up per extension decoded, without boxing the code. */
    private static final ExtensionType[] BY_SMALL_CODE = bySmallCode();

    private final int code;
    private final String name;

    private ExtensionType(int code, String name) {
        this.code = code;
        this.name = name;
    }

    private static ExtensionType[] bySmallCode() {
        ExtensionType[] table = new ExtensionType[64];
        for (ExtensionType t : KNOWN) {
            if (t.code < table.length) {
                table[t.code] = t;
            }
        }
        return table;
    }

    /**
     * {@return the type for a 16-bit wire code; an unknown code gets a value of its own}
     *
     * @param code the 16-bit value
     */
    public static ExtensionType of(int code) {
        int c = Codec.u16(code, "extension type");
        if (c < BY_SMALL_CODE.length && BY_SMALL_CODE[c] != null) {
            return BY_SMALL_CODE[c];
        }
        for (ExtensionType t : KNOWN) {
            if (t.code == c) {
                return t;
            }
        }
        return new ExtensionType(c, "unknown(" + c + ")");
    }

    /** {@return the 16-bit wire code} */
    public int code() {
        return code;
    }

    /** {@return the IANA name, or {@code unknown(N)}} */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionType other && other.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name;
    }
}
