package org.dtls4j.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A minimal DER encoder for one kind of certificate: a self-signed X.509 v3 certificate for an ECDSA P-256
 * key, signed with SHA256withECDSA, with subject and issuer {@code CN=<host>} and one subjectAltName
 * dNSName {@code <host>} (RFC 5280 §4.1, §4.2.1.6). The JDK can parse certificates but not make them, and
 * the command must not depend on Bouncy Castle at run time.
 */
final class SelfSignedCertificate {
    private static final int[] ECDSA_WITH_SHA256 = {1, 2, 840, 10045, 4, 3, 2};
    private static final int[] COMMON_NAME = {2, 5, 4, 3};
    private static final int[] SUBJECT_ALT_NAME = {2, 5, 29, 17};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** A key pair and its certificate. */
    record Identity(KeyPair keyPair, X509Certificate certificate) {
    }

    private SelfSignedCertificate() {
    }

    /** A new P-256 key and a certificate for {@code host}, valid from an hour ago for {@code validity}. */
    static Identity create(String host, Duration validity) throws GeneralSecurityException {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = kpg.generateKeyPair();
        Instant now = Instant.now();
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        serial[0] &= 0x7f; // a positive INTEGER
        serial[0] |= 0x01; // without a leading zero byte

        byte[] algorithm = seq(oid(ECDSA_WITH_SHA256));
        byte[] name = seq(set(seq(oid(COMMON_NAME), tlv(0x0c, host.getBytes(StandardCharsets.UTF_8)))));
        byte[] validityField = seq(utcTime(now.minus(Duration.ofHours(1))), utcTime(now.plus(validity)));
        byte[] generalNames = seq(tlv(0x82, host.getBytes(StandardCharsets.US_ASCII))); // [2] IMPLICIT IA5String
        byte[] san = seq(oid(SUBJECT_ALT_NAME), tlv(0x04, generalNames));
        byte[] tbs = seq(
                tlv(0xa0, tlv(0x02, new byte[] {2})),     // [0] EXPLICIT version v3
                tlv(0x02, serial),
                algorithm,
                name,
                validityField,
                name,
                kp.getPublic().getEncoded(),              // SubjectPublicKeyInfo, already DER
                tlv(0xa3, seq(san)));                     // [3] EXPLICIT extensions

        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(kp.getPrivate());
        signer.update(tbs);
        byte[] sig = signer.sign();
        byte[] bits = new byte[sig.length + 1];          // BIT STRING: no unused bits
        System.arraycopy(sig, 0, bits, 1, sig.length);
        byte[] der = seq(tbs, algorithm, tlv(0x03, bits));

        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate cert = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
        cert.verify(kp.getPublic());
        return new Identity(kp, cert);
    }

    static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    static byte[] utcTime(Instant t) {
        return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    /** An OBJECT IDENTIFIER: the first two arcs in one byte, the rest in base-128 (X.690 §8.19). */
    static byte[] oid(int[] arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int v = arcs[i];
            int shift = 28;
            while (shift > 0 && (v >>> shift) == 0) {
                shift -= 7;
            }
            for (; shift > 0; shift -= 7) {
                out.write(0x80 | ((v >>> shift) & 0x7f));
            }
            out.write(v & 0x7f);
        }
        return tlv(0x06, out.toByteArray());
    }

    /** Tag, definite length (short form below 128, else long form: X.690 §8.1.3), value. */
    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            byte[] l = BigInteger.valueOf(len).toByteArray();
            int skip = l[0] == 0 ? 1 : 0;
            out.write(0x80 | (l.length - skip));
            out.write(l, skip, l.length - skip);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
