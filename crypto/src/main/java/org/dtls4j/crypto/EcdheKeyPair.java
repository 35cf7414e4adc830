package org.dtls4j.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.KeyAgreement;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * One side's ephemeral ECDHE key pair for a single handshake (RFC 8422): generates the share sent in
 * ServerKeyExchange / ClientKeyExchange in its TLS wire form and turns the peer's share into the
 * premaster secret.
 *
 * <p>Wire forms: x25519 is the 32-byte little-endian u-coordinate (RFC 7748 §5, RFC 8422 §5.11);
 * secp256r1/secp384r1 are uncompressed points {@code 0x04 || X || Y} (RFC 8422 §5.4.1). The peer's share
 * is refused with illegal_parameter for a wrong length, a compressed or hybrid encoding, coordinates not
 * below p, a point off the curve (which also covers the point at infinity), and an all-zero x25519
 * result (RFC 8422 §5.11, RFC 7748 §6.1). A key pair is meant for one use; drop it after the premaster
 * secret exists (JCA private keys cannot be wiped in place on JDK 17).
 *
 * <p>The arithmetic may come from a caller's JCA {@link Provider} (key pair generation, key agreement and
 * the key factories); the checks above stay ours, so they hold whatever the provider does.
 */
public final class EcdheKeyPair {
    /** RFC 7748 §4.1: p = 2^255 - 19. */
    private static final BigInteger P25519 = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

    /** RFC 8410 §4: a 12-byte SEQUENCE/AlgorithmIdentifier/BIT STRING header before the 32-byte key. */
    private static final int X25519_SPKI_LENGTH = 44;
    /** SEQUENCE { SEQUENCE { OID 1.3.101.110 (id-X25519) }, BIT STRING (33 bytes, 0 unused bits) }. */
    private static final byte[] X25519_SPKI_HEADER = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    private final NamedGroup group;
    private final Provider provider;
    private PrivateKey privateKey;
    private final byte[] publicKey;

