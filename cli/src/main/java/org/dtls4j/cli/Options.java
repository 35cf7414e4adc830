package org.dtls4j.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsEvent;
import org.dtls4j.DtlsListener;
import org.dtls4j.KeyLogWriter;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyingMaterialExporter;
import org.dtls4j.crypto.SrtpKeys;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.Hex;

/** The options client and server share: PSK, certificate and key, suites, SRTP, key log. */
final class Options {
    /** The --srtp and --srtp-keys lines of both commands' help. */
    static final String SRTP_HELP = """
              --srtp PROFILE,...        offer (client) / accept in this preference (server) use_srtp
                                        profiles (RFC 5764): SRTP_AES128_CM_HMAC_SHA1_80, ..._32,
                                        SRTP_AEAD_AES_128_GCM, SRTP_AEAD_AES_256_GCM (OpenSSL names work
                                        too); the agreed one is printed on standard error
              --srtp-keys               also print the SRTP keying material (exporter EXTRACTOR-dtls_srtp,
                                        60 bytes for the CM profiles) in hex: exposes the media keys
            """;

    /** The --cid line of both commands' help. */
    static final String CID_HELP = """
              --cid LENGTH              negotiate Connection IDs (RFC 9146): ask the peer for a CID of
                                        LENGTH bytes (0..255; 0 = send me plain records, I still use
                                        yours), so a peer whose address changes keeps its session
            """;

    /** The --trace line of both commands' help. */
    static final String TRACE_HELP = """
              --trace                   print the engine's events (handshake started/completed/failed,
                                        alerts, dropped records) on standard error, one per line
            """;

    private Options() {
    }

    /**
     * The --trace observer: every {@link DtlsEvent} of every connection as one line on {@code err}, drops
     * included, or a listener that prints nothing without --trace.
     */
    static DtlsListener tracer(Args a, PrintStream err) {
        if (!a.has("trace")) {
            return new DtlsListener() { };
        }
        return new DtlsListener() {
            @Override
            public void onEvent(DtlsConnection connection, DtlsEvent event) {
                err.println("event " + event);
            }

            @Override
            public boolean wantsDropEvents() {
                return true;
            }
        };
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

    /**
     * {@code --rpk KEY.pem}, optionally with {@code --rpk-pub PUB.pem}: this side's raw public key (RFC 7250).
     * The public key is the PUBLIC KEY block of PUB.pem, or else one in KEY.pem itself; the JCA cannot derive
     * it from a PKCS#8 private key, so one of the two must hold it.
     */
    static void rawPublicKey(Args a, DtlsConfig.Builder b) throws UsageException {
        if (!a.has("rpk")) {
            if (a.has("rpk-pub")) {
                throw new UsageException("--rpk-pub goes with --rpk");
            }
            return;
        }
        Path keyFile = Path.of(a.get("rpk"));
        PrivateKey key = Pem.privateKey(keyFile);
        Path pubFile = a.has("rpk-pub") ? Path.of(a.get("rpk-pub")) : keyFile;
        List<PublicKey> pub = Pem.publicKeys(pubFile);
        if (pub.isEmpty()) {
            throw new UsageException(pubFile + ": no PUBLIC KEY block; give --rpk-pub PUB.pem "
                    + "(make it with: openssl pkey -in KEY.pem -pubout -out PUB.pem)");
        }
        try {
            b.rawPublicKey(key, pub.get(0));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--rpk: " + e.getMessage());
        }
    }

    /** {@code --rpk-trust PUB.pem}: pins every PUBLIC KEY block of the file as a trusted peer raw key. */
    static void rawTrust(String file, DtlsConfig.Builder b) throws UsageException {
        List<PublicKey> keys = Pem.publicKeys(Path.of(file));
        if (keys.isEmpty()) {
            throw new UsageException(file + ": no PUBLIC KEY block");
        }
        b.trustedRawPublicKeys(keys.toArray(new PublicKey[0]));
    }

    /** How a peer authenticated, for the connection logs: PSK identity, certificate subject or raw key digest. */
    static String peer(org.dtls4j.handshake.session.HandshakeResult result) {
        if (result.pskIdentity() != null) {
            return "PSK identity " + new String(result.pskIdentity(), StandardCharsets.UTF_8);
        }
        if (result.peerUsedRawPublicKey()) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(result.peerRawPublicKey().getEncoded());
                return "raw " + result.peerRawPublicKey().getAlgorithm() + " key, SPKI SHA-256 " + Hex.encode(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
            }
        }
        return result.peerCertificates().isEmpty() ? "anonymous"
                : result.peerCertificates().get(0).getSubjectX500Principal().getName();
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

    /** {@code --srtp PROFILES} (comma list, RFC or OpenSSL names) and {@code --srtp-keys}, which needs it. */
    /** {@code --cid LENGTH}: the Connection ID length this side asks for. */
    static void connectionId(Args a, DtlsConfig.Builder b) throws UsageException {
        if (!a.has("cid")) {
            return;
        }
        int length;
        try {
            length = Integer.parseInt(a.get("cid"));
        } catch (NumberFormatException e) {
            throw new UsageException("--cid must be a number 0..255");
        }
        if (length < 0 || length > 255) {
            throw new UsageException("--cid must be 0..255");
        }
        b.connectionIdLength(length);
    }

    static void srtp(Args a, DtlsConfig.Builder b) throws UsageException {
        if (a.has("srtp-keys") && !a.has("srtp")) {
            throw new UsageException("--srtp-keys needs --srtp PROFILES");
        }
        if (!a.has("srtp")) {
            return;
        }
        List<SrtpProtectionProfile> out = new ArrayList<>();
        for (String name : a.get("srtp").split(",")) {
            String n = name.trim();
            out.add(SrtpProtectionProfile.byName(n).orElseThrow(() -> new UsageException("unknown SRTP profile '" + n
                    + "' (e.g. SRTP_AES128_CM_HMAC_SHA1_80, SRTP_AEAD_AES_128_GCM)")));
        }
        b.srtpProfiles(out.toArray(new SrtpProtectionProfile[0]));
    }

    /**
     * Prints the use_srtp outcome and, with {@code --srtp-keys}, the RFC 5764 §4.2 keying material (exporter
     * label EXTRACTOR-dtls_srtp, no context, 2 * (key + salt) bytes of the profile) in hex.
     */
    static void printSrtp(Args a, PrintStream log, String prefix, HandshakeResult r, KeyingMaterialExporter exporter) {
        if (!a.has("srtp")) {
            return;
        }
        SrtpProtectionProfile p = r.srtpProfile();
        log.println(prefix + "srtp profile: " + (p == null ? "none" : p.name()));
        if (p != null && a.has("srtp-keys")) {
            log.println(prefix + "srtp keying material: "
                    + Hex.encode(exporter.exportKeyingMaterial(SrtpKeys.EXPORTER_LABEL, null, p.keyingMaterialLength())));
        }
    }

    static String names(List<CipherSuite> suites) {
        return Arrays.toString(suites.stream().map(CipherSuite::name).toArray());
    }
}
