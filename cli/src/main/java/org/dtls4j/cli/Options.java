package org.dtls4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.DtlsConfig;
import org.dtls4j.KeyLogWriter;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.wire.Hex;

/** The options client and server share: PSK, certificate and key, suites, key log. */
final class Options {
    private Options() {
    }

    /** A parsed {@code --psk IDENTITY:HEXKEY}: the identity is everything before the last colon. */
    record Psk(byte[] identity, byte[] key) {
    }

    static Psk psk(String value) throws UsageException {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new UsageException("--psk must be IDENTITY:HEXKEY");
        }
        byte[] key;
        try {
            key = Hex.decode(value.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new UsageException("--psk key is not hex: " + e.getMessage());
        }
        if (key.length == 0) {
            throw new UsageException("--psk key is empty");
        }
        return new Psk(value.substring(0, colon).getBytes(StandardCharsets.UTF_8), key);
    }

    static List<CipherSuite> suites(String value) throws UsageException {
        List<CipherSuite> out = new ArrayList<>();
        for (String name : value.split(",")) {
            String n = name.trim();
            CipherSuite s = CipherSuite.byName(n).orElseThrow(() -> new UsageException(
                    "unknown cipher suite '" + n + "' (use IANA names, e.g. TLS_PSK_WITH_AES_128_GCM_SHA256)"));
            if (!s.isNegotiable()) {
                throw new UsageException(n + " is not a suite dtls4j can negotiate");
            }
            out.add(s);
        }
        return out;
    }

    /** --cert and --key, both or neither. */
    static void certificate(Args a, DtlsConfig.Builder b) throws UsageException {
        if (a.has("cert") != a.has("key")) {
            throw new UsageException("--cert and --key go together");
        }
        if (a.has("cert")) {
            List<X509Certificate> chain = Pem.certificates(Path.of(a.get("cert")));
            PrivateKey key = Pem.privateKey(Path.of(a.get("key")));
            b.certificate(key, chain);
        }
    }

    static void trust(String caFile, DtlsConfig.Builder b) throws UsageException {
        b.trustedCertificates(Pem.certificates(Path.of(caFile)).toArray(new X509Certificate[0]));
    }

    /** Suites (when given), the key log from SSLKEYLOGFILE, then build. */
    static DtlsConfig finish(Args a, DtlsConfig.Builder b, KeyLogWriter keyLog) throws UsageException {
        if (a.has("ciphers")) {
            b.cipherSuites(suites(a.get("ciphers")));
        }
        if (keyLog != null) {
            b.keyLog(keyLog);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static String names(List<CipherSuite> suites) {
        return Arrays.toString(suites.stream().map(CipherSuite::name).toArray());
    }
}
