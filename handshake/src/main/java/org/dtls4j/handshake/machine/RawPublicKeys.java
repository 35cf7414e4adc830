package org.dtls4j.handshake.machine;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dtls4j.crypto.EcdheKeyPair;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.handshake.auth.RawPublicKeyVerifier;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.CertificateType;
import org.dtls4j.handshake.message.CertificateTypeChoice;
import org.dtls4j.handshake.message.CertificateTypeOffer;
import org.dtls4j.handshake.message.ExtensionData;
import org.dtls4j.handshake.message.ExtensionType;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * Raw public keys (RFC 7250) for both sides: what the client offers in its hello, what the server picks
 * from that offer (§4.2), what the client accepts of the server's choice, and the checks on a peer's
 * SubjectPublicKeyInfo (bounded parse, type and strength as for a certificate's key, then the
 * application's {@link RawPublicKeyVerifier}).
 */
final class RawPublicKeys {
    /** No certificate type in common: what a choice returns when there is nothing to choose. */
    static final int NONE = -1;

    /**
     * The longest SubjectPublicKeyInfo parsed: an RSA 8192 key's is about 1.1 KB and an EC or Ed25519
     * one under 100 bytes, so anything longer is refused before any ASN.1 parser sees it.
     */
    static final int MAX_SPKI_LENGTH = 2048;

    // The DER contents of the algorithm OIDs accepted: id-ecPublicKey (RFC 5480), id-Ed25519 (RFC 8410),
    // rsaEncryption (RFC 8017).
    private static final byte[] OID_EC = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] OID_ED25519 = {0x2b, 0x65, 0x70};
    private static final byte[] OID_RSA = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};

    private RawPublicKeys() {
    }

    /**
     * The client's offers: client_certificate_type when it has a raw key to present, server_certificate_type
     * when it can verify a server's raw key. X.509 is listed after RawPublicKey when this side can also use
     * a certificate: its own for the first, a configured trust manager for the second (the JDK's default
     * trust store alone does not count, so a client that pins keys accepts only keys).
     */
    static List<ExtensionData> clientOffers(HandshakeSettings s) {
        List<ExtensionData> out = new ArrayList<>(2);
        if (s.rawPublicKeyIdentity() != null) {
            out.add(s.certificateIdentity() != null
                    ? CertificateTypeOffer.client(CertificateType.RAW_PUBLIC_KEY, CertificateType.X509)
                    : CertificateTypeOffer.client(CertificateType.RAW_PUBLIC_KEY));
        }
        if (s.rawPublicKeyVerifier() != null) {
            out.add(s.trustManager() != null || s.insecureSkipCertificateValidation()
                    ? CertificateTypeOffer.server(CertificateType.RAW_PUBLIC_KEY, CertificateType.X509)
                    : CertificateTypeOffer.server(CertificateType.RAW_PUBLIC_KEY));
        }
        return out;
    }

    /**
     * The server's own certificate type: the client's first listed type that the server has a credential
     * for; X.509 when the client sent no server_certificate_type; {@link #NONE} when nothing fits.
     */
    static int chooseServerType(HandshakeSettings s, Extensions clientExt) throws DtlsException {
        Optional<CertificateTypeOffer> offer = clientExt.certificateTypeOffer(ExtensionType.SERVER_CERTIFICATE_TYPE);
        if (offer.isEmpty()) {
            return CertificateType.X509;
        }
        for (int t : offer.get().types()) {
            if (t == CertificateType.RAW_PUBLIC_KEY && s.rawPublicKeyIdentity() != null
                    || t == CertificateType.X509 && s.certificateIdentity() != null) {
                return t;
            }
        }
        return NONE;
    }

    /**
     * The type the server asks of the client: the client's first listed type the server can verify
     * (RawPublicKey with a verifier, X.509 always); X.509 when the client sent no client_certificate_type.
     *
     * @throws DtlsException unsupported_certificate when the client offers nothing the server can verify
     */
    static int chooseClientType(HandshakeSettings s, Extensions clientExt) throws DtlsException {
        Optional<CertificateTypeOffer> offer = clientExt.certificateTypeOffer(ExtensionType.CLIENT_CERTIFICATE_TYPE);
        if (offer.isEmpty()) {
            return CertificateType.X509;
        }
        for (int t : offer.get().types()) {
            if (t == CertificateType.RAW_PUBLIC_KEY && s.rawPublicKeyVerifier() != null || t == CertificateType.X509) {
                return t;
            }
        }
        throw new DtlsException(AlertDescription.UNSUPPORTED_CERTIFICATE,
                "no client certificate type in common: client offers " + offer.get().types());
    }

    /** The key this side signs with when presenting {@code type}, or null when it has none. */
    static PrivateKey signingKey(HandshakeSettings s, int type) {
        if (type == CertificateType.RAW_PUBLIC_KEY) {
            return s.rawPublicKeyIdentity() != null ? s.rawPublicKeyIdentity().privateKey() : null;
        }
        if (type == CertificateType.X509) {
            return s.certificateIdentity() != null ? s.certificateIdentity().privateKey() : null;
        }
        return null;
    }

    /**
     * What the client accepts of the server's choice for extension {@code type}: the type itself when
     * the ServerHello carries one we offered, X.509 when it carries none and we offered X.509 (or offered
     * nothing), {@link #NONE} when it carries none but we offered only other types.
     *
     * @throws DtlsException illegal_parameter for a choice we did not offer
     */
    static int acceptChoice(Extensions serverExt, Extensions offered, ExtensionType type) throws DtlsException {
        Optional<CertificateTypeOffer> ours = offered.certificateTypeOffer(type);
        Optional<CertificateTypeChoice> choice = serverExt.certificateTypeChoice(type);
        if (choice.isEmpty()) {
            return ours.isEmpty() || ours.get().types().contains(CertificateType.X509) ? CertificateType.X509 : NONE;
        }
        int chosen = choice.get().certificateType();
        if (ours.isEmpty() || !ours.get().types().contains(chosen)) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER,
                    "server chose " + type + " " + CertificateType.name(chosen) + ", which was not offered");
        }
        return chosen;
    }

    /**
     * Parses and checks a peer's raw public key: bounded, well-formed, of an accepted algorithm, strong
     * enough, fitting a signature scheme we accept (and the suite's key exchange, for a server's key), and
     * trusted by the application's verifier.
     *
     * @param kx the suite's key exchange for a server's key; null for a client's
     * @throws DtlsException bad_certificate (malformed, or an EC point off its curve), unsupported_certificate
     *     (wrong type or curve), insufficient_security (too weak), certificate_unknown (not trusted)
     */
    static PublicKey accept(HandshakeSettings s, Bytes spki, KeyExchange kx) throws DtlsException {
        PublicKey key = parse(spki.toByteArray());
        PeerCertificates.checkKeyStrength(key);
        boolean fitsScheme = false;
        for (SignatureScheme scheme : s.signatureSchemes()) {
            fitsScheme |= scheme.isSupported() && scheme.fits(key);
        }
        if (!fitsScheme || kx != null && !HelloChecks.fitsKeyExchange(kx, key)) {
            throw new DtlsException(AlertDescription.UNSUPPORTED_CERTIFICATE,
                    "peer raw " + key.getAlgorithm() + " key fits no accepted signature scheme or suite");
        }
        if (key instanceof ECPublicKey ec) {
            checkPoint(ec);
        }
        RawPublicKeyVerifier verifier = s.rawPublicKeyVerifier();
        if (verifier == null || !verifier.isTrusted(key)) {
            throw new DtlsException(AlertDescription.CERTIFICATE_UNKNOWN, "peer raw public key not trusted");
        }
        return key;
    }

    /**
     * The JDK's EC KeyFactory accepts points off the curve; a raw key has no CA that vouched for it, so the
     * point gets the same validation as an ECDHE share (SP 800-56A §5.6.2.3). The curve is P-256 or P-384
     * here: the signature-scheme check ran first.
     */
    private static void checkPoint(ECPublicKey ec) throws DtlsException {
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        int size = (bits + 7) / 8;
        byte[] point = new byte[1 + 2 * size];
        point[0] = 0x04;
        if (!fixed(ec.getW().getAffineX(), point, 1, size) || !fixed(ec.getW().getAffineY(), point, 1 + size, size)) {
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "EC point coordinate out of range");
        }
        try {
            EcdheKeyPair.validatePeerPublicKey(bits == 256 ? NamedGroup.SECP256R1 : NamedGroup.SECP384R1, point);
        } catch (DtlsException e) {
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "raw EC public key is not a valid point", e);
        }
    }

    /** Writes a non-negative coordinate big-endian into {@code len} bytes; false when it does not fit. */
    private static boolean fixed(BigInteger v, byte[] out, int off, int len) {
        byte[] b = v.toByteArray();
        int start = b.length > len && b[0] == 0 ? 1 : 0;
        int n = b.length - start;
        if (v.signum() < 0 || n > len) {
            return false;
        }
        System.arraycopy(b, start, out, off + len - n, n);
        return true;
    }

    /**
     * Parses a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). The outer SEQUENCE must span the input
     * exactly (no trailing bytes), and the key must re-encode to the same bytes, so one key has one accepted
     * encoding and a pin on the encoding cannot be sidestepped.
     */
    static PublicKey parse(byte[] spki) throws DtlsException {
        if (spki.length == 0 || spki.length > MAX_SPKI_LENGTH) {
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE,
                    "SubjectPublicKeyInfo of " + spki.length + " bytes outside 1.." + MAX_SPKI_LENGTH);
        }
        String algorithm = algorithm(spki);
        PublicKey key;
        try {
            key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException | RuntimeException e) {
            // The JDK's DER parser throws unchecked exceptions on some malformed input; peer bytes must not escape as such.
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "unparsable " + algorithm + " public key", e);
        }
        if (!Arrays.equals(key.getEncoded(), spki)) {
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "SubjectPublicKeyInfo is not in canonical DER");
        }
        return key;
    }

    /** The JCA algorithm named by the SubjectPublicKeyInfo's AlgorithmIdentifier. */
    private static String algorithm(byte[] spki) throws DtlsException {
        int[] pos = {0};
        int outer = header(spki, pos, 0x30, spki.length);
        if (pos[0] + outer != spki.length) {
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE,
                    "SubjectPublicKeyInfo length mismatch or trailing bytes");
        }
        int algId = header(spki, pos, 0x30, spki.length);
        int algEnd = pos[0] + algId;
        int oidLength = header(spki, pos, 0x06, algEnd);
        byte[] oid = Arrays.copyOfRange(spki, pos[0], pos[0] + oidLength);
        if (Arrays.equals(oid, OID_EC)) {
            return "EC";
        }
        if (Arrays.equals(oid, OID_ED25519)) {
            return "Ed25519";
        }
        if (Arrays.equals(oid, OID_RSA)) {
            return "RSA";
        }
        throw new DtlsException(AlertDescription.UNSUPPORTED_CERTIFICATE, "raw public key of an unsupported algorithm");
    }

    /**
     * Reads a DER tag and definite length at {@code pos[0]} (short form, or long form of one or two bytes)
     * and checks that the contents end by {@code limit}; leaves {@code pos[0]} at the contents.
     */
    private static int header(byte[] der, int[] pos, int tag, int limit) throws DtlsException {
        int p = pos[0];
        if (p + 2 > limit || (der[p] & 0xff) != tag) {
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "malformed SubjectPublicKeyInfo");
        }
        int first = der[p + 1] & 0xff;
        p += 2;
        int length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x81 && p + 1 <= limit) {
            length = der[p++] & 0xff;
        } else if (first == 0x82 && p + 2 <= limit) {
            length = (der[p] & 0xff) << 8 | der[p + 1] & 0xff;
            p += 2;
        } else {
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "unsupported DER length in SubjectPublicKeyInfo");
        }
        if (length > limit - p) {
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "SubjectPublicKeyInfo element overruns its parent");
        }
        pos[0] = p;
        return length;
    }
}
