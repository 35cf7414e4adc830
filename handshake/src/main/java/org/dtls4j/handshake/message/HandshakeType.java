package org.dtls4j.handshake.message;

import org.dtls4j.wire.ClientHelloPeek;

/** The handshake message types of DTLS 1.2 (RFC 5246 §7.4, RFC 6347 §4.3.2, RFC 5077 for tickets). */
public final class HandshakeType {
    /** hello_request: a server asks for renegotiation (refused here). */
    public static final int HELLO_REQUEST = 0;
    /** client_hello. */
    public static final int CLIENT_HELLO = ClientHelloPeek.CLIENT_HELLO;
    /** server_hello. */
    public static final int SERVER_HELLO = 2;
    /** hello_verify_request (RFC 6347 §4.2.1): the cookie exchange. */
    public static final int HELLO_VERIFY_REQUEST = ClientHelloPeek.HELLO_VERIFY_REQUEST;
    /** new_session_ticket (RFC 5077). */
    public static final int NEW_SESSION_TICKET = 4;
    /** certificate. */
    public static final int CERTIFICATE = 11;
    /** server_key_exchange. */
    public static final int SERVER_KEY_EXCHANGE = 12;
    /** certificate_request. */
    public static final int CERTIFICATE_REQUEST = 13;
    /** server_hello_done. */
    public static final int SERVER_HELLO_DONE = 14;
    /** certificate_verify. */
    public static final int CERTIFICATE_VERIFY = 15;
    /** client_key_exchange. */
    public static final int CLIENT_KEY_EXCHANGE = 16;
    /** finished. */
    public static final int FINISHED = 20;

    private HandshakeType() {
    }

    /**
     * {@return the RFC name of {@code type}, for traces and errors}
     *
     * @param type a msg_type byte
     */
    public static String name(int type) {
        return switch (type) {
            case HELLO_REQUEST -> "hello_request";
            case CLIENT_HELLO -> "client_hello";
            case SERVER_HELLO -> "server_hello";
            case HELLO_VERIFY_REQUEST -> "hello_verify_request";
            case NEW_SESSION_TICKET -> "new_session_ticket";
            case CERTIFICATE -> "certificate";
            case SERVER_KEY_EXCHANGE -> "server_key_exchange";
            case CERTIFICATE_REQUEST -> "certificate_request";
            case SERVER_HELLO_DONE -> "server_hello_done";
            case CERTIFICATE_VERIFY -> "certificate_verify";
            case CLIENT_KEY_EXCHANGE -> "client_key_exchange";
            case FINISHED -> "finished";
            default -> "unknown(" + type + ")";
        };
    }
}
