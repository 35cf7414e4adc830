package org.dtls4j.wire;

/**
 * A TLS/DTLS alert description (RFC 5246 §7.2, RFC 8446 §6 registry): an open wire value, so an
 * unknown code from a peer round-trips instead of throwing.
 */
public final class AlertDescription {
    public static final AlertDescription CLOSE_NOTIFY = new AlertDescription(0, "close_notify");
    public static final AlertDescription UNEXPECTED_MESSAGE = new AlertDescription(10, "unexpected_message");
    public static final AlertDescription BAD_RECORD_MAC = new AlertDescription(20, "bad_record_mac");
    public static final AlertDescription RECORD_OVERFLOW = new AlertDescription(22, "record_overflow");
    public static final AlertDescription HANDSHAKE_FAILURE = new AlertDescription(40, "handshake_failure");
    public static final AlertDescription BAD_CERTIFICATE = new AlertDescription(42, "bad_certificate");
    public static final AlertDescription UNSUPPORTED_CERTIFICATE = new AlertDescription(43, "unsupported_certificate");
    public static final AlertDescription CERTIFICATE_REVOKED = new AlertDescription(44, "certificate_revoked");
    public static final AlertDescription CERTIFICATE_EXPIRED = new AlertDescription(45, "certificate_expired");
    public static final AlertDescription CERTIFICATE_UNKNOWN = new AlertDescription(46, "certificate_unknown");
    public static final AlertDescription ILLEGAL_PARAMETER = new AlertDescription(47, "illegal_parameter");
    public static final AlertDescription UNKNOWN_CA = new AlertDescription(48, "unknown_ca");
    public static final AlertDescription ACCESS_DENIED = new AlertDescription(49, "access_denied");
    public static final AlertDescription DECODE_ERROR = new AlertDescription(50, "decode_error");
    public static final AlertDescription DECRYPT_ERROR = new AlertDescription(51, "decrypt_error");
    public static final AlertDescription PROTOCOL_VERSION = new AlertDescription(70, "protocol_version");
    public static final AlertDescription INSUFFICIENT_SECURITY = new AlertDescription(71, "insufficient_security");
    public static final AlertDescription INTERNAL_ERROR = new AlertDescription(80, "internal_error");
    public static final AlertDescription INAPPROPRIATE_FALLBACK = new AlertDescription(86, "inappropriate_fallback");
    public static final AlertDescription USER_CANCELED = new AlertDescription(90, "user_canceled");
    public static final AlertDescription NO_RENEGOTIATION = new AlertDescription(100, "no_renegotiation");
    public static final AlertDescription UNSUPPORTED_EXTENSION = new AlertDescription(110, "unsupported_extension");
    public static final AlertDescription UNRECOGNIZED_NAME = new AlertDescription(112, "unrecognized_name");
    public static final AlertDescription UNKNOWN_PSK_IDENTITY = new AlertDescription(115, "unknown_psk_identity");
    public static final AlertDescription NO_APPLICATION_PROTOCOL = new AlertDescription(120, "no_application_protocol");

    private static final AlertDescription[] KNOWN = {
        CLOSE_NOTIFY, UNEXPECTED_MESSAGE, BAD_RECORD_MAC, RECORD_OVERFLOW, HANDSHAKE_FAILURE,
        BAD_CERTIFICATE, UNSUPPORTED_CERTIFICATE, CERTIFICATE_REVOKED, CERTIFICATE_EXPIRED,
        CERTIFICATE_UNKNOWN, ILLEGAL_PARAMETER, UNKNOWN_CA, ACCESS_DENIED, DECODE_ERROR, DECRYPT_ERROR,
        PROTOCOL_VERSION, INSUFFICIENT_SECURITY, INTERNAL_ERROR, INAPPROPRIATE_FALLBACK, USER_CANCELED,
        NO_RENEGOTIATION, UNSUPPORTED_EXTENSION, UNRECOGNIZED_NAME, UNKNOWN_PSK_IDENTITY,
        NO_APPLICATION_PROTOCOL,
    };
    private static final AlertDescription[] BY_CODE = new AlertDescription[256];

    static {
        for (AlertDescription a : KNOWN) {
            BY_CODE[a.code] = a;
        }
    }

    private final int code;
    private final String name;

    private AlertDescription(int code, String name) {
        this.code = code;
        this.name = name;
    }

    /** {@return the description for a wire byte; unknown codes get a value of their own rather than an error} */
    public static AlertDescription of(int code) {
        int c = code & 0xff;
        AlertDescription known = BY_CODE[c];
        return known != null ? known : new AlertDescription(c, "unknown(" + c + ")");
    }

    public int code() {
        return code;
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertDescription other && other.code == code;
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