    private EcdheKeyPair(NamedGroup group, Provider provider, PrivateKey privateKey, byte[] publicKey) {
        this.group = group;
        this.provider = provider;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /**
     * A fresh key pair on {@code group}.
     *
     * @param group the curve
     * @param random the source of the private key
     * @return the key pair
     * @throws DtlsException illegal_parameter when dtls4j does not support the group (for example a
     *     server's choice the client never offered)
     */
    public static EcdheKeyPair generate(NamedGroup group, SecureRandom random) throws DtlsException {
        return generate(group, random, null);
    }

    /**
     * A fresh key pair on {@code group} whose generation and later key agreement use {@code provider}
     * ({@code null}: the JDK's default provider list).
     *
     * @param group the named group: x25519, secp256r1 or secp384r1
     * @param random the source of the private key, not null
     * @param provider the JCA provider, or null for the JDK's
     * @return the key pair; destroy it once the premaster secret is derived
     * @throws DtlsException illegal_parameter when dtls4j does not support the group
     * @throws IllegalStateException when the provider lacks the group (a local configuration fault)
     */
    public static EcdheKeyPair generate(NamedGroup group, SecureRandom random, Provider provider) throws DtlsException {
        Objects.requireNonNull(random, "random");
        requireSupported(group);
        try {
            if (group.equals(NamedGroup.X25519)) {
                KeyPairGenerator kpg = Jca.keyPairGenerator("X25519", provider);
                kpg.initialize(NamedParameterSpec.X25519, random);
                KeyPair kp = kpg.generateKeyPair();
                byte[] wire = x25519Share(kp.getPublic());
                return new EcdheKeyPair(group, provider, kp.getPrivate(), wire);
            }
            NistCurve curve = NistCurve.forGroup(group);
            KeyPairGenerator kpg = Jca.keyPairGenerator("EC", provider);
            kpg.initialize(new ECGenParameterSpec(group.name()), random);
            KeyPair kp = kpg.generateKeyPair();
            byte[] wire = curve.encodePoint(((ECPublicKey) kp.getPublic()).getW());
            return new EcdheKeyPair(group, provider, kp.getPrivate(), wire);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(describe(provider) + " cannot generate a " + group + " key", e);
        }
    }

    /**
     * A key pair from a known private scalar (tests replaying published vectors); it has no public share.
     * x25519 takes the 32-byte scalar as RFC 7748 writes it; NIST curves take a big-endian integer.
     */
    static EcdheKeyPair fromPrivateScalar(NamedGroup group, byte[] scalar) throws GeneralSecurityException {
        PrivateKey key;
        if (group.equals(NamedGroup.X25519)) {
            key = KeyFactory.getInstance("X25519").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
        } else {
            NistCurve curve = NistCurve.forGroup(group);
            key = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, scalar), curve.params));
        }
        return new EcdheKeyPair(group, null, key, new byte[0]);
    }

    /** {@return the curve this key pair is on} */
    public NamedGroup group() {
        return group;
    }

    /** {@return this side's share in TLS wire form (a copy)} */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * The ECDH result with the peer's share: the premaster secret for ECDHE suites (RFC 8422 §5.10) and
     * the other_secret of ECDHE_PSK (RFC 5489 §2). x25519 gives 32 bytes; the NIST curves give the
     * shared point's X coordinate, left-padded to the field size.
     *
     * @param peerPublicKey the peer's share in TLS wire form
     * @return the ECDH result
     * @throws DtlsException illegal_parameter for any invalid peer share or an all-zero x25519 result
     */
    public byte[] sharedSecret(byte[] peerPublicKey) throws DtlsException {
        PrivateKey key = privateKey;
        if (key == null) {
            throw new IllegalStateException("key pair destroyed");
        }
        PublicKey peer = toJcaPublicKey(group, peerPublicKey, provider);
        byte[] secret;
        try {
            KeyAgreement ka = Jca.keyAgreement(group.equals(NamedGroup.X25519) ? "X25519" : "ECDH", provider);
            ka.init(key);
            ka.doPhase(peer, true);
            secret = ka.generateSecret();
        } catch (GeneralSecurityException | RuntimeException e) {
            // Reached for shares our own checks let through but the provider refuses, e.g. its own
            // small-order check on x25519 (Bouncy Castle reports it as an IllegalStateException); either
            // way the peer's share is at fault.
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "key agreement failed on " + group, e);
        }
        if (group.equals(NamedGroup.X25519)) {
            if (isAllZero(secret)) {
                throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "x25519 result is all zero");
            }
            return secret;
        }
        return leftPad(secret, group.sharedSecretLength());
    }

    /**
     * Checks a peer's share without using it, e.g. the server on the client's ClientKeyExchange before
     * any other work.
     *
     * @param group the curve the share should be on
     * @param peerPublicKey the peer's share in TLS wire form
     * @throws DtlsException illegal_parameter for an unsupported group or an invalid share
     */
    public static void validatePeerPublicKey(NamedGroup group, byte[] peerPublicKey) throws DtlsException {
        toJcaPublicKey(group, peerPublicKey, null);
    }

    /** Drops the private key; {@link #sharedSecret} refuses afterwards. */
    public void destroy() {
        privateKey = null;
    }

    @Override
    public String toString() {
        return "EcdheKeyPair[" + group + (privateKey == null ? ", destroyed]" : "]");
    }

    private static PublicKey toJcaPublicKey(NamedGroup group, byte[] share, Provider provider) throws DtlsException {
        requireSupported(group);
        if (share == null || share.length != group.publicKeyLength()) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, group + " share of "
                    + (share == null ? "no" : share.length) + " bytes, expected " + group.publicKeyLength());
        }
        try {
            if (group.equals(NamedGroup.X25519)) {
                // As an X.509 SubjectPublicKeyInfo, which every provider reads (Bouncy Castle 1.79 does not
                // take an XECPublicKeySpec); the u-coordinate is first reduced to its canonical encoding.
                return Jca.keyFactory("X25519", provider).generatePublic(x25519Spki(decodeX25519(share)));
            }
            NistCurve curve = NistCurve.forGroup(group);
            ECPoint w = curve.decodePoint(share);
            // A provider gets the key from its named-curve X.509 encoding (see Jca.own), not explicit parameters.
            return Jca.own(KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, curve.params)), provider);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, describe(provider) + " refused " + group + " share", e);
        }
    }

    private static String describe(Provider provider) {
        return provider == null ? "JDK" : provider.getName();
    }

    private static void requireSupported(NamedGroup group) throws DtlsException {
        if (!group.isSupported()) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "unsupported group " + group);
        }
    }

    /**
     * RFC 7748 §5: little-endian, the top bit masked off, and non-canonical values (≥ p) accepted as
     * their residue mod p.
     */
    private static BigInteger decodeX25519(byte[] share) {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = share[31 - i];
        }
        be[0] &= 0x7f;
        return new BigInteger(1, be).mod(P25519);
    }

    /**
     * The wire share of a generated x25519 key: from {@link XECPublicKey} when the provider's key
     * implements it, else the last 32 bytes of its SubjectPublicKeyInfo (RFC 8410 §4: the raw key is the
     * whole BIT STRING, already little-endian).
     */
    private static byte[] x25519Share(PublicKey key) {
        if (key instanceof XECPublicKey xec) {
            return encodeX25519(xec.getU());
        }
        byte[] spki = key.getEncoded();
        if (spki == null || spki.length != X25519_SPKI_LENGTH) {
            throw new IllegalStateException("provider's x25519 key has no usable encoding");
        }
        return Arrays.copyOfRange(spki, X25519_SPKI_LENGTH - 32, X25519_SPKI_LENGTH);
    }

    private static X509EncodedKeySpec x25519Spki(BigInteger u) {
        byte[] spki = new byte[X25519_SPKI_LENGTH];
        System.arraycopy(X25519_SPKI_HEADER, 0, spki, 0, X25519_SPKI_HEADER.length);
        System.arraycopy(encodeX25519(u), 0, spki, X25519_SPKI_HEADER.length, 32);
        return new X509EncodedKeySpec(spki);
    }

    private static byte[] encodeX25519(BigInteger u) {
        byte[] be = new byte[32];
        NistCurve.writeFixed(u, be, 0, 32);
        byte[] le = new byte[32];
        for (int i = 0; i < 32; i++) {
            le[i] = be[31 - i];
        }
        return le;
    }

    /** Constant-time all-zero test (no early exit on the first non-zero byte). */
    private static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    private static byte[] leftPad(byte[] v, int len) {
        if (v.length == len) {
            return v;
        }
        byte[] out = new byte[len];
        int n = Math.min(v.length, len);
        System.arraycopy(v, v.length - n, out, len - n, n);
        Arrays.fill(v, (byte) 0);
        return out;
    }
}
