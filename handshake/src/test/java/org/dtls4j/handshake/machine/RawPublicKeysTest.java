package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.auth.RawPublicKeyIdentity;
import org.dtls4j.handshake.auth.RawPublicKeyVerifier;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.CertificateType;
import org.dtls4j.handshake.message.CertificateTypeChoice;
import org.dtls4j.handshake.message.CertificateTypeOffer;
import org.dtls4j.handshake.message.ExtensionType;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/** SubjectPublicKeyInfo checks, the pinned verifier and the client's reading of the server's choice. */
class RawPublicKeysTest {
    private static final KeyPair EC = TestPki.keyPair(TestPki.KeyType.EC_P256);
    private static final KeyPair ED = TestPki.keyPair(TestPki.KeyType.ED25519);

    private static HandshakeSettings trusting(PublicKey... keys) {
        return RawPublicKeyHandshakeTest.withRawKeys(new TestSettings(List.of(), null, null, null, null, false,
                ClientAuth.NONE, null, null), null, RawPublicKeyVerifier.pinned(keys));
    }

    private static AlertDescription alertOf(HandshakeSettings s, byte[] spki, KeyExchange kx) {
        return assertThrows(DtlsException.class, () -> RawPublicKeys.accept(s, Bytes.of(spki), kx)).alert();
    }

    @Test
    void acceptsPinnedEcdsaAndEd25519Keys() throws DtlsException {
        HandshakeSettings s = trusting(EC.getPublic(), ED.getPublic());
        assertEquals(EC.getPublic(), RawPublicKeys.accept(s, Bytes.of(EC.getPublic().getEncoded()), KeyExchange.ECDHE_ECDSA));
        assertEquals(ED.getPublic(), RawPublicKeys.accept(s, Bytes.of(ED.getPublic().getEncoded()), null));
    }

    @Test
    void malformedSubjectPublicKeyInfoIsBadCertificate() {
        HandshakeSettings s = trusting(EC.getPublic());
        byte[] good = EC.getPublic().getEncoded();
        assertEquals(AlertDescription.BAD_CERTIFICATE, alertOf(s, new byte[0], null));
        assertEquals(AlertDescription.BAD_CERTIFICATE, alertOf(s, Arrays.copyOf(good, good.length + 1), null),
                "a trailing byte");
        assertEquals(AlertDescription.BAD_CERTIFICATE, alertOf(s, Arrays.copyOf(good, good.length - 1), null),
                "one byte short");
        assertEquals(AlertDescription.BAD_CERTIFICATE, alertOf(s, new byte[RawPublicKeys.MAX_SPKI_LENGTH + 1], null));
        byte[] garbage = new byte[RawPublicKeys.MAX_SPKI_LENGTH];
        assertEquals(AlertDescription.BAD_CERTIFICATE, alertOf(s, garbage, null));
        // The same key with its outer length in long form (81 59 instead of 59): valid BER, not DER.
        byte[] longForm = new byte[good.length + 1];
        longForm[0] = 0x30;
        longForm[1] = (byte) 0x81;
        System.arraycopy(good, 1, longForm, 2, good.length - 1);
        assertEquals(AlertDescription.BAD_CERTIFICATE, alertOf(s, longForm, null));
        // The last byte of y flipped: a well-formed encoding of a point that is not on P-256.
        byte[] badPoint = good.clone();
        badPoint[badPoint.length - 1] ^= 1;
        assertEquals(AlertDescription.BAD_CERTIFICATE, alertOf(s, badPoint, null), "a point off the curve");
    }

    @Test
    void wrongOrWeakKeysGetTheCertificateAlerts() {
        KeyPair weak = TestPki.keyPair(TestPki.KeyType.RSA_1024);
        KeyPair rsa = TestPki.keyPair(TestPki.KeyType.RSA_2048);
        HandshakeSettings s = trusting(weak.getPublic(), rsa.getPublic(), EC.getPublic());
        assertEquals(AlertDescription.INSUFFICIENT_SECURITY, alertOf(s, weak.getPublic().getEncoded(), null));
        assertEquals(AlertDescription.UNSUPPORTED_CERTIFICATE,
                alertOf(s, rsa.getPublic().getEncoded(), KeyExchange.ECDHE_ECDSA));
        assertEquals(AlertDescription.UNSUPPORTED_CERTIFICATE,
                alertOf(s, EC.getPublic().getEncoded(), KeyExchange.ECDHE_RSA));
        // An X25519 key (OID 1.3.101.110) can agree on keys but not sign.
        byte[] x25519 = HexFormat.of().parseHex("302a300506032b656e032100" + "09".repeat(32));
        assertEquals(AlertDescription.UNSUPPORTED_CERTIFICATE, alertOf(s, x25519, null));
    }

    @Test
    void pinnedVerifierTrustsExactlyItsKeys() {
        RawPublicKeyVerifier pins = RawPublicKeyVerifier.pinned(EC.getPublic(), ED.getPublic());
        assertTrue(pins.isTrusted(EC.getPublic()));
        assertTrue(pins.isTrusted(ED.getPublic()));
        assertFalse(pins.isTrusted(TestPki.keyPair(TestPki.KeyType.EC_P256).getPublic()));
        assertEquals(AlertDescription.CERTIFICATE_UNKNOWN,
                alertOf(trusting(ED.getPublic()), EC.getPublic().getEncoded(), null));
        assertThrows(IllegalArgumentException.class, () -> RawPublicKeyVerifier.pinned(List.of()));
    }

    @Test
    void clientRefusesAChoiceItDidNotOffer() throws DtlsException {
        Extensions offered = Extensions.of(CertificateTypeOffer.server(CertificateType.RAW_PUBLIC_KEY));
        Extensions x509Chosen = Extensions.of(
                new CertificateTypeChoice(ExtensionType.SERVER_CERTIFICATE_TYPE, CertificateType.X509));
        DtlsException e = assertThrows(DtlsException.class,
                () -> RawPublicKeys.acceptChoice(x509Chosen, offered, ExtensionType.SERVER_CERTIFICATE_TYPE));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, e.alert());
        assertEquals(RawPublicKeys.NONE,
                RawPublicKeys.acceptChoice(Extensions.EMPTY, offered, ExtensionType.SERVER_CERTIFICATE_TYPE));
        assertEquals(CertificateType.X509,
                RawPublicKeys.acceptChoice(Extensions.EMPTY, Extensions.EMPTY, ExtensionType.SERVER_CERTIFICATE_TYPE));
    }

    @Test
    void identityRefusesKeysThatAreNotAPair() {
        assertThrows(IllegalArgumentException.class, () -> new RawPublicKeyIdentity(EC.getPrivate(),
                TestPki.keyPair(TestPki.KeyType.EC_P256).getPublic()));
        assertThrows(IllegalArgumentException.class, () -> new RawPublicKeyIdentity(EC.getPrivate(), ED.getPublic()));
        assertEquals(Arrays.toString(EC.getPublic().getEncoded()),
                Arrays.toString(new RawPublicKeyIdentity(EC.getPrivate(), EC.getPublic()).subjectPublicKeyInfo()));
    }
}
