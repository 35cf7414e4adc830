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
    /** Suites in preference order; a server picks the first of its own that the client offered. */
    List<CipherSuite> cipherSuites();

    /** ECDHE groups in preference order. */
    List<NamedGroup> namedGroups();

    /** Signature schemes offered and accepted, in preference order. */
    List<SignatureScheme> signatureSchemes();

    /** A client's PSK, or null. */
    PskIdentity pskIdentity();

    /** A server's PSK callback, or null. */
    PskStore pskStore();

    /** This side's key and chain, or null. */
    CertificateIdentity certificateIdentity();

    /** Validates the peer's chain; null means the JDK's default trust store. */
    X509TrustManager trustManager();

    /** A client that skips certificate validation (testing only); a server ignores it. */
    boolean insecureSkipCertificateValidation();

    /** A server's client-certificate policy. */
    ClientAuth clientAuth();

    /** Refuse a peer that does not negotiate RFC 7627's extended master secret. */
    boolean requireExtendedMasterSecret();

    /**
     * Refuse CBC suites without RFC 7366's encrypt_then_mac (no MAC-then-encrypt): a server then
     * never selects a CBC suite for a client that does not offer it, and a client fails a handshake
     * where the server selects one without it. encrypt_then_mac is always offered and accepted.
     */
    default boolean requireEncryptThenMac() {
        return false;
    }

    /** ALPN protocol names in preference order; empty for none. */
    List<String> applicationProtocols();

    /** A client's server_name, also checked against the server's certificate; null for none. */
    String serverName();

    /** The record_size_limit this side advertises (RFC 8449), or 0 to send none. */
    int recordSizeLimit();

    /** A server's session cache for resumption by session ID, or null to issue no session IDs. */
    SessionCache sessionCache();

    SecureRandom secureRandom();

    /** The largest datagram this side sends: path MTU minus IP and UDP headers. */
    int maxDatagramSize();

    RetransmitConfig retransmitConfig();

    ReassemblyLimits reassemblyLimits();

    /** The longest certificate chain accepted from a peer, in certificates. */
    default int maxCertificateChainLength() {
        return 10;
    }
}
