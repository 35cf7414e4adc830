package org.dtls4j.handshake.message;

/**
 * TLS certificate type codes (IANA "TLS Certificate Types", RFC 6091 and RFC 7250 §3), the values carried
 * by the client_certificate_type and server_certificate_type extensions.
 */
public final class CertificateType {
    /** An X.509 certificate chain: the default when neither side sends the extensions (RFC 7250 §4.2). */
    public static final int X509 = 0;
    /** OpenPGP (RFC 6091); listed for readable logs only, never offered or accepted here. */
    public static final int OPEN_PGP = 1;
    /** A bare SubjectPublicKeyInfo (RFC 7250 §3). */
    public static final int RAW_PUBLIC_KEY = 2;

    private CertificateType() {
    }

    /**
     * A readable name for a code, for logs and alert messages.
     *
     * @param code a certificate type code, 0 to 255, known or not
     * @return "X.509", "OpenPGP", "RawPublicKey", or "unknown(code)"
     */
    public static String name(int code) {
        return switch (code) {
            case X509 -> "X.509";
            case OPEN_PGP -> "OpenPGP";
            case RAW_PUBLIC_KEY -> "RawPublicKey";
            default -> "unknown(" + code + ")";
        };
    }
}
