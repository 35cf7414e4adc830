package org.dtls4j.record;

import org.dtls4j.wire.ClientHelloPeek;

/** The record content types DTLS 1.2 knows (RFC 6347 §4.1, RFC 9146 for tls12_cid). */
public final class ContentType {
    /** change_cipher_spec: the one-byte message that switches the write epoch. */
    public static final int CHANGE_CIPHER_SPEC = 20;
    /** alert: a warning or fatal alert, or close_notify. */
    public static final int ALERT = 21;
    /** handshake: fragments of handshake messages. */
    public static final int HANDSHAKE = ClientHelloPeek.CONTENT_TYPE_HANDSHAKE;
    /** application_data: the payload, only in epochs above 0. */
    public static final int APPLICATION_DATA = 23;
    /** RFC 9146: a record with a Connection ID in its header; the real type is inside the ciphertext. */
    public static final int TLS12_CID = 25;

    private ContentType() {
    }

    /**
     * {@return true for the types a record may carry as its (inner) content type}
     *
     * @param type a content type byte
     */
    public static boolean isKnown(int type) {
        return type >= CHANGE_CIPHER_SPEC && type <= APPLICATION_DATA;
    }

    /**
     * {@return the RFC name of {@code type}, or its number for an unknown type}, for traces and errors.
     *
     * @param type a content type byte
     */
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
