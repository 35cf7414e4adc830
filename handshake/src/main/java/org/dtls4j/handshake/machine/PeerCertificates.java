package org.dtls4j.handshake.machine;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * Certificate policy for both sides: parsing a peer's chain (bounded), validating it through the JDK's
 * PKIX trust manager, checking the server's name (RFC 6125 §6.4, DNS names only), and choosing a
 * signature scheme that fits a key and the peer's list.
 */
final class PeerCertificates {
    private PeerCertificates() {
    }

    /** Parses a Certificate message's chain; garbage is bad_certificate, too many is bad_certificate. */
    static List<X509Certificate> parse(List<Bytes> encoded, int maxLength) throws DtlsException {
        if (encoded.size() > maxLength) {
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "chain of " + encoded.size() + " certificates");
        }
        List<X509Certificate> chain = new ArrayList<>(encoded.size());
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Bytes b : encoded) {
                chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.toByteArray())));
            }
        } catch (CertificateException | RuntimeException e) {
            // The JDK's parser throws unchecked exceptions on some malformed DER; peer bytes must not escape as such.
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "unparsable certificate", e);
        }
        return List.copyOf(chain);
    }

    static List<Bytes> encode(List<X509Certificate> chain) {
        List<Bytes> out = new ArrayList<>(chain.size());
        for (X509Certificate c : chain) {
            try {
                out.add(Bytes.of(c.getEncoded()));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException("own certificate cannot be encoded", e);
            }
        }
        return out;
    }

    /** A client's trust: the configured trust manager, else the JDK's default trust store (the web model). */
    private static X509TrustManager serverTrust(HandshakeSettings s) throws DtlsException {
        if (s.trustManager() != null) {
            return s.trustManager();
        }
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new DtlsException(AlertDescription.INTERNAL_ERROR, "no default trust manager", e);
        }
        throw new DtlsException(AlertDescription.INTERNAL_ERROR, "no default X509TrustManager");
    }

    /** Validates a server's chain for {@code authType} (e.g. ECDHE_ECDSA) and the expected host name. */
    static void validateServer(HandshakeSettings s, List<X509Certificate> chain, String authType)
            throws DtlsException {
        if (chain.isEmpty()) {
            throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "server sent no certificate");
        }
        if (s.insecureSkipCertificateValidation()) {
            return;
        }
        try {
            serverTrust(s).checkServerTrusted(chain.toArray(new X509Certificate[0]), authType);
        } catch (CertificateException e) {
            throw certificateFailure(e);
        }
        checkKeyStrength(chain.get(0));
        if (s.serverName() != null && !matchesHost(chain.get(0), s.serverName())) {
            throw new DtlsException(AlertDescription.CERTIFICATE_UNKNOWN,
                    "server certificate does not name " + s.serverName());
        }
    }

    /**
     * Validates a client's chain against the server's configured trust only: the JDK's default trust store
     * holds public web CAs, any of which would then vouch for a client, so there is no fallback to it.
     */
    static void validateClient(HandshakeSettings s, List<X509Certificate> chain) throws DtlsException {
        X509TrustManager trust = s.trustManager();
        if (trust == null) {
            throw new DtlsException(AlertDescription.INTERNAL_ERROR,
                    "client certificate received but no trust is configured for client certificates");
        }
        try {
            trust.checkClientTrusted(chain.toArray(new X509Certificate[0]),
                    chain.get(0).getPublicKey().getAlgorithm());
        } catch (CertificateException e) {
            throw certificateFailure(e);
        }
        checkKeyStrength(chain.get(0));
    }

    /** The smallest RSA modulus accepted from a peer: NIST SP 800-131A retired 1024-bit RSA in 2013. */
    static final int MIN_RSA_BITS = 2048;

    /**
     * RFC 5246 §7.2.2 insufficient_security: the chain is trusted, but its key is too weak to rely on: RSA
     * below {@value #MIN_RSA_BITS} bits, or an EC key on a curve no signature scheme here verifies.
     */
    static void checkKeyStrength(X509Certificate leaf) throws DtlsException {
        checkKeyStrength(leaf.getPublicKey());
    }

    /** The same check on a bare key: a certificate's, or a raw public key (RFC 7250). */
    static void checkKeyStrength(java.security.PublicKey key) throws DtlsException {
        if (key instanceof java.security.interfaces.RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new DtlsException(AlertDescription.INSUFFICIENT_SECURITY,
                    "peer RSA key of " + rsa.getModulus().bitLength() + " bits");
        }
        if (key instanceof java.security.interfaces.ECPublicKey ec
                && ec.getParams().getCurve().getField().getFieldSize() < 256) {
            throw new DtlsException(AlertDescription.INSUFFICIENT_SECURITY,
                    "peer EC key of " + ec.getParams().getCurve().getField().getFieldSize() + " bits");
        }
    }

    private static DtlsException certificateFailure(CertificateException e) {
        AlertDescription alert = e instanceof CertificateExpiredException || e instanceof CertificateNotYetValidException
                ? AlertDescription.CERTIFICATE_EXPIRED
                : AlertDescription.CERTIFICATE_UNKNOWN;
        return new DtlsException(alert, "peer certificate rejected: " + e.getMessage(), e);
    }

    /**
     * RFC 6125 §6.4: the host matches a subjectAltName dNSName exactly (case-insensitively) or through
     * a wildcard in the left-most label only; an IP literal matches an iPAddress entry.
     */
    static boolean matchesHost(X509Certificate leaf, String host) {
        String want = host.toLowerCase(Locale.ROOT);
        if (want.endsWith(".")) {
            want = want.substring(0, want.length() - 1);
        }
        Collection<List<?>> names;
        try {
            names = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        boolean ipLiteral = isIpLiteral(want);
        for (List<?> entry : names) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT);
            if (ipLiteral && type == 7 && value.equals(want)) {
                return true;
            }
            if (!ipLiteral && type == 2 && dnsMatches(value, want)) {
                return true;
            }
        }
        return false;
    }

    /** True for an IPv4 or IPv6 literal, which is never sent as server_name (RFC 6066 §3). */
    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(pattern.substring(1)) && pattern.indexOf('*', 1) < 0;
        }
        return pattern.equals(host);
    }

    /** This side's first scheme that the peer offered and that fits {@code key}; null when none does. */
    static SignatureScheme chooseScheme(List<SignatureScheme> ours, List<Integer> peerOffered, Key key) {
        for (SignatureScheme s : ours) {
            if (s.isSupported() && s.fits(key) && (peerOffered == null || peerOffered.contains(s.code()))) {
                return s;
            }
        }
        return null;
    }

    /** Checks that the peer's chosen scheme is one we offered and that it fits the peer's key. */
    static SignatureScheme acceptScheme(List<SignatureScheme> ours, int code, Key peerKey) throws DtlsException {
        SignatureScheme s = SignatureScheme.of(code);
        if (!ours.contains(s) || !s.isSupported() || !s.fits(peerKey)) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER,
                    "peer signed with " + s + ", which was not offered or does not fit its key");
        }
        return s;
    }
}
