package org.dtls4j.wire;

/**
 * A TLS/DTLS alert description (RFC 5246 §7.2, RFC 8446 §6 registry): an open wire value, so an
 * unknown code from a peer round-trips instead of throwing.
 */
public final class AlertDescription {
    /** close_notify (0): the sender will send nothing more (RFC 5246 §7.2.1). */
    public static final AlertDescription CLOSE_NOTIFY = new AlertDescription(0, "close_notify");
    /** unexpected_message (10): a message arrived that the state does not allow. */
    public static final AlertDescription UNEXPECTED_MESSAGE = new AlertDescription(10, "unexpected_message");
    /** bad_record_mac (20): a record failed authentication. */
    public static final AlertDescription BAD_RECORD_MAC = new AlertDescription(20, "bad_record_mac");
    /** record_overflow (22): a record longer than allowed. */
    public static final AlertDescription RECORD_OVERFLOW = new AlertDescription(22, "record_overflow");
    /** handshake_failure (40): no acceptable set of parameters, or retransmissions ran out. */
    public static final AlertDescription HANDSHAKE_FAILURE = new AlertDescription(40, "handshake_failure");
    /** bad_certificate (42): a certificate that does not verify or parse. */
    public static final AlertDescription BAD_CERTIFICATE = new AlertDescription(42, "bad_certificate");
    /** unsupported_certificate (43): a certificate of a type that cannot be used. */
    public static final AlertDescription UNSUPPORTED_CERTIFICATE = new AlertDescription(43, "unsupported_certificate");
    /** certificate_revoked (44). */
    public static final AlertDescription CERTIFICATE_REVOKED = new AlertDescription(44, "certificate_revoked");
    /** certificate_expired (45): a certificate outside its validity period. */
    public static final AlertDescription CERTIFICATE_EXPIRED = new AlertDescription(45, "certificate_expired");
    /** certificate_unknown (46): some other certificate problem. */
    public static final AlertDescription CERTIFICATE_UNKNOWN = new AlertDescription(46, "certificate_unknown");
    /** illegal_parameter (47): a field out of range or inconsistent with the rest. */
    public static final AlertDescription ILLEGAL_PARAMETER = new AlertDescription(47, "illegal_parameter");
    /** unknown_ca (48): a chain that does not lead to a trusted anchor. */
    public static final AlertDescription UNKNOWN_CA = new AlertDescription(48, "unknown_ca");
    /** access_denied (49): a valid identity that is not allowed in. */
    public static final AlertDescription ACCESS_DENIED = new AlertDescription(49, "access_denied");
    /** decode_error (50): a message that does not parse. */
    public static final AlertDescription DECODE_ERROR = new AlertDescription(50, "decode_error");
    /** decrypt_error (51): a signature or Finished that does not verify. */
    public static final AlertDescription DECRYPT_ERROR = new AlertDescription(51, "decrypt_error");
    /** protocol_version (70): a version this side does not speak. */
    public static final AlertDescription PROTOCOL_VERSION = new AlertDescription(70, "protocol_version");
    /** insufficient_security (71): the peer offers only parameters too weak to accept. */
    public static final AlertDescription INSUFFICIENT_SECURITY = new AlertDescription(71, "insufficient_security");
    /** internal_error (80): a local fault, not the peer's. */
    public static final AlertDescription INTERNAL_ERROR = new AlertDescription(80, "internal_error");
    /** inappropriate_fallback (86): RFC 7507 downgrade protection. */
    public static final AlertDescription INAPPROPRIATE_FALLBACK = new AlertDescription(86, "inappropriate_fallback");
    /** user_canceled (90): the handshake was abandoned locally. */
    public static final AlertDescription USER_CANCELED = new AlertDescription(90, "user_canceled");
    /** no_renegotiation (100): a warning refusing a renegotiation. */
    public static final AlertDescription NO_RENEGOTIATION = new AlertDescription(100, "no_renegotiation");
    /** unsupported_extension (110): an extension in a reply that was never offered. */
    public static final AlertDescription UNSUPPORTED_EXTENSION = new AlertDescription(110, "unsupported_extension");
    /** unrecognized_name (112): RFC 6066 server_name not served here. */
    public static final AlertDescription UNRECOGNIZED_NAME = new AlertDescription(112, "unrecognized_name");
    /** unknown_psk_identity (115): RFC 4279 §2, a PSK identity the server does not know. */
    public static final AlertDescription UNKNOWN_PSK_IDENTITY = new AlertDescription(115, "unknown_psk_identity");
    /** no_application_protocol (120): RFC 7301, no ALPN protocol in common. */
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

    /**
     * {@return the description for a wire byte; unknown codes get a value of their own rather than an error}
     *
     * @param code the description byte from an alert record
     */
    public static AlertDescription of(int code) {
        int c = code & 0xff;
        AlertDescription known = BY_CODE[c];
        return known != null ? known : new AlertDescription(c, "unknown(" + c + ")");
    }

    /** {@return the wire byte} */
    public int code() {
        return code;
    }

    /** {@return the RFC name, or {@code unknown(N)}} */
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
