package org.dtls4j.testkit;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.PSKTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsPSKIdentityManager;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;


/**
 * Bouncy Castle DTLS 1.2 peers configured for interop tests: PSK and certificate servers and clients
 * on BC's own (non-JCA) crypto, so they share no code with dtls4j's JCA-based primitives.
 */
public final class BcPeers {
    /** Client-certificate policy of a BC server. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRED }

    /**
     * Everything a BC peer can be asked to do; unused parts are null. {@code sendWholeChain} makes the peer
     * send its whole chain, root included (the usual is to leave the root out). {@code macThenEncrypt}
     * makes it refuse RFC 7366 encrypt_then_mac (a client does not offer it, a server does not accept it).
     * {@code crypto} is the BC crypto back end ({@link #CRYPTO}, BC's own, when null; the benchmarks also
     * run BC on JCA); {@code groups} the BC named groups offered (BC's defaults when null).
     */
    public record Setup(int[] suites, byte[] pskIdentity, byte[] psk, TestPki.Identity identity,
                 X509Certificate trustedRoot, ClientAuth clientAuth, int resendMillis, boolean sendWholeChain,
                 boolean macThenEncrypt, TlsCrypto crypto, int[] groups) {
        public Setup(int[] suites, byte[] pskIdentity, byte[] psk, TestPki.Identity identity,
                     X509Certificate trustedRoot, ClientAuth clientAuth, int resendMillis, boolean sendWholeChain,
                     boolean macThenEncrypt) {
            this(suites, pskIdentity, psk, identity, trustedRoot, clientAuth, resendMillis, sendWholeChain,
                    macThenEncrypt, null, null);
        }

        public Setup(int[] suites, byte[] pskIdentity, byte[] psk, TestPki.Identity identity,
                     X509Certificate trustedRoot, ClientAuth clientAuth, int resendMillis, boolean sendWholeChain) {
            this(suites, pskIdentity, psk, identity, trustedRoot, clientAuth, resendMillis, sendWholeChain, false);
        }

        public Setup(int[] suites, byte[] pskIdentity, byte[] psk, TestPki.Identity identity,
                     X509Certificate trustedRoot, ClientAuth clientAuth, int resendMillis) {
            this(suites, pskIdentity, psk, identity, trustedRoot, clientAuth, resendMillis, false);
        }

        /** This setup, sending the whole chain including the root. */
        public Setup withWholeChain() {
            return new Setup(suites, pskIdentity, psk, identity, trustedRoot, clientAuth, resendMillis, true,
                    macThenEncrypt, crypto, groups);
        }

        /** This setup, refusing encrypt_then_mac: CBC suites then use MAC-then-encrypt. */
        public Setup withMacThenEncrypt() {
            return new Setup(suites, pskIdentity, psk, identity, trustedRoot, clientAuth, resendMillis, sendWholeChain,
                    true, crypto, groups);
        }

        /** This setup on another BC crypto back end, e.g. BC's JCA one. */
        public Setup withCrypto(TlsCrypto backEnd) {
            return new Setup(suites, pskIdentity, psk, identity, trustedRoot, clientAuth, resendMillis, sendWholeChain,
                    macThenEncrypt, backEnd, groups);
        }

        /** This setup offering only {@code namedGroups} (BC {@code NamedGroup} codes). */
        public Setup withGroups(int... namedGroups) {
            return new Setup(suites, pskIdentity, psk, identity, trustedRoot, clientAuth, resendMillis, sendWholeChain,
                    macThenEncrypt, crypto, namedGroups.clone());
        }

        /** This setup retransmitting its flights after {@code millis} (BC's handshake resend time). */
        public Setup withResendMillis(int millis) {
            return new Setup(suites, pskIdentity, psk, identity, trustedRoot, clientAuth, millis, sendWholeChain,
                    macThenEncrypt, crypto, groups);
        }

        TlsCrypto cryptoOrDefault() {
            return crypto != null ? crypto : CRYPTO;
        }

        List<X509Certificate> sentChain() {
            return sendWholeChain ? identity.chain() : identity.chainWithoutRoot();
        }

        public static Setup psk(int suite, byte[] identity, byte[] key) {
            return new Setup(new int[] {suite}, identity, key, null, null, ClientAuth.NONE, 100);
        }

        public static Setup certificates(int suite, TestPki.Identity identity, X509Certificate trustedRoot,
                                  ClientAuth clientAuth) {
            return new Setup(new int[] {suite}, null, null, identity, trustedRoot, clientAuth, 100);
        }
    }

