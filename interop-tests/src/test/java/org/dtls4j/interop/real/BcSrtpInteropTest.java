package org.dtls4j.interop.real;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.PSKTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.UDPTransport;
import org.bouncycastle.tls.UseSRTPData;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.SrtpKeys;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jClient;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jServer;
import org.dtls4j.testkit.BcPeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * use_srtp and the RFC 5705 exporter against Bouncy Castle ({@link UseSRTPData}, {@link TlsSRTPUtils},
 * {@code TlsContext.exportKeyingMaterial}) over loopback UDP, both directions: BC and dtls4j agree on the
 * profile and MKI, and export the same bytes for EXTRACTOR-dtls_srtp and for a label with a context.
 */
class BcSrtpInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final CipherSuite SUITE = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;
    private static final byte[] IDENTITY = "client-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PSK = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final String OTHER_LABEL = "EXPERIMENTAL dtls4j";
    private static final byte[] CONTEXT = {7, 7, 7};

    /** What BC saw: the use_srtp the peer sent and its exports, once its handshake completed. */
    private static final class BcView {
        volatile UseSRTPData peerSrtp;
        volatile byte[] srtpExport;
        volatile byte[] otherExport;
        volatile byte[] emptyContextExport;

        void export(org.bouncycastle.tls.TlsContext context, int length) {
            srtpExport = context.exportKeyingMaterial(SrtpKeys.EXPORTER_LABEL, null, length);
            otherExport = context.exportKeyingMaterial(OTHER_LABEL, CONTEXT, 40);
            emptyContextExport = context.exportKeyingMaterial(OTHER_LABEL, new byte[0], 40);
        }
    }

    /** A BC PSK client offering {@code offer} in use_srtp. */
    private static final class SrtpClient extends PSKTlsClient {
        private final UseSRTPData offer;
        private final int exportLength;
        final BcView view = new BcView();

        SrtpClient(UseSRTPData offer, int exportLength) {
            super(BcPeers.CRYPTO, IDENTITY, PSK);
            this.offer = offer;
            this.exportLength = exportLength;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {SUITE.code()};
        }

        @Override
        public Hashtable<Integer, byte[]> getClientExtensions() throws IOException {
            Hashtable<Integer, byte[]> ext = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(ext, offer);
            return ext;
        }

        @Override
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            view.peerSrtp = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            view.export(context, exportLength);
        }
    }

    /** A BC PSK server that selects its first profile the client offered and echoes {@code mki}. */
    private static final class SrtpServer extends PSKTlsServer {
        private final int[] preference;
        private final byte[] mki;
        private final int exportLength;
        final BcView view = new BcView();

        SrtpServer(int[] preference, byte[] mki, int exportLength) {
            super(BcPeers.CRYPTO, BcPeers.pskIdentityManager(IDENTITY, PSK));
            this.preference = preference;
            this.mki = mki;
            this.exportLength = exportLength;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {SUITE.code()};
        }

        @Override
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            view.peerSrtp = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        }

        @Override
        public Hashtable<Integer, byte[]> getServerExtensions() throws IOException {
            Hashtable<Integer, byte[]> ext = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
            UseSRTPData offered = view.peerSrtp;
            if (offered != null) {
                for (int p : preference) {
                    if (Arrays.stream(offered.getProtectionProfiles()).anyMatch(o -> o == p)) {
                        TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {p}, mki));
                        break;
                    }
                }
            }
            return ext;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            view.export(context, exportLength);
        }
    }

    private static void assertSameExports(DtlsConnection ours, BcView bc, SrtpProtectionProfile profile) {
        assertArrayEquals(bc.srtpExport,
                ours.exportKeyingMaterial(SrtpKeys.EXPORTER_LABEL, null, profile.keyingMaterialLength()),
                "EXTRACTOR-dtls_srtp, no context");
        assertArrayEquals(bc.otherExport, ours.exportKeyingMaterial(OTHER_LABEL, CONTEXT, 40), "with a context");
        assertArrayEquals(bc.emptyContextExport, ours.exportKeyingMaterial(OTHER_LABEL, new byte[0], 40),
                "with an empty context");
        SrtpKeys keys = SrtpKeys.derive(ours::exportKeyingMaterial, profile);
        assertArrayEquals(Arrays.copyOfRange(bc.srtpExport, profile.masterKeyLength(), 2 * profile.masterKeyLength()),
                keys.serverMasterKey());
    }

    private static DatagramSocket loopbackSocket() throws IOException {
        return new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SrtpProtectionProfile.class)
    void bcClientAgreesWithDtls4jServer(SrtpProtectionProfile profile) throws Exception {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(SUITE).pskStore(id -> Arrays.equals(id, IDENTITY) ? PSK.clone() : null)
                .srtpProfiles(profile).srtpAcceptMki(true).build();
        byte[] mki = {0x42, 0x43};
        SrtpClient bc = new SrtpClient(new UseSRTPData(new int[] {0x0005, profile.code()}, mki),
                profile.keyingMaterialLength());
        try (LoopbackDriver net = new LoopbackDriver(); DatagramSocket socket = loopbackSocket()) {
            Dtls4jServer server = net.dtls4jServer(config);
            socket.connect(server.address());
            UDPTransport transport = new UDPTransport(socket, 1500);
            CompletableFuture<DTLSTransport> handshake = CompletableFuture.supplyAsync(() -> {
                try {
                    return new DTLSClientProtocol().connect(bc, transport);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, BcSrtpInteropTest::daemon);
            net.runUntil(() -> handshake.isDone() && server.connection() != null, WAIT, "handshake");
            handshake.get(1, TimeUnit.SECONDS);
            assertEquals(profile, server.result().srtpProfile());
            assertArrayEquals(mki, server.result().srtpMki(), "the server uses the client's MKI");
            assertArrayEquals(new int[] {profile.code()}, bc.view.peerSrtp.getProtectionProfiles());
            assertArrayEquals(mki, bc.view.peerSrtp.getMki());
            assertSameExports(server.connection(), bc.view, profile);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SrtpProtectionProfile.class)
    void dtls4jClientAgreesWithBcServer(SrtpProtectionProfile profile) throws Exception {
        clientToBcServer(new SrtpProtectionProfile[] {profile}, new int[] {0x0005, profile.code()}, profile);
    }

    @Test
    void dtls4jClientTakesBcServersPreferenceAmongItsOffer() throws Exception {
        clientToBcServer(new SrtpProtectionProfile[] {SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
                        SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM},
                new int[] {SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM.code(),
                        SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80.code()},
                SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM);
    }

    private static void clientToBcServer(SrtpProtectionProfile[] offer,
                                         int[] bcPreference, SrtpProtectionProfile expected) throws Exception {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(SUITE).pskIdentity(IDENTITY, PSK)
                .srtpProfiles(offer).srtpMki(new byte[] {9}).build();
        SrtpServer bc = new SrtpServer(bcPreference, new byte[0], expected.keyingMaterialLength());
        try (LoopbackDriver net = new LoopbackDriver(); DatagramSocket socket = loopbackSocket()) {
            Dtls4jClient client = net.dtls4jClient(config, (InetSocketAddress) socket.getLocalSocketAddress());
            socket.connect(client.address());
            UDPTransport transport = new UDPTransport(socket, 1500);
            CompletableFuture<DTLSTransport> handshake = CompletableFuture.supplyAsync(() -> {
                try {
                    return new DTLSServerProtocol().accept(bc, transport);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, BcSrtpInteropTest::daemon);
            client.start();
            net.runUntil(() -> handshake.isDone() && client.connection.isEstablished(), WAIT, "handshake");
            handshake.get(1, TimeUnit.SECONDS);
            assertEquals(expected, client.result().srtpProfile());
            assertArrayEquals(new byte[0], client.result().srtpMki(), "BC answered with no MKI");
            assertArrayEquals(new byte[] {9}, bc.view.peerSrtp.getMki(), "our MKI reached BC");
            assertSameExports(client.connection, bc.view, expected);
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "bc-srtp-peer");
        t.setDaemon(true);
        t.start();
    }
}
