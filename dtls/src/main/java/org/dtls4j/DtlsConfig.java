package org.dtls4j;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.config.ReassemblyLimits;
import org.dtls4j.handshake.config.RetransmitConfig;
import org.dtls4j.handshake.auth.CertificateIdentity;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.config.ConnectionIdGenerator;
import org.dtls4j.handshake.auth.PskIdentity;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.handshake.auth.RawPublicKeyIdentity;
import org.dtls4j.handshake.auth.RawPublicKeyVerifier;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.handshake.session.SessionTickets;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.record.RecordLayerConfig;

/**
 * The immutable configuration of dtls4j connections: what the handshake offers and accepts, the record
 * layer's bounds, and the engine's policies. One instance can serve any number of connections (client or
 * server side); build it with {@link #builder()}.
 *
 * <p>Defaults: the suites of {@link CipherSuite#defaultPreference()} that the configured credentials can
 * serve; groups x25519, secp256r1, secp384r1; {@link SignatureScheme#supported()}; extended master secret
 * required; 1400-byte datagrams; RFC 6347 timers ({@link RetransmitConfig#defaults()}); the record layer's
 * defaults ({@link RecordLayerConfig#defaults()}); a server requires the cookie exchange.
 *
 * <p>Role checks (a server needs a key for its certificate suites and a {@link PskStore} for its PSK suites;
 * a client needs something to offer) run when a connection is created, since one config may serve both.
 * {@link #toString()} names identities and suites but never prints a key.
 */
public final class DtlsConfig {
    /**
     * 1400 bytes: below a 1500-byte Ethernet MTU minus IPv6 (40) and UDP (8) headers with room left for
     * common tunnel overheads (PPPoE, IPsec, WireGuard), so handshake flights are not IP-fragmented.
     */
    public static final int DEFAULT_MAX_DATAGRAM_SIZE = 1400;
    /** The least datagram size accepted: the IPv4 minimum reassembly size minus IP and UDP headers. */
    public static final int MIN_DATAGRAM_SIZE = RetransmitConfig.MIN_DATAGRAM_BUDGET;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM_SIZE = 65_507;
    /**
     * The most certificates {@link Builder#maxCertificateChainLength} may allow. A server's session ticket
     * carries the client's chain and holds at most this many certificates (the handshake module's
     * {@code TicketState.MAX_CHAIN}; a longer chain would get an empty ticket), so a larger bound would
     * silently turn tickets off for the clients it admits; the two limits must stay equal.
     */
    public static final int MAX_CERTIFICATE_CHAIN_LENGTH = 10;

    private static final List<NamedGroup> DEFAULT_GROUPS =
            List.of(NamedGroup.X25519, NamedGroup.SECP256R1, NamedGroup.SECP384R1);

    private final List<CipherSuite> cipherSuites;
    private final List<NamedGroup> namedGroups;
    private final List<SignatureScheme> signatureSchemes;
    private final PskIdentity pskIdentity;
    private final PskStore pskStore;
    private final CertificateIdentity certificateIdentity;
    private final RawPublicKeyIdentity rawPublicKeyIdentity;
    private final RawPublicKeyVerifier rawPublicKeyVerifier;
    private final X509TrustManager trustManager;
    private final boolean insecureSkipCertificateValidation;
    private final ClientAuth clientAuth;
    private final boolean requireExtendedMasterSecret;
    private final boolean requireEncryptThenMac;
    private final List<String> applicationProtocols;
    private final String serverName;
    private final SessionCache sessionCache;
    private final SessionTickets sessionTickets;
    private final boolean offerSessionTickets;
    private final SecureRandom secureRandom;
    private final int maxDatagramSize;
    private final RetransmitConfig retransmitConfig;
    private final ReassemblyLimits reassemblyLimits;
    private final int maxCertificateChainLength;
    private final RecordLayerConfig recordLayerConfig;
    private final boolean requireCookieExchange;
    private final Consumer<String> keyLog;
    private final List<SrtpProtectionProfile> srtpProfiles;
    private final byte[] srtpMki;
    private final boolean srtpAcceptMki;
    private final boolean requireSrtp;
    private final Provider keyExchangeProvider;
    private final Provider signatureProvider;
    /** RFC 9146: the CID length we ask for, -1 for no connection_id extension. */
    private final int connectionIdLength;
    private final ConnectionIdGenerator connectionIdGenerator;
    private final int addressValidationBudget;

