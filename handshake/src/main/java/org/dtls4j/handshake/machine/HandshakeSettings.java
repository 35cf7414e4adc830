package org.dtls4j.handshake.machine;

import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.handshake.ReassemblyLimits;
import org.dtls4j.handshake.RetransmitConfig;

/**
 * What the handshake state machines read of the configuration. {@code org.dtls4j.DtlsConfig} implements
 * it; tests may implement it directly. Values are fixed for the life of a handshake.
 */
public interface HandshakeSettings {
    /** {@return suites in preference order; a server picks the first of its own that the client offered} */
    List<CipherSuite> cipherSuites();

    /** {@return ECDHE groups in preference order} */
    List<NamedGroup> namedGroups();

    /** {@return signature schemes offered and accepted, in preference order} */
    List<SignatureScheme> signatureSchemes();

    /** {@return a client's PSK, or null} */
    PskIdentity pskIdentity();

    /** {@return a server's PSK callback, or null} */
    PskStore pskStore();

    /** {@return this side's key and chain, or null} */
    CertificateIdentity certificateIdentity();

    /**
     * Validates the peer's chain; null means the JDK's default trust store.
     *
     * @return the trust manager, or null
     */
    X509TrustManager trustManager();

    /** {@return a client that skips certificate validation (testing only); a server ignores it} */
    boolean insecureSkipCertificateValidation();

    /** {@return a server's client-certificate policy} */
    ClientAuth clientAuth();

    /**
     * Refuse a peer that does not negotiate RFC 7627's extended master secret.
     *
     * @return whether the extension is required
     */
    boolean requireExtendedMasterSecret();

    /** {@return ALPN protocol names in preference order; empty for none} */
    List<String> applicationProtocols();

    /** {@return a client's server_name, also checked against the server's certificate; null for none} */
    String serverName();

    /** {@return the record_size_limit this side advertises (RFC 8449), or 0 to send none} */
    int recordSizeLimit();

    /** {@return a server's session cache for resumption by session ID, or null to issue no session IDs} */
    SessionCache sessionCache();

    /** {@return the source of randoms, keys and nonces} */
    SecureRandom secureRandom();

    /** {@return the largest datagram this side sends: path MTU minus IP and UDP headers} */
    int maxDatagramSize();

    /** {@return the retransmission timer policy} */
    RetransmitConfig retransmitConfig();

    /** {@return the bounds on handshake reassembly} */
    ReassemblyLimits reassemblyLimits();

    /** {@return the longest certificate chain accepted from a peer, in certificates} */
    default int maxCertificateChainLength() {
        return 10;
    }
}
