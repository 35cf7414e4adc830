package org.dtls4j.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.handshake.message.CertificateVerify;
import org.dtls4j.handshake.message.HandshakeMessage;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/**
 * The scripted client's CertificateVerify signs exactly the handshake messages it has sent so far
 * (RFC 5246 §7.4.8), in their DTLS transcript form (RFC 6347 §4.2.6: each with its 12-byte header as
 * one unfragmented message).
 */
class ScriptedPeerCertificateVerifyTest {
    private static final SignatureScheme SCHEME = SignatureScheme.ECDSA_SECP256R1_SHA256;

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static byte[] transcript(HandshakeMessage... sent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int seq = 0; seq < sent.length; seq++) {
            out.writeBytes(HandshakeFragment.whole(sent[seq].type(), seq, sent[seq].toByteArray()).encode());
        }
        return out.toByteArray();
    }

    @Test
    void certificateVerifySignsTheTranscriptAsSentAndOnlyThat() throws Exception {
        KeyPair keys = p256();
        try (ScriptedPeer c = ScriptedPeer.client(new InMemoryTransport(), PeerSettings.ecdheEcdsa())) {
            HandshakeMessage hello = c.clientHello();
            c.send(hello);
            HandshakeMessage certificate = c.certificate(List.of());
            c.send(certificate);
            CertificateVerify cv = c.certificateVerify(keys.getPrivate(), SCHEME);

            assertEquals(SCHEME.code(), cv.signatureScheme());
            byte[] signed = transcript(hello, certificate);
            assertDoesNotThrow(() -> SCHEME.verify(keys.getPublic(), signed, cv.signature().toByteArray()));
            // One message more in the transcript and the same signature no longer fits it.
            byte[] longer = transcript(hello, certificate, cv);
            DtlsException e = assertThrows(DtlsException.class,
                    () -> SCHEME.verify(keys.getPublic(), longer, cv.signature().toByteArray()));
            assertEquals(AlertDescription.DECRYPT_ERROR, e.alert());
        }
    }

    @Test
    void anEmptyChainIsTheEmptyCertificate() {
        try (ScriptedPeer c = ScriptedPeer.client(new InMemoryTransport(), PeerSettings.ecdheEcdsa())) {
            assertEquals(c.emptyCertificate(), c.certificate(List.of()));
        }
    }
}
