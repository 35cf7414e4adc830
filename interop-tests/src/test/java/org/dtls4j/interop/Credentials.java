package org.dtls4j.interop;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.testkit.TestPki;

/** The keys and chains of the interop tests, each made once per run (RSA key generation is slow). */
final class Credentials {
    static final String HOST = "server.dtls4j.test";
    static final byte[] PSK_IDENTITY = "interop-client".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PSK_KEY = {
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88, 0x09, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70};
    static final PskStore PSK_STORE = id -> Arrays.equals(id, PSK_IDENTITY) ? PSK_KEY.clone() : null;

    private static TestPki.Identity ecServer;
    private static TestPki.Identity rsaServer;
    private static TestPki.Identity ecClient;
    private static TestPki.Identity rsaClient;

    private Credentials() {
    }

    /** ECDSA P-256: leaf and root. */
    static synchronized TestPki.Identity ecServer() {
        if (ecServer == null) {
            ecServer = TestPki.chain(TestPki.KeyType.EC_P256, HOST, 2, 0);
        }
        return ecServer;
    }

    /** RSA 2048: leaf and root. */
    static synchronized TestPki.Identity rsaServer() {
        if (rsaServer == null) {
            rsaServer = TestPki.chain(TestPki.KeyType.RSA_2048, HOST, 2, 0);
        }
        return rsaServer;
    }

    static synchronized TestPki.Identity ecClient() {
        if (ecClient == null) {
            ecClient = TestPki.chain(TestPki.KeyType.EC_P256, "ec-client.dtls4j.test", 2, 0);
        }
        return ecClient;
    }

    static synchronized TestPki.Identity rsaClient() {
        if (rsaClient == null) {
            rsaClient = TestPki.chain(TestPki.KeyType.RSA_2048, "rsa-client.dtls4j.test", 2, 0);
        }
        return rsaClient;
    }

    /** The server identity a suite needs: none for PSK, RSA for ECDHE_RSA, ECDSA P-256 otherwise. */
    static TestPki.Identity serverFor(CipherSuite suite) {
        KeyExchange kx = suite.keyExchange();
        if (kx.usesPsk()) {
            return null;
        }
        return kx == KeyExchange.ECDHE_RSA ? rsaServer() : ecServer();
    }

    static int encodedSize(List<X509Certificate> chain) {
        int total = 0;
        for (X509Certificate c : chain) {
            try {
                total += c.getEncoded().length;
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return total;
    }

    static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