    private DtlsConfig(Builder b) {
        this.namedGroups = List.copyOf(b.namedGroups);
        this.signatureSchemes = List.copyOf(b.signatureSchemes);
        this.pskIdentity = b.pskIdentity;
        this.pskStore = b.pskStore;
        this.certificateIdentity = b.certificateIdentity == null || b.signatureProvider == null ? b.certificateIdentity
                : new CertificateIdentity(SignatureScheme.forProvider(b.certificateIdentity.privateKey(), b.signatureProvider),
                        b.certificateIdentity.chain());
        this.rawPublicKeyIdentity = b.rawPublicKeyIdentity;
        this.rawPublicKeyVerifier = b.rawPublicKeyVerifier;
        this.trustManager = b.trustManager;
        this.insecureSkipCertificateValidation = b.insecureSkipCertificateValidation;
        this.clientAuth = b.clientAuth;
        this.requireExtendedMasterSecret = b.requireExtendedMasterSecret;
        this.requireEncryptThenMac = b.requireEncryptThenMac;
        this.applicationProtocols = List.copyOf(b.applicationProtocols);
        this.serverName = b.serverName;
        this.sessionCache = b.sessionCache;
        this.sessionTickets = b.sessionTickets;
        this.offerSessionTickets = b.offerSessionTickets;
        this.secureRandom = b.secureRandom != null ? b.secureRandom : new SecureRandom();
        this.maxDatagramSize = b.maxDatagramSize;
        this.retransmitConfig = b.retransmitConfig;
        this.reassemblyLimits = b.reassemblyLimits;
        this.maxCertificateChainLength = b.maxCertificateChainLength;
        this.recordLayerConfig = b.recordLayer.build();
        this.requireCookieExchange = b.requireCookieExchange;
        this.keyLog = b.keyLog;
        this.srtpProfiles = List.copyOf(b.srtpProfiles);
        this.srtpMki = b.srtpMki.clone();
        this.srtpAcceptMki = b.srtpAcceptMki;
        this.requireSrtp = b.requireSrtp;
        this.keyExchangeProvider = b.keyExchangeProvider;
        this.signatureProvider = b.signatureProvider;
        this.connectionIdLength = b.connectionIdLength;
        this.addressValidationBudget = b.addressValidationBudget;
        this.connectionIdGenerator = b.connectionIdGenerator != null || b.connectionIdLength < 0
                ? b.connectionIdGenerator
                // Two bytes or more: the first names the owning worker, so DtlsServer's workers route a rebound
                // peer's records by CID (any worker may receive them under SO_REUSEPORT).
                : b.connectionIdLength >= 2 ? ConnectionIdGenerator.ownerPrefixed(b.connectionIdLength, secureRandom)
                : ConnectionIdGenerator.random(b.connectionIdLength, secureRandom);
        this.cipherSuites = b.cipherSuites != null ? List.copyOf(b.cipherSuites) : defaultSuites();
    }

