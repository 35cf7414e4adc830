package org.dtls4j;

import java.security.Provider;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.auth.CertificateIdentity;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.auth.PskIdentity;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.handshake.auth.RawPublicKeyIdentity;
import org.dtls4j.handshake.auth.RawPublicKeyVerifier;
import org.dtls4j.handshake.config.ConnectionIdGenerator;
import org.dtls4j.handshake.config.ReassemblyLimits;
import org.dtls4j.handshake.config.RetransmitConfig;
import org.dtls4j.handshake.machine.HandshakeSettings;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.handshake.session.SessionTickets;

/**
 * What the handshake state machines read of a {@link DtlsConfig}: the engine hands them this view, so the
 * public configuration does not implement the engine's {@link HandshakeSettings} interface.
 */
final class ConfigSettings implements HandshakeSettings {
    private final DtlsConfig config;

    ConfigSettings(DtlsConfig config) {
        this.config = config;
    }

    @Override
    public List<CipherSuite> cipherSuites() {
        return config.cipherSuites();
    }

    @Override
    public List<NamedGroup> namedGroups() {
        return config.namedGroups();
    }

    @Override
    public List<SignatureScheme> signatureSchemes() {
        return config.signatureSchemes();
    }

    @Override
    public PskIdentity pskIdentity() {
        return config.pskIdentity();
    }

    @Override
    public PskStore pskStore() {
        return config.pskStore();
    }

    @Override
    public CertificateIdentity certificateIdentity() {
        return config.certificateIdentity();
    }

    @Override
    public X509TrustManager trustManager() {
        return config.trustManager();
    }

    @Override
    public boolean insecureSkipCertificateValidation() {
        return config.insecureSkipCertificateValidation();
    }

    @Override
    public ClientAuth clientAuth() {
        return config.clientAuth();
    }

    @Override
    public boolean requireExtendedMasterSecret() {
        return config.requireExtendedMasterSecret();
    }

    @Override
    public boolean requireEncryptThenMac() {
        return config.requireEncryptThenMac();
    }

    @Override
    public List<String> applicationProtocols() {
        return config.applicationProtocols();
    }

    @Override
    public String serverName() {
        return config.serverName();
    }

    @Override
    public int recordSizeLimit() {
        return config.recordSizeLimit();
    }

    @Override
    public SessionCache sessionCache() {
        return config.sessionCache();
    }

    @Override
    public SessionTickets sessionTickets() {
        return config.sessionTickets();
    }

    @Override
    public boolean offerSessionTickets() {
        return config.offerSessionTickets();
    }

    @Override
    public SecureRandom secureRandom() {
        return config.secureRandom();
    }

    @Override
    public int maxDatagramSize() {
        return config.maxDatagramSize();
    }

    @Override
    public RetransmitConfig retransmitConfig() {
        return config.retransmitConfig();
    }

    @Override
    public ReassemblyLimits reassemblyLimits() {
        return config.reassemblyLimits();
    }

    @Override
    public List<SrtpProtectionProfile> srtpProfiles() {
        return config.srtpProfiles();
    }

    @Override
    public byte[] srtpMki() {
        return config.srtpMki();
    }

    @Override
    public boolean srtpAcceptMki() {
        return config.srtpAcceptMki();
    }

    @Override
    public boolean requireSrtp() {
        return config.requireSrtp();
    }

    @Override
    public RawPublicKeyIdentity rawPublicKeyIdentity() {
        return config.rawPublicKeyIdentity();
    }

    @Override
    public RawPublicKeyVerifier rawPublicKeyVerifier() {
        return config.rawPublicKeyVerifier();
    }

    @Override
    public int maxCertificateChainLength() {
        return config.maxCertificateChainLength();
    }

    @Override
    public Provider keyExchangeProvider() {
        return config.keyExchangeProvider();
    }

    @Override
    public Provider signatureProvider() {
        return config.signatureProvider();
    }

    @Override
    public int connectionIdLength() {
        return config.connectionIdLength();
    }

    @Override
    public ConnectionIdGenerator connectionIdGenerator() {
        return config.connectionIdGenerator();
    }
}
