package org.dtls4j.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads PEM files: X.509 certificates, PKCS#8 private keys and SubjectPublicKeyInfo public keys (EC, RSA, Ed25519). */
final class Pem {
    private static final String[] KEY_ALGORITHMS = {"EC", "RSA", "Ed25519"};

    private Pem() {
    }

    /** Every certificate in the file, in order. */
    static List<X509Certificate> certificates(Path file) throws UsageException {
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (byte[] der : blocks(read(file), "CERTIFICATE")) {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
            if (out.isEmpty()) {
                throw new UsageException(file + ": no CERTIFICATE block");
            }
            return out;
        } catch (CertificateException e) {
            throw new UsageException(file + ": not an X.509 certificate: " + e.getMessage());
        }
    }

    /** The first "PRIVATE KEY" (PKCS#8) block of the file. */
    static PrivateKey privateKey(Path file) throws UsageException {
        String text = read(file);
        List<byte[]> keys = blocks(text, "PRIVATE KEY");
        if (keys.isEmpty()) {
            String hint = text.contains("-----BEGIN EC PRIVATE KEY-----") || text.contains("-----BEGIN RSA PRIVATE KEY-----")
                    ? " (convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem)" : "";
            throw new UsageException(file + ": no unencrypted PKCS#8 PRIVATE KEY block" + hint);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        for (String alg : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: the next one may read it
            }
        }
        throw new UsageException(file + ": not an EC, RSA or Ed25519 PKCS#8 key");
    }

    /** Every "PUBLIC KEY" (SubjectPublicKeyInfo) block of the file, in order; none is an empty list. */
    static List<PublicKey> publicKeys(Path file) throws UsageException {
        List<PublicKey> out = new ArrayList<>();
        for (byte[] der : blocks(read(file), "PUBLIC KEY")) {
            out.add(publicKey(file, der));
        }
        return out;
    }

    private static PublicKey publicKey(Path file, byte[] der) throws UsageException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String alg : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm: the next one may read it
            }
        }
        throw new UsageException(file + ": PUBLIC KEY block is not an EC, RSA or Ed25519 key");
    }

    private static String read(Path file) throws UsageException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The base64 bodies of the blocks labelled exactly {@code label}. */
    static List<byte[]> blocks(String text, String label) throws UsageException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while ((at = text.indexOf(begin, at)) >= 0) {
            int stop = text.indexOf(end, at);
            if (stop < 0) {
                throw new UsageException("PEM block " + label + " without its END line");
            }
            String body = text.substring(at + begin.length(), stop).replaceAll("\\s", "");
            try {
                out.add(Base64.getDecoder().decode(body));
            } catch (IllegalArgumentException e) {
                throw new UsageException("PEM block " + label + " is not valid base64");
            }
            at = stop + end.length();
        }
        return out;
    }

    /** A PEM block of {@code der}. */
    static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