    /**
     * {@return a builder with the defaults: default suites, EMS required, cookie exchange required, 1400-byte datagrams}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default preference filtered by the credentials: PSK suites only with a PSK identity or store,
     * certificate suites matching this side's key when it has one, and, without a key, certificate suites
     * only for a side that has no PSK or that configured certificate trust (a client that validates servers).
     */
    private List<CipherSuite> defaultSuites() {
        boolean psk = pskIdentity != null || pskStore != null;
        boolean trust = trustManager != null || insecureSkipCertificateValidation || rawPublicKeyVerifier != null;
        List<CipherSuite> out = new ArrayList<>();
        for (CipherSuite s : CipherSuite.defaultPreference()) {
            KeyExchange kx = s.keyExchange();
            boolean keep;
            if (kx.usesPsk()) {
                keep = psk;
            } else if (certificateIdentity != null || rawPublicKeyIdentity != null) {
                keep = fitsOwnKey(kx);
            } else {
                keep = !psk || trust;
            }
            if (keep) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    static boolean fitsKey(KeyExchange kx, PrivateKey key) {
        String alg = key.getAlgorithm();
        return kx == KeyExchange.ECDHE_RSA ? alg.equals("RSA")
                : kx == KeyExchange.ECDHE_ECDSA && (alg.equals("EC") || alg.equals("Ed25519") || alg.equals("EdDSA"));
    }

    /** True when this side's certificate key or raw public key (RFC 7250) can serve {@code kx}. */
    private boolean fitsOwnKey(KeyExchange kx) {
        return certificateIdentity != null && fitsKey(kx, certificateIdentity.privateKey())
                || rawPublicKeyIdentity != null && fitsKey(kx, rawPublicKeyIdentity.privateKey());
    }

    /**
     * Checks that a server can serve every configured suite: a key for certificate suites and a
     * {@link PskStore} for PSK suites.
     *
     * @throws IllegalStateException when it cannot
     */
    void checkServerRole() {
        for (CipherSuite s : cipherSuites) {
            KeyExchange kx = s.keyExchange();
            if (kx.usesPsk() && pskStore == null) {
                throw new IllegalStateException(s.name() + " needs a PSK store on a server");
            }
            if (kx.usesCertificate() && !fitsOwnKey(kx)) {
                throw new IllegalStateException(s.name() + " needs a matching certificate and key on a server");
            }
        }
    }

    /**
     * Checks that a client has at least one suite to offer (PSK suites need a PSK identity).
     *
     * @throws IllegalStateException when it has none
     */
    void checkClientRole() {
        for (CipherSuite s : cipherSuites) {
            if (!s.keyExchange().usesPsk() || pskIdentity != null) {
                return;
            }
        }
        throw new IllegalStateException("a client needs a PSK identity for the configured suites " + names());
    }

    /** {@return suites in preference order; a server picks the first of its own that the client offered} */
    public List<CipherSuite> cipherSuites() {
        return cipherSuites;
    }

    /** {@return ECDHE groups in preference order} */
    public List<NamedGroup> namedGroups() {
        return namedGroups;
    }

    /** {@return signature schemes offered and accepted, in preference order} */
    public List<SignatureScheme> signatureSchemes() {
        return signatureSchemes;
    }

    /** {@return a client's PSK, or null} */
    public PskIdentity pskIdentity() {
        return pskIdentity;
    }

    /** {@return a server's PSK callback, or null} */
    public PskStore pskStore() {
        return pskStore;
    }

    /** {@return this side's key and chain, or null} */
    public CertificateIdentity certificateIdentity() {
        return certificateIdentity;
    }

    /**
     * This side's raw public key (RFC 7250), presented instead of a certificate when the peer agrees.
     *
     * @return the key and its signer, or null for none (the default)
     */
    public RawPublicKeyIdentity rawPublicKeyIdentity() {
        return rawPublicKeyIdentity;
    }

    /**
     * Decides which peer raw public keys (RFC 7250) are trusted.
     *
     * @return the verifier, or null (the default) to accept no raw keys, so a client does not offer them
     *         and a server does not ask for them
     */
    public RawPublicKeyVerifier rawPublicKeyVerifier() {
        return rawPublicKeyVerifier;
    }

    /**
     * Validates the peer's chain. On a client, null means the JDK's default trust store; a server never falls
     * back to it, so a server that asks for client certificates needs one.
     *
     * @return the trust manager, or null
     */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** {@return a client that skips certificate validation (testing only); a server ignores it} */
    public boolean insecureSkipCertificateValidation() {
        return insecureSkipCertificateValidation;
    }

    /** {@return a server's client-certificate policy} */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /**
     * Refuse a peer that does not negotiate RFC 7627's extended master secret.
     *
     * @return whether the extension is required
     */
    public boolean requireExtendedMasterSecret() {
        return requireExtendedMasterSecret;
    }

    /**
     * Refuse CBC suites without RFC 7366's encrypt_then_mac (no MAC-then-encrypt): a server then
     * never selects a CBC suite for a client that does not offer it, and a client fails a handshake
     * where the server selects one without it. encrypt_then_mac is always offered and accepted.
     *
     * @return whether MAC-then-encrypt is refused
     */
    public boolean requireEncryptThenMac() {
        return requireEncryptThenMac;
    }

    /** {@return ALPN protocol names in preference order; empty for none} */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** {@return a client's server_name, also checked against the server's certificate; null for none} */
    public String serverName() {
        return serverName;
    }

    /** {@return the record_size_limit this side advertises (RFC 8449): set when the record layer accepts less than 2^14 bytes of plaintext, else 0} */
    public int recordSizeLimit() {
        int max = recordLayerConfig.maxPlaintext();
        return max < RecordLayerConfig.MAX_PLAINTEXT ? max : 0;
    }

    /** {@return a server's session cache for resumption by session ID, or null to issue no session IDs} */
    public SessionCache sessionCache() {
        return sessionCache;
    }

    /**
     * A server's RFC 5077 session tickets: it issues a ticket to every client that offers the session_ticket
     * extension and resumes from tickets without per-session state.
     *
     * @return the ticket keys and lifetime, or null (the default) for no tickets
     */
    public SessionTickets sessionTickets() {
        return sessionTickets;
    }

    /**
     * Whether a client asks for session tickets: it sends an empty session_ticket extension when it has
     * no ticket (RFC 5077 §3.2). A session holding a ticket offers it whatever this says.
     *
     * @return true to ask; false by default
     */
    public boolean offerSessionTickets() {
        return offerSessionTickets;
    }

    /** {@return the source of randoms, keys and nonces} */
    public SecureRandom secureRandom() {
        return secureRandom;
    }

    /** {@return the largest datagram this side sends: path MTU minus IP and UDP headers} */
    public int maxDatagramSize() {
        return maxDatagramSize;
    }

    /** {@return the retransmission timer policy} */
    public RetransmitConfig retransmitConfig() {
        return retransmitConfig;
    }

    /** {@return the bounds on handshake reassembly} */
    public ReassemblyLimits reassemblyLimits() {
        return reassemblyLimits;
    }

    /** {@return the longest certificate chain accepted from a peer, in certificates} */
    public int maxCertificateChainLength() {
        return maxCertificateChainLength;
    }

    /**
     * {@return the record layer's bounds: replay window, held records, epoch retention, bad-MAC limit, plaintext limit}
     */
    public RecordLayerConfig recordLayerConfig() {
        return recordLayerConfig;
    }

    /**
     * Whether a server only creates connections for ClientHellos whose cookie verified
     * (RFC 6347 §4.2.1); {@link DtlsConnection#serverWithoutCookie} is refused then.
     *
     * @return true (the default) when the cookie exchange is required
     */
    public boolean requireCookieExchange() {
        return requireCookieExchange;
    }

    /**
     * SRTP protection profiles in preference order (RFC 5764 §4.1): a client offers them in use_srtp, a
     * server selects its first one the client offered.
     *
     * @return the profiles; empty (the default) for no use_srtp
     */
    public List<SrtpProtectionProfile> srtpProfiles() {
        return srtpProfiles;
    }

    /** {@return the srtp_mki a client offers (RFC 5764 §4.1.1), 0 to 255 bytes; empty (the default) for none} */
    public byte[] srtpMki() {
        return srtpMki.clone();
    }

    /**
     * The length of the Connection ID this side asks to receive (RFC 9146 §3): 0 to 255, where 0 means
     * "send me plain records, but I will put your CID in mine"; -1 (the default) sends and answers no
     * connection_id extension.
     *
     * @return the length, or -1 for no CID negotiation
     */
    public int connectionIdLength() {
        return connectionIdLength;
    }

    /** {@return the server's CID maker: the configured one, or random CIDs of the configured length; null without CIDs} */
    public ConnectionIdGenerator connectionIdGenerator() {
        return connectionIdGenerator;
    }

    /**
     * RFC 9146 §6 anti-amplification: after a CID connection's peer moved, the bytes a server may send the
     * new address beyond what it received from it, until the address has shown it receives.
     *
     * @return the budget in bytes (default 0)
     */
    public int addressValidationBudget() {
        return addressValidationBudget;
    }

    /**
     * Whether a server uses the client's MKI and echoes it (RFC 5764 §4.1.1); otherwise (the default)
     * it sends an empty one.
     *
     * @return true to echo the client's MKI
     */
    public boolean srtpAcceptMki() {
        return srtpAcceptMki;
    }

    /**
     * Whether to fail the handshake (handshake_failure) when use_srtp agrees on no profile, instead of
     * going on without SRTP (RFC 5764 §4.1.3).
     *
     * @return true to require SRTP; false by default
     */
    public boolean requireSrtp() {
        return requireSrtp;
    }

    /**
     * The JCA provider for ECDHE (key pair generation, key agreement, key factories). Our own share
     * checks run whatever it is.
     *
     * @return the provider, or null (the default) for the JDK's provider list
     */
    public Provider keyExchangeProvider() {
        return keyExchangeProvider;
    }

    /**
     * The JCA provider for handshake signatures (ServerKeyExchange, CertificateVerify). Our own encoding
     * checks (strict DER for ECDSA) run whatever it is.
     *
     * @return the provider, or null (the default) for the JDK's provider list
     */
    public Provider signatureProvider() {
        return signatureProvider;
    }

    /** The NSS key log sink, or null when key logging is off. */
    Consumer<String> keyLog() {
        return keyLog;
    }

    private String names() {
        return cipherSuites.stream().map(CipherSuite::name).toList().toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DtlsConfig[suites=").append(names());
        if (pskIdentity != null) {
            sb.append(", psk=").append(pskIdentity);
        }
        if (pskStore != null) {
            sb.append(", pskStore");
        }
        if (certificateIdentity != null) {
            sb.append(", certificate=").append(certificateIdentity);
        }
        if (rawPublicKeyIdentity != null) {
            sb.append(", rawPublicKey=").append(rawPublicKeyIdentity);
        }
        if (rawPublicKeyVerifier != null) {
            sb.append(", rawPublicKeyVerifier=").append(rawPublicKeyVerifier);
        }
        sb.append(", clientAuth=").append(clientAuth);
        if (insecureSkipCertificateValidation) {
            sb.append(", INSECURE: certificates not validated");
        }
        if (serverName != null) {
            sb.append(", serverName=").append(serverName);
        }
        if (!applicationProtocols.isEmpty()) {
            sb.append(", alpn=").append(applicationProtocols);
        }
        if (!srtpProfiles.isEmpty()) {
            sb.append(", srtp=").append(srtpProfiles).append(requireSrtp ? " required" : "");
        }
        sb.append(", ems=").append(requireExtendedMasterSecret ? "required" : "optional")
                .append(", etm=").append(requireEncryptThenMac ? "required" : "preferred")
                .append(", maxDatagramSize=").append(maxDatagramSize)
                .append(", cookie=").append(requireCookieExchange ? "required" : "optional");
        if (keyLog != null) {
            sb.append(", keyLog ON");
        }
        return sb.append(']').toString();
    }

    /** Builds a {@link DtlsConfig}; {@link #build()} validates. */
    public static final class Builder {
        private List<CipherSuite> cipherSuites;
        private List<NamedGroup> namedGroups = DEFAULT_GROUPS;
        private List<SignatureScheme> signatureSchemes = SignatureScheme.supported();
        private PskIdentity pskIdentity;
        private PskStore pskStore;
        private CertificateIdentity certificateIdentity;
        private RawPublicKeyIdentity rawPublicKeyIdentity;
        private RawPublicKeyVerifier rawPublicKeyVerifier;
        private X509TrustManager trustManager;
        private boolean insecureSkipCertificateValidation;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private boolean requireExtendedMasterSecret = true;
        private boolean requireEncryptThenMac;
        private List<String> applicationProtocols = List.of();
        private String serverName;
        private SessionCache sessionCache;
        private SessionTickets sessionTickets;
        private boolean offerSessionTickets;
        private SecureRandom secureRandom;
        private int maxDatagramSize = DEFAULT_MAX_DATAGRAM_SIZE;
        private RetransmitConfig retransmitConfig = RetransmitConfig.defaults();
        private ReassemblyLimits reassemblyLimits = ReassemblyLimits.defaults();
        private int maxCertificateChainLength = MAX_CERTIFICATE_CHAIN_LENGTH;
        private final RecordLayerConfig.Builder recordLayer = RecordLayerConfig.defaults().toBuilder();
        private boolean requireCookieExchange = true;
        private Consumer<String> keyLog;
        private List<SrtpProtectionProfile> srtpProfiles = List.of();
        private byte[] srtpMki = new byte[0];
        private boolean srtpAcceptMki;
        private boolean requireSrtp;
        private Provider keyExchangeProvider;
        private Provider signatureProvider;
        private int connectionIdLength = -1;
        private ConnectionIdGenerator connectionIdGenerator;
        private int addressValidationBudget;

        private Builder() {
        }

        /**
         * Runs ECDHE (x25519, P-256, P-384 key generation and agreement) on {@code provider} instead of the
         * JDK's, e.g. a faster EC implementation; null restores the JDK's. dtls4j's own checks of the
         * peer's share (on the curve, not all-zero) still run. Record ciphers, PRF and digests stay on the JDK.
         *
         * @param provider the JCA provider, or null for the JDK's
         * @return this builder
         */
        public Builder keyExchangeProvider(Provider provider) {
            this.keyExchangeProvider = provider;
            return this;
        }

        /**
         * {@link #keyExchangeProvider(Provider)} by the name of an installed provider ({@link Security#getProvider}).
         *
         * @param providerName the provider's name, not null
         * @return this builder
         * @throws IllegalArgumentException when no installed provider has that name
         */
        public Builder keyExchangeProvider(String providerName) {
            return keyExchangeProvider(installed(providerName));
        }

        /**
         * Signs and verifies ServerKeyExchange and CertificateVerify on {@code provider} instead of the
         * JDK's; null restores the JDK's. The strict-DER check of ECDSA signatures still runs; certificate
         * chain validation stays with the trust manager.
         *
         * @param provider the JCA provider, or null for the JDK's
         * @return this builder
         */
        public Builder signatureProvider(Provider provider) {
            this.signatureProvider = provider;
            return this;
        }

        /**
         * {@link #signatureProvider(Provider)} by the name of an installed provider ({@link Security#getProvider}).
         *
         * @param providerName the provider's name, not null
         * @return this builder
         * @throws IllegalArgumentException when no installed provider has that name
         */
        public Builder signatureProvider(String providerName) {
            return signatureProvider(installed(providerName));
        }

        private static Provider installed(String name) {
            Provider p = Security.getProvider(Objects.requireNonNull(name, "providerName"));
            if (p == null) {
                throw new IllegalArgumentException("no installed JCA provider named " + name);
            }
            return p;
        }

        /**
         * The suites, most preferred first; each must be one dtls4j can negotiate.
         *
         * @param suites the suites; a PSK suite needs PSK credentials, a certificate suite a certificate (server)
         * @return this builder
         */
        public Builder cipherSuites(CipherSuite... suites) {
            return cipherSuites(Arrays.asList(suites));
        }

        /**
         * The suites, most preferred first, as a list (copied).
         *
         * @param suites the suites, not null
         * @return this builder
         */
        public Builder cipherSuites(List<CipherSuite> suites) {
            this.cipherSuites = List.copyOf(suites);
            return this;
        }

        /**
         * ECDHE groups, most preferred first; each must be one dtls4j supports (checked by {@link #build()}).
         *
         * @param groups the groups, at least one
         * @return this builder
         */
        public Builder namedGroups(NamedGroup... groups) {
            this.namedGroups = List.of(groups);
            return this;
        }

        /**
         * Signature schemes offered and accepted, most preferred first.
         *
         * @param schemes the schemes, at least one (checked by {@link #build()})
         * @return this builder
         */
        public Builder signatureSchemes(SignatureScheme... schemes) {
            this.signatureSchemes = List.of(schemes);
            return this;
        }

        /**
         * A client's PSK identity and key (RFC 4279); the builder keeps its own copies.
         *
         * @param identity the identity the client names, 1 to 65535 bytes
         * @param key the pre-shared key, 1 to 65535 bytes
         * @return this builder
         * @throws IllegalArgumentException when either is empty or longer than 65535 bytes
         */
        public Builder pskIdentity(byte[] identity, byte[] key) {
            this.pskIdentity = new PskIdentity(identity, key);
            return this;
        }

        /**
         * A server's identity-to-key callback, asked for the key of each identity a client names.
         *
         * @param store the store, not null
         * @return this builder
         */
        public Builder pskStore(PskStore store) {
            this.pskStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * This side's private key and certificate chain, leaf first.
         *
         * @param key the private key of the leaf certificate
         * @param chain the chain, leaf first, at least the leaf
         * @return this builder
         */
        public Builder certificate(PrivateKey key, List<X509Certificate> chain) {
            this.certificateIdentity = new CertificateIdentity(key, chain);
            return this;
        }

        /**
         * This side's private key and certificate chain, leaf first.
         *
         * @param key the private key of the leaf certificate
         * @param chain the chain, leaf first, at least the leaf
         * @return this builder
         */
        public Builder certificate(PrivateKey key, X509Certificate... chain) {
            return certificate(key, List.of(chain));
        }

        /**
         * This side's raw public key (RFC 7250): presented as a bare SubjectPublicKeyInfo when the peer
         * agrees to the type, with {@code privateKey} signing as a certificate's key would. May be combined
         * with {@link #certificate} for peers that only know X.509.
         *
         * @param privateKey the signing key: EC, Ed25519 or RSA
         * @param publicKey the matching public key
         * @return this builder
         * @throws IllegalArgumentException when the keys do not form a pair or cannot sign TLS 1.2 handshakes
         */
        public Builder rawPublicKey(PrivateKey privateKey, PublicKey publicKey) {
            this.rawPublicKeyIdentity = new RawPublicKeyIdentity(privateKey, publicKey);
            return this;
        }

        /**
         * Accepts peers that authenticate with a raw public key (RFC 7250) when {@code verifier} trusts it:
         * a client then asks servers for raw keys, a server that requests client certificates accepts them.
         *
         * @param verifier decides which keys are trusted, not null
         * @return this builder
         */
        public Builder rawPublicKeyVerifier(RawPublicKeyVerifier verifier) {
            this.rawPublicKeyVerifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * Trusts exactly these peer raw public keys, pinned by their SubjectPublicKeyInfo
         * ({@link RawPublicKeyVerifier#pinned}).
         *
         * @param keys the trusted keys
         * @return this builder
         */
        public Builder trustedRawPublicKeys(PublicKey... keys) {
            return rawPublicKeyVerifier(RawPublicKeyVerifier.pinned(keys));
        }

        /**
         * Validates the peer's chain. Without one, a client checks servers against the JDK's default trust
         * store; a server that requests client certificates must have one (or {@link #trustedCertificates}).
         *
         * @param tm the trust manager, not null
         * @return this builder
         */
        public Builder trustManager(X509TrustManager tm) {
            this.trustManager = Objects.requireNonNull(tm, "trust manager");
            return this;
        }

        /**
         * Trusts exactly these anchors, through a PKIX trust manager built from them.
         *
         * @param anchors the trust anchors, at least one
         * @return this builder
         * @throws IllegalArgumentException when no anchor is given
         * @throws IllegalStateException when the JDK cannot build a PKIX trust manager
         */
        public Builder trustedCertificates(X509Certificate... anchors) {
            if (anchors.length == 0) {
                throw new IllegalArgumentException("no trust anchors");
            }
            try {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                for (int i = 0; i < anchors.length; i++) {
                    ks.setCertificateEntry("anchor-" + i, anchors[i]);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(ks);
                for (TrustManager tm : tmf.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        return trustManager(x);
                    }
                }
            } catch (GeneralSecurityException | java.io.IOException e) {
                throw new IllegalStateException("cannot build a PKIX trust manager", e);
            }
            throw new IllegalStateException("the PKIX TrustManagerFactory made no X509TrustManager");
        }

        /**
         * Testing only: a client accepts any server certificate. Never use it in production.
         *
         * @param skip true to skip validation; false by default
         * @return this builder
         */
        public Builder insecureSkipCertificateValidation(boolean skip) {
            this.insecureSkipCertificateValidation = skip;
            return this;
        }

        /**
         * A server's client-certificate policy (default {@link ClientAuth#NONE}). Anything else needs
         * {@link #trustManager} or {@link #trustedCertificates}: client certificates are never checked against
         * the JDK's default trust store, whose public CAs would each vouch for any client.
         *
         * @param auth the policy, not null
         * @return this builder
         */
        public Builder clientAuth(ClientAuth auth) {
            this.clientAuth = Objects.requireNonNull(auth, "clientAuth");
            return this;
        }

        /**
         * Refuse peers without RFC 7627 extended master secret (the default: true); without it the master
         * secret is not bound to the handshake, which the triple-handshake attack exploits (RFC 7627 §1).
         *
         * @param require false to accept legacy peers
         * @return this builder
         */
        public Builder requireExtendedMasterSecret(boolean require) {
            this.requireExtendedMasterSecret = require;
            return this;
        }

        /**
         * Refuse CBC suites without RFC 7366 encrypt_then_mac, i.e. never use MAC-then-encrypt (default:
         * false; encrypt_then_mac is offered and accepted either way). A server then picks a CBC suite
         * only for clients that offer the extension; a client fails with handshake_failure when the
         * server picks one without it.
         *
         * @param require true to refuse MAC-then-encrypt
         * @return this builder
         */
        public Builder requireEncryptThenMac(boolean require) {
            this.requireEncryptThenMac = require;
            return this;
        }

        /**
         * ALPN protocols (RFC 7301), most preferred first; none (the default) sends no ALPN.
         *
         * @param protocols the protocol names, e.g. {@code "coap"}
         * @return this builder
         */
        public Builder applicationProtocols(String... protocols) {
            this.applicationProtocols = List.of(protocols);
            return this;
        }

        /**
         * A client's server_name (RFC 6066 §3), also the host name its server's certificate must name.
         *
         * @param name the host name, or null for none
         * @return this builder
         */
        public Builder serverName(String name) {
            this.serverName = name;
            return this;
        }

        /**
         * A server's bounded cache for resumption by session ID.
         *
         * @param cache the cache, or null (the default) to issue no session IDs
         * @return this builder
         */
        public Builder sessionCache(SessionCache cache) {
            this.sessionCache = cache;
            return this;
        }

        /**
         * A server's RFC 5077 session tickets (null, the default: none). Give every node behind one address
         * tickets over the same {@link org.dtls4j.crypto.SharedSecrets} and any node resumes any ticket.
         *
         * @param tickets the ticket keeper, or null for no tickets
         * @return this builder
         */
        public Builder sessionTickets(SessionTickets tickets) {
            this.sessionTickets = tickets;
            return this;
        }

        /**
         * A client that asks servers for session tickets (default false); the ticket lands in the {@link Session}.
         *
         * @param offer true to send an empty session_ticket extension when the client holds no ticket
         * @return this builder
         */
        public Builder offerSessionTickets(boolean offer) {
            this.offerSessionTickets = offer;
            return this;
        }

        /**
         * The source of randoms, keys, cookies and nonces (default: a new {@link SecureRandom}).
         *
         * @param random the source, not null
         * @return this builder
         */
        public Builder secureRandom(SecureRandom random) {
            this.secureRandom = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The largest datagram sent: path MTU minus IP and UDP headers (default {@value #DEFAULT_MAX_DATAGRAM_SIZE}).
         *
         * @param bytes the size, {@value #MIN_DATAGRAM_SIZE}..{@value #MAX_DATAGRAM_SIZE} (checked by {@link #build()})
         * @return this builder
         */
        public Builder maxDatagramSize(int bytes) {
            this.maxDatagramSize = bytes;
            return this;
        }

        /**
         * Handshake retransmission timers and limits (RFC 6347 §4.2.4).
         *
         * @param config the timers, not null
         * @return this builder
         */
        public Builder retransmit(RetransmitConfig config) {
            this.retransmitConfig = Objects.requireNonNull(config, "retransmit");
            return this;
        }

        /**
         * Bounds on what a peer's handshake fragments can make us hold.
         *
         * @param limits the bounds, not null
         * @return this builder
         */
        public Builder reassemblyLimits(ReassemblyLimits limits) {
            this.reassemblyLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The longest certificate chain accepted from a peer (default and most:
         * {@value DtlsConfig#MAX_CERTIFICATE_CHAIN_LENGTH}), so a peer cannot make us validate an arbitrarily
         * long chain. The upper bound is what a session ticket can carry: a server admitting longer chains
         * could not resume those clients by ticket.
         *
         * @param certificates the bound, 1 to {@value DtlsConfig#MAX_CERTIFICATE_CHAIN_LENGTH} (checked by
         *     {@link #build()})
         * @return this builder
         */
        public Builder maxCertificateChainLength(int certificates) {
            this.maxCertificateChainLength = certificates;
            return this;
        }

        /**
         * Sequence numbers the anti-replay window covers (RFC 6347 §4.1.2.6; default 64).
         *
         * @param size the window, 1 to 65536 (checked by {@link #build()})
         * @return this builder
         */
        public Builder replayWindow(int size) {
            recordLayer.replayWindowSize(size);
            return this;
        }

        /**
         * Early next-epoch records held until their keys exist, by count and bytes: what a peer can make the
         * connection buffer before it can authenticate anything.
         *
         * @param records the most records held, 0 to 1024
         * @param bytes the most bytes held, 0 to 2^24
         * @return this builder
         */
        public Builder heldRecords(int records, int bytes) {
            recordLayer.maxHeldRecords(records).maxHeldBytes(bytes);
            return this;
        }

        /**
         * How long the previous read epoch still opens records after the next one activates, for
         * retransmissions and reordering across the epoch change.
         *
         * @param retention the time, not negative
         * @return this builder
         */
        public Builder previousEpochRetention(Duration retention) {
            recordLayer.previousEpochRetentionNanos(retention.toNanos());
            return this;
        }

        /**
         * Records failing authentication after which the connection fails with bad_record_mac (the record
         * layer otherwise drops them silently, RFC 6347 §4.1.2.7).
         *
         * @param records the limit, 0 for none
         * @return this builder
         */
        public Builder badMacLimit(int records) {
            recordLayer.badMacLimit(records);
            return this;
        }

        /**
         * The largest plaintext accepted per record; below 2^14 it is advertised as record_size_limit (RFC 8449).
         *
         * @param bytes the limit, 64..2^14 (checked by {@link #build()})
         * @return this builder
         */
        public Builder maxPlaintext(int bytes) {
            recordLayer.maxPlaintext(bytes);
            return this;
        }

        /**
         * Whether a server demands the cookie exchange (the default: true). Without it, a spoofed
         * ClientHello makes the server send a whole flight (certificates included) to the victim's address:
         * an amplification attack (RFC 6347 §4.2.1). Turn it off only on trusted paths.
         *
         * @param require false to let {@link DtlsConnection#serverWithoutCookie} be used
         * @return this builder
         */
        public Builder requireCookieExchange(boolean require) {
            this.requireCookieExchange = require;
            return this;
        }

        /**
         * Receives one NSS key log line ({@code CLIENT_RANDOM <hex> <hex>}) per new session, for decrypting
         * captures in Wireshark. Exposes every session key: debugging only.
         *
         * @param sink the line consumer, e.g. a {@link KeyLogWriter}; null (the default) for none
         * @return this builder
         */
        public Builder keyLog(Consumer<String> sink) {
            this.keyLog = sink;
            return this;
        }

        /**
         * SRTP protection profiles for use_srtp (RFC 5764 §4.1), most preferred first: a client offers them,
         * a server selects its first one the client offered. None (the default): no use_srtp. The agreed
         * profile is {@link org.dtls4j.handshake.session.HandshakeResult#srtpProfile()}; the keys come from
         * {@link org.dtls4j.crypto.SrtpKeys#derive} over {@link DtlsConnection#exportKeyingMaterial}.
         *
         * @param profiles the profiles, most preferred first
         * @return this builder
         */
        public Builder srtpProfiles(SrtpProtectionProfile... profiles) {
            this.srtpProfiles = List.of(profiles);
            return this;
        }

        /**
         * The srtp_mki a client offers (RFC 5764 §4.1.1; default none).
         *
         * @param mki the MKI, 0 to 255 bytes, copied
         * @return this builder
         * @throws IllegalArgumentException when it is longer than 255 bytes
         */
        public Builder srtpMki(byte[] mki) {
            if (mki.length > 255) {
                throw new IllegalArgumentException("srtp_mki is at most 255 bytes: " + mki.length);
            }
            this.srtpMki = mki.clone();
            return this;
        }

        /**
         * Negotiates Connection IDs (RFC 9146): this side sends the connection_id extension asking for a CID
         * of {@code length} bytes (a client) or answers a client's with one (a server), so records keep
         * reaching the connection when the peer's address changes. 0 asks for plain records while still
         * writing the peer's CID; -1 (the default) negotiates none. A server's CIDs are random unless
         * {@link #connectionIdGenerator} says otherwise; from 2 bytes on, the first byte is the index of the
         * {@link DtlsServer} worker holding the connection ({@link ConnectionIdGenerator#ownerPrefixed}), so a
         * peer that moved is routed by its CID to its worker. A 1-byte CID is routed by address between workers.
         *
         * @param length the CID length this side asks to receive, 0 to 255, or -1 for no CIDs
         * @return this builder
         * @throws IllegalArgumentException when the length is outside -1..255
         */
        public Builder connectionIdLength(int length) {
            if (length < -1 || length > 255) {
                throw new IllegalArgumentException("connectionIdLength must be -1..255: " + length);
            }
            this.connectionIdLength = length;
            return this;
        }

        /**
         * Makes a server's CIDs (for instance with the owning worker in them) and switches CIDs on with
         * the generator's length.
         *
         * @param generator the CID maker
         * @return this builder
         */
        public Builder connectionIdGenerator(ConnectionIdGenerator generator) {
            this.connectionIdGenerator = Objects.requireNonNull(generator, "generator");
            this.connectionIdLength = generator.length();
            return this;
        }

        /**
         * A server's allowance for a peer that moved under its CID (RFC 9146 §6): until the new address has
         * shown it receives, the server sends it at most what it received from it plus {@code bytes}
         * (default 0: exactly what it received). The excess is dropped and counted, and retransmission recovers.
         *
         * @param bytes the extra bytes, 0 or more
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder addressValidationBudget(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("addressValidationBudget must not be negative: " + bytes);
            }
            this.addressValidationBudget = bytes;
            return this;
        }

        /**
         * Whether a server uses the client's MKI and echoes it; otherwise (the default) it answers with none.
         *
         * @param accept true to echo the client's MKI
         * @return this builder
         */
        public Builder srtpAcceptMki(boolean accept) {
            this.srtpAcceptMki = accept;
            return this;
        }

        /**
         * Fail the handshake with handshake_failure when use_srtp agrees on no profile, rather than go on
         * without SRTP (RFC 5764 §4.1.3; default false). Needs {@link #srtpProfiles}.
         *
         * @param require true to require SRTP
         * @return this builder
         */
        public Builder requireSrtp(boolean require) {
            this.requireSrtp = require;
            return this;
        }

        /**
         * Validates the settings and builds the configuration.
         *
         * @return the configuration, immutable and shareable between connections
         * @throws IllegalArgumentException for an unusable value (an unknown suite, a PSK suite without PSK
         *     credentials, no suite left, an out-of-range size, client certificates requested without trust)
         */
        public DtlsConfig build() {
            if (clientAuth != ClientAuth.NONE && trustManager == null && rawPublicKeyVerifier == null) {
                throw new IllegalArgumentException("clientAuth(" + clientAuth + ") needs trustedCertificates(...), "
                        + "trustManager(...) or trustedRawPublicKeys(...): client certificates are never checked "
                        + "against the JDK's default trust store");
            }
            if (maxDatagramSize < MIN_DATAGRAM_SIZE || maxDatagramSize > MAX_DATAGRAM_SIZE) {
                throw new IllegalArgumentException("maxDatagramSize must be " + MIN_DATAGRAM_SIZE + ".."
                        + MAX_DATAGRAM_SIZE + ": " + maxDatagramSize);
            }
            if (maxCertificateChainLength < 1 || maxCertificateChainLength > MAX_CERTIFICATE_CHAIN_LENGTH) {
                throw new IllegalArgumentException("maxCertificateChainLength must be 1.."
                        + MAX_CERTIFICATE_CHAIN_LENGTH + " (what a session ticket carries): "
                        + maxCertificateChainLength);
            }
            if (namedGroups.isEmpty() || signatureSchemes.isEmpty()) {
                throw new IllegalArgumentException("no named groups or no signature schemes");
            }
            for (NamedGroup g : namedGroups) {
                if (!g.isSupported()) {
                    throw new IllegalArgumentException("unsupported group " + g);
                }
            }
            if (cipherSuites != null) {
                if (cipherSuites.isEmpty()) {
                    throw new IllegalArgumentException("no cipher suites");
                }
                for (CipherSuite s : cipherSuites) {
                    if (!s.isNegotiable()) {
                        throw new IllegalArgumentException(s.name() + " is not a suite dtls4j can negotiate");
                    }
                    if (s.keyExchange().usesPsk() && pskIdentity == null && pskStore == null) {
                        throw new IllegalArgumentException(s.name() + " needs a PSK identity (client) or PSK store (server)");
                    }
                }
            }
            if (connectionIdGenerator != null && connectionIdGenerator.length() != connectionIdLength) {
                throw new IllegalArgumentException("connectionIdLength " + connectionIdLength
                        + " differs from the generator's " + connectionIdGenerator.length());
            }
            if (requireSrtp && srtpProfiles.isEmpty()) {
                throw new IllegalArgumentException("requireSrtp needs srtpProfiles");
            }
            if (srtpProfiles.size() != new java.util.HashSet<>(srtpProfiles).size()) {
                throw new IllegalArgumentException("duplicate SRTP profile in " + srtpProfiles);
            }
            DtlsConfig config = new DtlsConfig(this);
            if (config.cipherSuites.isEmpty()) {
                throw new IllegalArgumentException("no cipher suite fits the configured credentials");
            }
            return config;
        }
    }
}
