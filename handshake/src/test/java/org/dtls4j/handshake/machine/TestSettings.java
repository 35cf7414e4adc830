package org.dtls4j.handshake.machine;

import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.handshake.auth.CertificateIdentity;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.auth.PskIdentity;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.handshake.config.ReassemblyLimits;
import org.dtls4j.handshake.config.RetransmitConfig;
import org.dtls4j.handshake.session.SessionCache;

/** Handshake settings for state-machine tests, built field by field. */
record TestSettings(List<CipherSuite> cipherSuites, PskIdentity pskIdentity, PskStore pskStore,
                    CertificateIdentity certificateIdentity, X509TrustManager trustManager, boolean insecure,
                    ClientAuth clientAuth, SessionCache sessionCache, String serverName, boolean requireEms)
        implements HandshakeSettings {
    static final SecureRandom RANDOM = new SecureRandom();

    /** Settings that require extended master secret, as {@code DtlsConfig} does by default. */
    TestSettings(List<CipherSuite> cipherSuites, PskIdentity pskIdentity, PskStore pskStore,
                 CertificateIdentity certificateIdentity, X509TrustManager trustManager, boolean insecure,
                 ClientAuth clientAuth, SessionCache sessionCache, String serverName) {
        this(cipherSuites, pskIdentity, pskStore, certificateIdentity, trustManager, insecure, clientAuth,
                sessionCache, serverName, true);
    }

    static TestSettings psk(CipherSuite suite, byte[] identity, byte[] key, boolean client) {
        return new TestSettings(List.of(suite), client ? new PskIdentity(identity, key) : null,
                client ? null : id -> java.util.Arrays.equals(id, identity) ? key.clone() : null,
                null, null, false, ClientAuth.NONE, null, null);
    }

    TestSettings withSessionCache(SessionCache cache) {
        return new TestSettings(cipherSuites, pskIdentity, pskStore, certificateIdentity, trustManager, insecure,
                clientAuth, cache, serverName, requireEms);
    }

    TestSettings withServerName(String name) {
        return new TestSettings(cipherSuites, pskIdentity, pskStore, certificateIdentity, trustManager, insecure,
                clientAuth, sessionCache, name, requireEms);
    }

    /** Accepts legacy peers without extended master secret (RFC 7627 §5.2 allows it; the default refuses). */
    TestSettings withLegacyMasterSecret() {
        return new TestSettings(cipherSuites, pskIdentity, pskStore, certificateIdentity, trustManager, insecure,
                clientAuth, sessionCache, serverName, false);
    }

    @Override
    public List<NamedGroup> namedGroups() {
        return List.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1);
    }

    @Override
    public List<SignatureScheme> signatureSchemes() {
        return SignatureScheme.supported();
    }

    @Override
    public boolean insecureSkipCertificateValidation() {
        return insecure;
    }

    @Override
    public boolean requireExtendedMasterSecret() {
        return requireEms;
    }

    @Override
    public List<String> applicationProtocols() {
        return List.of();
    }

    @Override
    public int recordSizeLimit() {
        return 0;
    }

    @Override
    public SecureRandom secureRandom() {
        return RANDOM;
    }

    @Override
    public int maxDatagramSize() {
        return 1400;
    }

    @Override
    public RetransmitConfig retransmitConfig() {
        return RetransmitConfig.defaults();
    }

    @Override
    public ReassemblyLimits reassemblyLimits() {
        return ReassemblyLimits.defaults();
    }
}
