package org.dtls4j.interop;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CertificateStatusRequest;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;
import org.dtls4j.testkit.BcPeers;

/**
 * Bouncy Castle DTLS 1.2 peers that authenticate with raw public keys (RFC 7250) on BC's own crypto, the
 * way BC's own raw-key tests configure them: the server_certificate_type / client_certificate_type lists
 * through {@code getAllowed*CertificateTypes}, and a {@link Certificate} of type RawPublicKey holding a
 * {@link BcTlsRawKeyCertificate}. Each peer pins the key it expects and records the SPKI it received.
 */
final class BcRawKeyPeers {
    private static final short[] RAW_ONLY = {CertificateType.RawPublicKey};

    private BcRawKeyPeers() {
    }

    /** The key as BC's raw-key credentials, signing with the key's usual TLS 1.2 algorithm. */
    private static TlsCredentialedSigner signer(TlsContext context, KeyPair key) {
        BcTlsRawKeyCertificate raw = new BcTlsRawKeyCertificate(BcPeers.CRYPTO,
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
        Certificate certificate = new Certificate(CertificateType.RawPublicKey, null,
                new CertificateEntry[] {new CertificateEntry(raw, null)});
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), BcPeers.CRYPTO,
                BcPeers.bcKey(key.getPrivate()), certificate, BcPeers.sigAlg(key.getPrivate()));
    }

    /** Checks a received Certificate: RawPublicKey type and exactly the pinned SPKI; records what came. */
    private static void checkPinned(Certificate received, PublicKey pinned, AtomicReference<byte[]> seen)
            throws IOException {
        if (received == null || received.isEmpty() || received.getCertificateType() != CertificateType.RawPublicKey) {
            throw new TlsFatalAlert(AlertDescription.unsupported_certificate);
        }
        byte[] spki = received.getCertificateAt(0).getEncoded();
        seen.set(spki);
        if (!Arrays.equals(spki, pinned.getEncoded())) {
            throw new TlsFatalAlert(AlertDescription.certificate_unknown);
        }
    }

    /**
     * A server presenting {@code own} as a raw key; with {@code pinnedClient} it requests a client key
     * of type RawPublicKey and accepts only that one (whose SPKI lands in {@code seenClient}).
     */
    static DefaultTlsServer server(int suite, KeyPair own, PublicKey pinnedClient, AtomicReference<byte[]> seenClient,
                                   Consumer<TlsContext> onComplete) {
        return new DefaultTlsServer(BcPeers.CRYPTO) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.DTLSv12.only();
            }

            @Override
            protected int[] getSupportedCipherSuites() {
                return new int[] {suite};
            }

            @Override
            public int getHandshakeResendTimeMillis() {
                return 100;
            }

            @Override
            protected TlsCredentialedSigner getECDSASignerCredentials() {
                return signer(context, own);
            }

            @Override
            protected boolean allowCertificateStatus() {
                return false;
            }

            @Override
            protected short[] getAllowedClientCertificateTypes() {
                return pinnedClient == null ? null : RAW_ONLY;
            }

            @Override
            public CertificateRequest getCertificateRequest() {
                if (pinnedClient == null) {
                    return null;
                }
                Vector<?> algs = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
                return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign}, algs, null);
            }

            @Override
            public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
                checkPinned(clientCertificate, pinnedClient, seenClient);
            }

            @Override
            public void notifyHandshakeComplete() throws IOException {
                super.notifyHandshakeComplete();
                onComplete.accept(context);
            }
        };
    }

    /**
     * A client that asks for the server's raw key and accepts only {@code pinnedServer} (its SPKI lands in
     * {@code seenServer}); with {@code own} it also offers, and presents, a raw client key.
     */
    static DefaultTlsClient client(int suite, PublicKey pinnedServer, AtomicReference<byte[]> seenServer, KeyPair own,
                                   Consumer<TlsContext> onComplete) {
        return new DefaultTlsClient(BcPeers.CRYPTO) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.DTLSv12.only();
            }

            @Override
            protected int[] getSupportedCipherSuites() {
                return new int[] {suite};
            }

            @Override
            public int getHandshakeResendTimeMillis() {
                return 100;
            }

            @Override
            protected short[] getAllowedServerCertificateTypes() {
                return RAW_ONLY;
            }

            @Override
            protected short[] getAllowedClientCertificateTypes() {
                return own == null ? null : RAW_ONLY;
            }

            @Override
            protected CertificateStatusRequest getCertificateStatusRequest() {
                return null;
            }

            @Override
            protected Vector getMultiCertStatusRequest() {
                return null;
            }

            @Override
            public TlsAuthentication getAuthentication() {
                return new TlsAuthentication() {
                    @Override
                    public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                        checkPinned(serverCertificate.getCertificate(), pinnedServer, seenServer);
                    }

                    @Override
                    public TlsCredentials getClientCredentials(CertificateRequest request) {
                        return own == null ? null : signer(context, own);
                    }
                };
            }

            @Override
            public void notifyHandshakeComplete() throws IOException {
                super.notifyHandshakeComplete();
                onComplete.accept(context);
            }
        };
    }
}
