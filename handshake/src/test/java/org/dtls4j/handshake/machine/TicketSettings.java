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
import org.dtls4j.handshake.session.SessionTickets;

/** {@link TestSettings} with session tickets: a server's sealer, a client's wish for tickets, a server_name. */
record TicketSettings(TestSettings base, SessionTickets sessionTickets, boolean offerSessionTickets, String serverName)
        implements HandshakeSettings {
    static TicketSettings server(TestSettings base, SessionTickets tickets) {
        return new TicketSettings(base, tickets, false, null);
    }

    static TicketSettings client(TestSettings base, String serverName) {
        return new TicketSettings(base, null, true, serverName);
    }

    @Override
    public List<CipherSuite> cipherSuites() {
        return base.cipherSuites();
    }

    @Override
    public List<NamedGroup> namedGroups() {
        return base.namedGroups();
    }

    @Override
    public List<SignatureScheme> signatureSchemes() {
        return base.signatureSchemes();
    }

    @Override
    public PskIdentity pskIdentity() {
        return base.pskIdentity();
    }

    @Override
    public PskStore pskStore() {
        return base.pskStore();
    }

    @Override
    public CertificateIdentity certificateIdentity() {
        return base.certificateIdentity();
    }

    @Override
    public X509TrustManager trustManager() {
        return base.trustManager();
    }

    @Override
    public boolean insecureSkipCertificateValidation() {
        return base.insecureSkipCertificateValidation();
    }

    @Override
    public ClientAuth clientAuth() {
        return base.clientAuth();
    }

    @Override
    public boolean requireExtendedMasterSecret() {
        return base.requireExtendedMasterSecret();
    }

    @Override
    public List<String> applicationProtocols() {
        return base.applicationProtocols();
    }

    @Override
    public int recordSizeLimit() {
        return base.recordSizeLimit();
    }

    @Override
    public SessionCache sessionCache() {
        return base.sessionCache();
    }

    @Override
    public SecureRandom secureRandom() {
        return base.secureRandom();
    }

    @Override
    public int maxDatagramSize() {
        return base.maxDatagramSize();
    }

    @Override
    public RetransmitConfig retransmitConfig() {
        return base.retransmitConfig();
    }

    @Override
    public ReassemblyLimits reassemblyLimits() {
        return base.reassemblyLimits();
    }
}