    public static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());

    /**
     * A Bouncy Castle PSK identity manager that knows one identity and its key and sends no hint: the
     * server side of every BC PSK peer in the tests and benchmarks.
     *
     * @param identity the one PSK identity accepted
     * @param key its key; each lookup returns a copy, because BC wipes what it is given
     * @return the identity manager
     */
    public static TlsPSKIdentityManager pskIdentityManager(byte[] identity, byte[] key) {
        byte[] id = identity.clone();
        byte[] k = key.clone();
        return new TlsPSKIdentityManager() {
            @Override
            public byte[] getHint() {
                return null;
            }

            @Override
            public byte[] getPSK(byte[] offered) {
                return Arrays.equals(offered, id) ? k.clone() : null;
            }
        };
    }

    private BcPeers() {
    }

    public static Certificate bcChain(List<X509Certificate> chain) {
        return bcChain(CRYPTO, chain);
    }

    /** {@return {@code chain} as {@code crypto}'s certificates} */
    public static Certificate bcChain(TlsCrypto crypto, List<X509Certificate> chain) {
        TlsCertificate[] certs = new TlsCertificate[chain.size()];
        try {
            for (int i = 0; i < certs.length; i++) {
                certs[i] = crypto.createCertificate(chain.get(i).getEncoded());
            }
        } catch (IOException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return new Certificate(certs);
    }

    public static AsymmetricKeyParameter bcKey(PrivateKey key) {
        try {
            return PrivateKeyFactory.createKey(key.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SignatureAndHashAlgorithm sigAlg(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
            case "RSA" -> SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa);
            case "Ed25519", "EdDSA" -> SignatureAndHashAlgorithm.ed25519;
            default -> throw new IllegalArgumentException(key.getAlgorithm());
        };
    }

    /** A BC server for the setup: PSK when it has a PSK, certificates otherwise. */
    public static org.bouncycastle.tls.TlsServer server(Setup s, Map<String, TlsSession> sessionCache) {
        return server(s, sessionCache, null);
    }

    /**
     * A BC server that also hands its {@link TlsContext} to {@code onComplete} when its handshake completes,
     * so a test can ask BC what it agreed (resumed session, peer certificate). With a session cache the server
     * issues session IDs; BC's default issues none, which makes every session unresumable.
     */
    public static org.bouncycastle.tls.TlsServer server(Setup s, Map<String, TlsSession> sessionCache,
                                                        Consumer<TlsContext> onComplete) {
        if (s.psk() != null) {
            return new PskServer(s, sessionCache, onComplete);
        }
        return new CertServer(s, sessionCache, onComplete);
    }

    /** A BC client for the setup, resuming {@code resume} when it is not null. */
    public static org.bouncycastle.tls.TlsClient client(Setup s, TlsSession resume) {
        return client(s, resume, null);
    }

    /** A BC client that also hands its {@link TlsContext} to {@code onComplete} when its handshake completes. */
    public static org.bouncycastle.tls.TlsClient client(Setup s, TlsSession resume, Consumer<TlsContext> onComplete) {
        if (s.psk() != null) {
            return new PskClient(s, resume, onComplete);
        }
        return new CertClient(s, resume, onComplete);
    }

    private static byte[] newSessionId(Map<String, TlsSession> cache) {
        if (cache == null) {
            return null;
        }
        byte[] id = new byte[32];
        CRYPTO.getSecureRandom().nextBytes(id);
        return id;
    }

    /**
     * Caches the completed handshake's session. Not from notifySession: BC calls that with the session as
     * the ServerHello creates it, before it holds a master secret, so that object never becomes resumable.
     */
    private static void cacheSession(Map<String, TlsSession> cache, TlsContext context) {
        TlsSession session = context.getResumableSession();
        if (cache != null && session != null) {
            cache.put(org.bouncycastle.util.encoders.Hex.toHexString(session.getSessionID()), session);
        }
    }

    private static void observe(Consumer<TlsContext> onComplete, TlsContext context) {
        if (onComplete != null) {
            onComplete.accept(context);
        }
    }

    private static final class PskServer extends PSKTlsServer {
        private final Setup setup;
        private final Map<String, TlsSession> cache;

        private final Consumer<TlsContext> onComplete;

        PskServer(Setup setup, Map<String, TlsSession> cache, Consumer<TlsContext> onComplete) {
            super(setup.cryptoOrDefault(), pskIdentityManager(setup.pskIdentity(), setup.psk()));
            this.setup = setup;
            this.cache = cache;
            this.onComplete = onComplete;
        }

        @Override
        public byte[] getNewSessionID() {
            return newSessionId(cache);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            cacheSession(cache, context);
            observe(onComplete, context);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected boolean allowEncryptThenMAC() {
            return !setup.macThenEncrypt();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return setup.suites();
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return setup.resendMillis();
        }

        @Override
        public TlsSession getSessionToResume(byte[] sessionId) {
            return cache == null ? null : cache.get(org.bouncycastle.util.encoders.Hex.toHexString(sessionId));
        }

    }

    private static final class CertServer extends DefaultTlsServer {
        private final Setup setup;
        private final Map<String, TlsSession> cache;
        private final Consumer<TlsContext> onComplete;
        volatile Certificate clientCertificate;

        CertServer(Setup setup, Map<String, TlsSession> cache, Consumer<TlsContext> onComplete) {
            super(setup.cryptoOrDefault());
            this.setup = setup;
            this.cache = cache;
            this.onComplete = onComplete;
        }

        @Override
        public byte[] getNewSessionID() {
            return newSessionId(cache);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            cacheSession(cache, context);
            observe(onComplete, context);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected boolean allowEncryptThenMAC() {
            return !setup.macThenEncrypt();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return setup.suites();
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return setup.resendMillis();
        }

        @Override
        public int[] getSupportedGroups() throws IOException {
            return setup.groups() != null ? setup.groups().clone() : super.getSupportedGroups();
        }

        private TlsCredentialedSigner signer() {
            return BcPeers.signer(context, setup);
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() {
            return signer();
        }

        @Override
        protected TlsCredentialedSigner getRSASignerCredentials() {
            return signer();
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            if (setup.clientAuth() == ClientAuth.NONE) {
                return null;
            }
            Vector<SignatureAndHashAlgorithm> algs = new Vector<>();
            algs.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            algs.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
            algs.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                    algs, null);
        }

        @Override
        public void notifyClientCertificate(Certificate certificate) throws IOException {
            if ((certificate == null || certificate.isEmpty()) && setup.clientAuth() == ClientAuth.REQUIRED) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure);
            }
            clientCertificate = certificate;
        }

        @Override
        public TlsSession getSessionToResume(byte[] sessionId) {
            return cache == null ? null : cache.get(org.bouncycastle.util.encoders.Hex.toHexString(sessionId));
        }

    }

    private static final class PskClient extends PSKTlsClient {
        private final Setup setup;
        private final TlsSession resume;

        private final Consumer<TlsContext> onComplete;

        PskClient(Setup setup, TlsSession resume, Consumer<TlsContext> onComplete) {
            super(setup.cryptoOrDefault(), setup.pskIdentity(), setup.psk());
            this.setup = setup;
            this.resume = resume;
            this.onComplete = onComplete;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            observe(onComplete, context);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public java.util.Hashtable getClientExtensions() throws IOException {
            return withoutEncryptThenMac(setup, super.getClientExtensions());
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return setup.suites();
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return setup.resendMillis();
        }

        @Override
        public TlsSession getSessionToResume() {
            return resume;
        }
    }

    private static final class CertClient extends DefaultTlsClient {
        private final Setup setup;
        private final TlsSession resume;
        volatile TlsCertificate[] serverChain;

        private final Consumer<TlsContext> onComplete;

        CertClient(Setup setup, TlsSession resume, Consumer<TlsContext> onComplete) {
            super(setup.cryptoOrDefault());
            this.setup = setup;
            this.resume = resume;
            this.onComplete = onComplete;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            observe(onComplete, context);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public java.util.Hashtable getClientExtensions() throws IOException {
            return withoutEncryptThenMac(setup, super.getClientExtensions());
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return setup.suites();
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return setup.resendMillis();
        }

        @Override
        public TlsSession getSessionToResume() {
            return resume;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected Vector getSupportedGroups(Vector namedGroupRoles) {
            if (setup.groups() == null) {
                return super.getSupportedGroups(namedGroupRoles);
            }
            Vector v = new Vector();
            for (int g : setup.groups()) {
                v.add(g);
            }
            return v;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    TlsCertificate[] chain = serverCertificate.getCertificate().getCertificateList();
                    if (chain.length == 0) {
                        throw new TlsFatalAlert(AlertDescription.bad_certificate);
                    }
                    // The test's trust decision: the last certificate sent must be issued by the root we trust.
                    X509Certificate root = setup.trustedRoot();
                    if (root != null) {
                        byte[] issuerOfLast = chain[chain.length - 1].getEncoded();
                        try {
                            java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
                            X509Certificate last = (X509Certificate) cf.generateCertificate(
                                    new java.io.ByteArrayInputStream(issuerOfLast));
                            last.verify(root.getPublicKey());
                        } catch (java.security.GeneralSecurityException e) {
                            throw new TlsFatalAlert(AlertDescription.bad_certificate, e);
                        }
                    }
                    serverChain = chain;
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) {
                    return setup.identity() == null ? null : BcPeers.signer(context, setup);
                }
            };
        }
    }

    /** The setup's identity as a signer on the peer's own crypto back end: BC's, or BC's JCA one. */
    private static TlsCredentialedSigner signer(TlsContext context, Setup setup) {
        PrivateKey key = setup.identity().key();
        TlsCrypto crypto = context.getCrypto();
        Certificate chain = bcChain(crypto, setup.sentChain());
        TlsCryptoParameters params = new TlsCryptoParameters(context);
        if (crypto instanceof JcaTlsCrypto jca) {
            return new JcaDefaultTlsCredentialedSigner(params, jca, key, chain, sigAlg(key));
        }
        return new BcDefaultTlsCredentialedSigner(params, (BcTlsCrypto) crypto, bcKey(key), chain, sigAlg(key));
    }

    /** A BC client's extensions, less encrypt_then_mac when the setup refuses it. */
    @SuppressWarnings("rawtypes")
    private static java.util.Hashtable withoutEncryptThenMac(Setup setup, java.util.Hashtable extensions) {
        if (setup.macThenEncrypt() && extensions != null) {
            extensions.remove(org.bouncycastle.tls.TlsExtensionsUtils.EXT_encrypt_then_mac);
        }
        return extensions;
    }

    public static Map<String, TlsSession> newSessionCache() {
        return new ConcurrentHashMap<>();
    }
}
