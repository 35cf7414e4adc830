package org.dtls4j.record;

/** The record content types DTLS 1.2 knows (RFC 6347 §4.1, RFC 9146 for tls12_cid). */
public final class ContentType {
    public static final int CHANGE_CIPHER_SPEC = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    public static final int APPLICATION_DATA = 23;
    /** RFC 9146: a record with a Connection ID in its header; the real type is inside the ciphertext. */
    public static final int TLS12_CID = 25;

    private ContentType() {
    }

    /** True for the types a record may carry as its (inner) content type. */
    public static boolean isKnown(int type) {
        return type >= CHANGE_CIPHER_SPEC && type <= APPLICATION_DATA;
    }

    public static String name(int type) {
        return switch (type) {
            case CHANGE_CIPHER_SPEC -> "change_cipher_spec";
            case ALERT -> "alert";
            case HANDSHAKE -> "handshake";
            case APPLICATION_DATA -> "application_data";
            case TLS12_CID -> "tls12_cid";
            default -> "unknown(" + type + ")";
        };
    }
}
