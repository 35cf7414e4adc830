package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Hashtable;
import java.util.function.Consumer;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.PSKTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.dtls4j.DtlsConnection;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.AgreedConnectionId;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.testkit.BcPeers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RFC 9146 Connection IDs against Bouncy Castle 1.79 in both directions, over the 30%-loss network: both
 * sides agree on each other's CID, the Finished and every later record are tls12_cid records (BC opens
 * ours and we open BC's, so the §5 additional data agree), and a NAT rebinding of the BC client in the
 * middle of its pings moves our server's connection without a new handshake. AES-GCM and ChaCha20-Poly1305
 * (AEAD additional data, RFC 9146 §5), AES-CBC with encrypt_then_mac (§5.2) and MAC-then-encrypt (§5.1).
 */
class BcConnectionIdInteropTest {
    private static final byte[] BC_CID = {(byte) 0xb0, 0x0c, 0x1d, 0x01, 0x02, 0x03};
    private static final int PINGS = 10;
    private static final int MAX_BODY = 600;

    enum Suite {
        GCM(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256),
        CHACHA(CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256),
        CBC(CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256),
        /** CBC with MAC-then-encrypt: RFC 9146 §5.1's MAC input, not §5.2's. */
        CBC_MTE(CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256);

        final CipherSuite suite;

        Suite(CipherSuite suite) {
            this.suite = suite;
        }

        boolean macThenEncrypt() {
            return this == CBC_MTE;
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void dtls4jClientAgainstBouncyCastleServer(Suite s) throws Exception {
        Scenario scenario = Scenario.of(s.suite, 0x9_0000L + s.suite.code() + s.ordinal());
        try (Dtls4jClientRun run = Dtls4jClientRun.against(scenario,
                scenario.dtls4jClient().connectionIdLength(5).build(), hook -> new CidPskServer(scenario, s.macThenEncrypt(), hook))) {
            HandshakeResult result = run.handshake();
            assertAgreed(result.connectionId(), 5, run.bc.get().getSecurityParametersConnection(), run.why());
            assertEquals(s.suite.isCbc() && !s.macThenEncrypt(), result.session().encryptThenMac(), run.why());
            run.pingPong(PINGS, MAX_BODY);
            run.closeCleanly();
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void bouncyCastleClientRebindsMidExchangeAgainstDtls4jServer(Suite s) throws Exception {
        Scenario scenario = Scenario.of(s.suite, 0xa_0000L + s.suite.code() + s.ordinal());
        InetSocketAddress rebound = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_777);
        try (BcClientRun run = BcClientRun.against(scenario, scenario.dtls4jServer(null).connectionIdLength(8).build(),
                hook -> new CidPskClient(scenario, s.macThenEncrypt(), hook), 50_611)) {
            HandshakeResult result = run.handshake();
            assertAgreed(result.connectionId(), 8, run.bc.get().getSecurityParametersConnection(), run.why());
            assertEquals(s.suite.isCbc() && !s.macThenEncrypt(), result.session().encryptThenMac(), run.why());
            DtlsConnection server = run.serverConnection();
            run.rebindAfter(PINGS / 2, rebound);
            run.pingPong(PINGS, MAX_BODY);
            assertEquals(rebound, server.peer(), run.why());
            assertSame(server, run.acceptor.connection(rebound), run.why());
            assertEquals(1, run.acceptor.addressChanges(), run.why());
            run.closeCleanly();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Suite.class, names = "GCM")
    void bouncyCastleClientWithoutCidConnectsToADtls4jServerThatWantsOne(Suite s) throws Exception {
        Scenario scenario = Scenario.of(s.suite, 0xb_0000L + s.suite.code());
        try (BcClientRun run = BcClientRun.against(scenario, scenario.dtls4jServer(null).connectionIdLength(8).build(),
                hook -> BcPeers.client(scenario.bcClient(), null, hook), 50_621)) {
            HandshakeResult result = run.handshake();
            assertNull(result.connectionId(), run.why());
            assertNull(run.bc.get().getSecurityParametersConnection().getConnectionIDPeer(), run.why());
            run.pingPong(4, MAX_BODY);
            run.closeCleanly();
        }
    }

    /** Our read CID is BC's write CID and the other way round; ours has {@code ourLength} bytes. */
    private static void assertAgreed(AgreedConnectionId ours, int ourLength, SecurityParameters bc, String why) {
        assertNotNull(ours, why);
        assertEquals(ourLength, ours.read().length, why);
        assertArrayEquals(ours.read(), bc.getConnectionIDLocal(), "BC writes our CID; " + why);
        assertArrayEquals(ours.write(), bc.getConnectionIDPeer(), "we write BC's CID; " + why);
        assertArrayEquals(BC_CID, ours.write(), why);
    }

    /** A BC PSK server that gives every client {@link #BC_CID} when the client offers connection_id. */
    private static final class CidPskServer extends PSKTlsServer {
        private final Scenario scenario;
        private final Consumer<TlsContext> onComplete;

        private final boolean macThenEncrypt;

        CidPskServer(Scenario scenario, boolean macThenEncrypt, Consumer<TlsContext> onComplete) {
            super(BcPeers.CRYPTO, BcPeers.pskIdentityManager(Credentials.PSK_IDENTITY, Credentials.PSK_KEY));
            this.scenario = scenario;
            this.macThenEncrypt = macThenEncrypt;
            this.onComplete = onComplete;
        }

        @Override
        protected boolean allowEncryptThenMAC() {
            return !macThenEncrypt;
        }

        @Override
        protected byte[] getNewConnectionID() {
            return BC_CID.clone();
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            onComplete.accept(context);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {scenario.suite().code()};
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return 100;
        }
    }

    /** A BC PSK client that offers connection_id asking for {@link #BC_CID}. */
    private static final class CidPskClient extends PSKTlsClient {
        private final Scenario scenario;
        private final Consumer<TlsContext> onComplete;

        private final boolean macThenEncrypt;

        CidPskClient(Scenario scenario, boolean macThenEncrypt, Consumer<TlsContext> onComplete) {
            super(BcPeers.CRYPTO, Credentials.PSK_IDENTITY, Credentials.PSK_KEY);
            this.scenario = scenario;
            this.macThenEncrypt = macThenEncrypt;
            this.onComplete = onComplete;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable ext = super.getClientExtensions();
            if (macThenEncrypt) {
                ext.remove(ExtensionType.encrypt_then_mac);
            }
            TlsExtensionsUtils.addConnectionIDExtension(ext, BC_CID.clone());
            return ext;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            onComplete.accept(context);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {scenario.suite().code()};
        }

        @Override
        public int getHandshakeResendTimeMillis() {
            return 100;
        }
    }
}
