package org.dtls4j.handshake.machine;

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
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.handshake.session.SessionTickets;

/**
 * What the handshake state machines read of the configuration. The engine adapts
 * {@code org.dtls4j.DtlsConfig} to it; tests may implement it directly. Values are fixed for the life of a handshake.
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
     * Validates the peer's chain. On a client, null means the JDK's default trust store; a server never falls
     * back to it, so a server that asks for client certificates needs one.
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

    /**
     * Refuse CBC suites without RFC 7366's encrypt_then_mac (no MAC-then-encrypt): a server then
     * never selects a CBC suite for a client that does not offer it, and a client fails a handshake
     * where the server selects one without it. encrypt_then_mac is always offered and accepted.
     *
     * @return whether MAC-then-encrypt is refused
     */
    default boolean requireEncryptThenMac() {
        return false;
    }

    /** {@return ALPN protocol names in preference order; empty for none} */
    List<String> applicationProtocols();

    /** {@return a client's server_name, also checked against the server's certificate; null for none} */
    String serverName();

    /** {@return the record_size_limit this side advertises (RFC 8449), or 0 to send none} */
    int recordSizeLimit();

    /** {@return a server's session cache for resumption by session ID, or null to issue no session IDs} */
    SessionCache sessionCache();

    /**
     * A server's RFC 5077 session tickets: it issues a ticket to every client that offers the session_ticket
     * extension and resumes from tickets without per-session state.
     *
     * @return the ticket keys and lifetime, or null (the default) for no tickets
     */
    default SessionTickets sessionTickets() {
        return null;
    }

    /**
     * Whether a client asks for session tickets: it sends an empty session_ticket extension when it has
     * no ticket (RFC 5077 §3.2). A session holding a ticket offers it whatever this says.
     *
     * @return true to ask; false by default
     */
    default boolean offerSessionTickets() {
        return false;
    }

    /** {@return the source of randoms, keys and nonces} */
    SecureRandom secureRandom();

    /** {@return the largest datagram this side sends: path MTU minus IP and UDP headers} */
    int maxDatagramSize();

    /** {@return the retransmission timer policy} */
    RetransmitConfig retransmitConfig();

    /** {@return the bounds on handshake reassembly} */
    ReassemblyLimits reassemblyLimits();

    /**
     * SRTP protection profiles in preference order (RFC 5764 §4.1): a client offers them in use_srtp, a
     * server selects its first one the client offered.
     *
     * @return the profiles; empty (the default) for no use_srtp
     */
    default List<SrtpProtectionProfile> srtpProfiles() {
        return List.of();
    }

    /** {@return the srtp_mki a client offers (RFC 5764 §4.1.1), 0 to 255 bytes; empty (the default) for none} */
    default byte[] srtpMki() {
        return new byte[0];
    }

    /**
     * Whether a server uses the client's MKI and echoes it (RFC 5764 §4.1.1); otherwise (the default)
     * it sends an empty one.
     *
     * @return true to echo the client's MKI
     */
    default boolean srtpAcceptMki() {
        return false;
    }

    /**
     * Whether to fail the handshake (handshake_failure) when use_srtp agrees on no profile, instead of
     * going on without SRTP (RFC 5764 §4.1.3).
     *
     * @return true to require SRTP; false by default
     */
    default boolean requireSrtp() {
        return false;
    }

    /**
     * This side's raw public key (RFC 7250), presented instead of a certificate when the peer agrees.
     *
     * @return the key and its signer, or null for none (the default)
     */
    default RawPublicKeyIdentity rawPublicKeyIdentity() {
        return null;
    }

    /**
     * Decides which peer raw public keys (RFC 7250) are trusted.
     *
     * @return the verifier, or null (the default) to accept no raw keys, so a client does not offer them
     *         and a server does not ask for them
     */
    default RawPublicKeyVerifier rawPublicKeyVerifier() {
        return null;
    }

    /**
     * The length of the Connection ID this side asks to receive (RFC 9146 §3): 0 to 255, where 0 means
     * "send me plain records, but I will put your CID in mine"; -1 (the default) sends and answers no
     * connection_id extension.
     *
     * @return the length, or -1 for no CID negotiation
     */
    default int connectionIdLength() {
        return -1;
    }

    /**
     * Makes the CIDs a server asks for; its length must be {@link #connectionIdLength()}.
     *
     * @return the generator, or null (the default) for random CIDs from {@link #secureRandom()}
     */
    default ConnectionIdGenerator connectionIdGenerator() {
        return null;
    }

    /** {@return the longest certificate chain accepted from a peer, in certificates} */
    default int maxCertificateChainLength() {
        return 10;
    }

    /**
     * The JCA provider for ECDHE (key pair generation, key agreement, key factories). Our own share
     * checks run whatever it is.
     *
     * @return the provider, or null (the default) for the JDK's provider list
     */
    default Provider keyExchangeProvider() {
        return null;
    }

    /**
     * The JCA provider for handshake signatures (ServerKeyExchange, CertificateVerify). Our own encoding
     * checks (strict DER for ECDSA) run whatever it is.
     *
     * @return the provider, or null (the default) for the JDK's provider list
     */
    default Provider signatureProvider() {
        return null;
    }
}
