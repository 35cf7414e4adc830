package org.dtls4j.testkit;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only certificate authority: makes keys and X.509 chains in memory (through Bouncy Castle's
 * certificate builder, which the JDK lacks), so no test depends on key files.
 */
public final class TestPki {
    /** A private key with its chain, leaf first; the last element is the trust anchor. */
    public record Identity(PrivateKey key, List<X509Certificate> chain) {
        public X509Certificate leaf() {
            return chain.get(0);
        }

        public X509Certificate root() {
            return chain.get(chain.size() - 1);
        }

        /** The chain a peer sends: leaf and intermediates, without the self-signed root. */
        public List<X509Certificate> chainWithoutRoot() {
            return chain.size() == 1 ? chain : chain.subList(0, chain.size() - 1);
        }
    }

    /** The key algorithms tests use. */
    public enum KeyType { EC_P256, EC_P384, RSA_2048, ED25519, /** Too weak to accept: for refusal tests. */ RSA_1024 }

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {
    }

    public static KeyPair keyPair(KeyType type) {
        try {
            return switch (type) {
                case EC_P256 -> ec("secp256r1");
                case EC_P384 -> ec("secp384r1");
                case RSA_2048, RSA_1024 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(type == KeyType.RSA_2048 ? 2048 : 1024, RANDOM);
                    yield g.generateKeyPair();
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve), RANDOM);
        return g.generateKeyPair();
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException(key.getAlgorithm());
        };
    }

    /** A self-signed certificate for {@code hostName} (one-element chain). */
    public static Identity selfSigned(KeyType type, String hostName) {
        KeyPair kp = keyPair(type);
        X509Certificate cert = certificate("CN=" + hostName, kp, "CN=" + hostName, kp.getPrivate(), true, hostName, 0);
        return new Identity(kp.getPrivate(), List.of(cert));
    }

    /**
     * A chain of {@code length} certificates: leaf for {@code hostName}, then intermediates, then a
     * self-signed root. {@code padding} adds that many bytes of a non-critical extension to each
     * certificate, so tests can make chains of a given size.
     */
    public static Identity chain(KeyType type, String hostName, int length, int padding) {
        if (length < 1) {
            throw new IllegalArgumentException("length " + length);
        }
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            keys.add(keyPair(type));
        }
        List<X509Certificate> certs = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            boolean isRoot = i == length - 1;
            String subject = i == 0 ? "CN=" + hostName : "CN=dtls4j test CA " + i;
            String issuer = isRoot ? subject : "CN=dtls4j test CA " + (i + 1);
            KeyPair issuerKeys = isRoot ? keys.get(i) : keys.get(i + 1);
            certs.add(certificate(subject, keys.get(i), issuer, issuerKeys.getPrivate(), i > 0,
                    i == 0 ? hostName : null, padding));
        }
        return new Identity(keys.get(0).getPrivate(), List.copyOf(certs));
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer,
                                               PrivateKey issuerKey, boolean ca, String dnsName, int padding) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    new X500Name(issuer), new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365))),
                    new X500Name(subject), subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, ca
                    ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature)
                    : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (dnsName != null) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            }
            if (padding > 0) {
                // A private-arc, non-critical extension: validators ignore it, sizes grow.
                b.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1"), false,
                        new org.bouncycastle.asn1.DEROctetString(new byte[padding]));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(signatureAlgorithm(issuerKey)).build(issuerKey)));
        } catch (CertIOException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
