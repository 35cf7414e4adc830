package org.dtls4j.handshake.machine;

import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.handshake.message.CertificateType;
import org.dtls4j.handshake.message.HandshakeMessages.Context;
import org.dtls4j.handshake.message.KeyExchangeKind;

/**
 * What the hellos fixed, carried from state to state once ServerHello is sent or received.
 *
 * @param applicationProtocol the ALPN result, or null
 * @param peerRecordSizeLimit the peer's record_size_limit, or 0
 * @param serverName the client's server_name, or null
 * @param srtp what use_srtp agreed, or null
 * @param encryptThenMac whether the CBC suite's records use RFC 7366 (false for AEAD suites)
 * @param certificateTypes what RFC 7250 fixed for each side's Certificate (X.509 unless both agreed otherwise)
 * @param sessionTicket whether the ServerHello acknowledged session_ticket, so a NewSessionTicket comes in
 *     the server's last flight, before its ChangeCipherSpec (RFC 5077 §3.2)
 */
record Negotiated(CipherSuite suite, byte[] clientRandom, byte[] serverRandom, byte[] sessionId,
                  boolean extendedMasterSecret, String applicationProtocol, int peerRecordSizeLimit,
                  String serverName, SrtpNegotiation.Choice srtp, boolean encryptThenMac,
                  CertificateTypes certificateTypes, boolean sessionTicket) {
    private static final Context SIGNED_CONTEXT = Context.of(KeyExchangeKind.ECDHE_SIGNED);
    private static final Context PSK_CONTEXT = Context.of(KeyExchangeKind.PSK);
    private static final Context ECDHE_PSK_CONTEXT = Context.of(KeyExchangeKind.ECDHE_PSK);

    /**
     * The certificate types the hellos fixed (RFC 7250 §4), as {@link CertificateType} codes.
     *
     * @param server the type of the server's Certificate
     * @param client the type of the client's Certificate, when one is requested
     */
    record CertificateTypes(int server, int client) {
        /** Neither side negotiated a type: both send X.509 certificates. */
        static final CertificateTypes X509 = new CertificateTypes(CertificateType.X509,
                CertificateType.X509);
    }

    KeyExchange keyExchange() {
        return suite.keyExchange();
    }

    /** The decode context the key-exchange messages of this suite need (shared, so decoding allocates none). */
    Context decodeContext() {
        return switch (keyExchange()) {
            case ECDHE_ECDSA, ECDHE_RSA -> SIGNED_CONTEXT;
            case PSK -> PSK_CONTEXT;
            case ECDHE_PSK -> ECDHE_PSK_CONTEXT;
        };
    }

    @Override
    public String toString() {
        return "Negotiated[" + suite.name() + "]";
    }
}
