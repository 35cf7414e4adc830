package org.dtls4j.handshake.machine;

import java.security.Key;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * The checks both sides make on the peer's hello, written once: renegotiation_info in an initial
 * handshake, the extended master secret policy, and whether a key can authenticate a key exchange.
 */
final class HelloChecks {
    private HelloChecks() {
    }

    /**
     * RFC 5746 §3.4/§3.6: in an initial handshake a renegotiation_info extension, when present, is empty.
     *
     * @param ext the peer's hello extensions
     * @throws DtlsException handshake_failure for a non-empty one
     */
    static void initialRenegotiationInfo(Extensions ext) throws DtlsException {
        if (ext.renegotiationInfo().isPresent() && !ext.renegotiationInfo().get().renegotiatedConnection().isEmpty()) {
            throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE,
                    "non-empty renegotiation_info in an initial handshake");
        }
    }

    /**
     * RFC 7627 §5.2/§5.3: whether the peer's hello uses the extended master secret, refusing a peer without
     * it when the settings require it.
     *
     * @param ext the peer's hello extensions
     * @param settings this side's settings
     * @param peer "client" or "server", for the message
     * @return true when the extended master secret is used
     * @throws DtlsException handshake_failure when it is required and missing
     */
    static boolean extendedMasterSecret(Extensions ext, HandshakeSettings settings, String peer)
            throws DtlsException {
        boolean ems = ext.extendedMasterSecret().isPresent();
        if (!ems && settings.requireExtendedMasterSecret()) {
            throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE,
                    peer + " does not support extended master secret");
        }
        return ems;
    }

    /**
     * True when a key of this type can authenticate {@code kx}: RSA for ECDHE_RSA, EC or Ed25519 for
     * ECDHE_ECDSA (RFC 8422 §2, RFC 5246 §7.4.2). The same rule picks our suite and judges the peer's key.
     *
     * @param kx the key exchange
     * @param key a public or private key
     * @return whether it fits
     */
    static boolean fitsKeyExchange(KeyExchange kx, Key key) {
        String alg = key.getAlgorithm();
        return kx == KeyExchange.ECDHE_RSA ? alg.equals("RSA")
                : alg.equals("EC") || alg.equals("Ed25519") || alg.equals("EdDSA");
    }
}
