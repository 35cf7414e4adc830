package org.dtls4j.interop.statefuzz;

import java.security.PrivateKey;
import java.util.function.Predicate;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.testing.ScriptedPeer;
import org.dtls4j.testkit.TestPki;

/**
 * Misbehaviours of a client that authenticates with a certificate (RFC 5246 §7.4.6 and §7.4.8), played
 * against servers that require one. Each scenario sends the client's certificate chain (without the
 * root); the server trusts the root.
 */
enum ClientAuthMisbehaviour {
    /** Certificate, ClientKeyExchange, CertificateVerify, CCS, Finished, then data: proves the script and target. */
    BASELINE("baseline with a client certificate: RFC order, then data", o -> o.completed() && o.markerAccepted()) {
        @Override
        Outcome play(Misbehaviour.Run r, TestPki.Identity client, PrivateKey otherKey) {
            certificateAndKeyExchange(r, client);
            r.peer.send(r.peer.certificateVerify(client.key(), SCHEME));
            r.peer.changeCipherSpec();
            r.peer.send(r.peer.finished());
            r.receive();
            return r.data("client-auth-data", 1);
        }
    },
    /**
     * RFC 5246 §7.4.8: a client that sent a certificate with signing capability must send
     * CertificateVerify right after ClientKeyExchange; here it goes straight to CCS and Finished. Over
     * DTLS a server cannot tell this from a CertificateVerify lost on the way (the CCS overtook it, and
     * the Finished is in the epoch that CCS opens), so waiting for a retransmission is as right as
     * unexpected_message or handshake_failure; completing is not.
     */
    SKIPPED_CERTIFICATE_VERIFY("Certificate without CertificateVerify (then CCS, Finished)",
            o -> !o.completed() && (o.alert() == null || unexpectedOrFailure(o.alert()))) {
        @Override
        Outcome play(Misbehaviour.Run r, TestPki.Identity client, PrivateKey otherKey) {
            certificateAndKeyExchange(r, client);
            r.peer.changeCipherSpec();
            r.peer.send(r.peer.finished());
            return r.end();
        }
    },
    /**
     * CertificateVerify skipped and Finished sent in epoch 0 under the message_seq CertificateVerify
     * should have had: the server reads a Finished where RFC 5246 §7.4.8 puts CertificateVerify, which
     * no loss explains, so it must fail the handshake (unexpected_message, or handshake_failure).
     */
    SKIPPED_CERTIFICATE_VERIFY_FINISHED_IN_EPOCH_0("Certificate without CertificateVerify, Finished (epoch 0) in its place",
            o -> !o.completed() && o.alert() != null && unexpectedOrFailure(o.alert())) {
        @Override
        Outcome play(Misbehaviour.Run r, TestPki.Identity client, PrivateKey otherKey) {
            certificateAndKeyExchange(r, client);
            r.peer.send(r.peer.finished());
            return r.end();
        }
    },
    /**
     * A well-formed CertificateVerify over the right transcript, signed by a key that is not the
     * certificate's: RFC 5246 §7.2.2 names decrypt_error for a signature that cannot be verified.
     */
    WRONG_CERTIFICATE_VERIFY_SIGNATURE("CertificateVerify with a wrong signature",
            o -> !o.completed() && "fatal decrypt_error".equals(o.alert())) {
        @Override
        Outcome play(Misbehaviour.Run r, TestPki.Identity client, PrivateKey otherKey) {
            certificateAndKeyExchange(r, client);
            r.peer.send(r.peer.certificateVerify(otherKey, SCHEME));
            r.peer.changeCipherSpec();
            r.peer.send(r.peer.finished());
            return r.end();
        }
    };

    /** The client certificates are ECDSA P-256. */
    static final SignatureScheme SCHEME = SignatureScheme.ECDSA_SECP256R1_SHA256;

    /** The handshake up to the client's ClientKeyExchange, with its certificate; events count from the server's reply on. */
    private static void certificateAndKeyExchange(Misbehaviour.Run r, TestPki.Identity client) {
        r.hello();
        r.begin();
        r.peer.send(r.peer.certificate(client.chainWithoutRoot()));
        r.peer.send(r.peer.clientKeyExchange());
    }

    /** Whether {@code alert} is one of the fatal alerts RFC 5246 allows for a missing CertificateVerify. */
    private static boolean unexpectedOrFailure(String alert) {
        return alert.equals("fatal unexpected_message") || alert.equals("fatal handshake_failure");
    }

    final String description;
    final Predicate<Outcome> rfcAllows;

    ClientAuthMisbehaviour(String description, Predicate<Outcome> rfcAllows) {
        this.description = description;
        this.rfcAllows = rfcAllows;
    }

    /**
     * Runs the scenario on a fresh connection and classifies what the server did; {@code client} is the
     * identity the server trusts, {@code otherKey} a P-256 key that is not the client certificate's.
     */
    abstract Outcome play(Misbehaviour.Run r, TestPki.Identity client, PrivateKey otherKey);
}
