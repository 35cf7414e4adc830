package org.dtls4j.handshake.machine;

import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.handshake.message.KeyExchangeKind;

/**
 * What the hellos fixed, carried from state to state once ServerHello is sent or received.
 *
 * @param applicationProtocol the ALPN result, or null
 * @param peerRecordSizeLimit the peer's record_size_limit, or 0
 * @param serverName the client's server_name, or null
 * @param srtp what use_srtp agreed, or null
 * @param encryptThenMac whether the CBC suite's records use RFC 7366 (false for AEAD suites)
 */
record Negotiated(CipherSuite suite, byte[] clientRandom, byte[] serverRandom, byte[] sessionId,
                  boolean extendedMasterSecret, String applicationProtocol, int peerRecordSizeLimit,
                  String serverName, SrtpNegotiation.Choice srtp, boolean encryptThenMac) {

    KeyExchange keyExchange() {
        return suite.keyExchange();
    }

    /** The decode context the key-exchange messages need. */
    static KeyExchangeKind kind(KeyExchange kx) {
        return switch (kx) {
            case ECDHE_ECDSA, ECDHE_RSA -> KeyExchangeKind.ECDHE_SIGNED;
            case PSK -> KeyExchangeKind.PSK;
            case ECDHE_PSK -> KeyExchangeKind.ECDHE_PSK;
        };
    }

    @Override
    public String toString() {
        return "Negotiated[" + suite.name() + "]";
    }
}
