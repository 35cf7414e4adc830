package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.Test;

/**
 * A server connection restored from a {@link ConnectionSnapshot} in a "new process" reports the same
 * {@link HandshakeResult} as the original — the peer's chain or raw public key, the session ID, SRTP — so an
 * application that authorises each request by who the peer is goes on doing so after a restart.
 */
class SnapshotIdentityTest {
    private static final SecretKey KEY = new SecretKeySpec(new byte[16], "AES");
    private static final CipherSuite ECDSA = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;

    @Test
    void anX509ClientIsRestoredWithItsChain() {
        TestPki.Identity server = TestConfigs.ecServer();
        TestPki.Identity client = TestConfigs.ecClient();
        DtlsConfig serverConfig = TestConfigs.withClientAuth(TestConfigs.certServer(server, ECDSA), ClientAuth.REQUIRED)
                .build();
        DtlsConnection restored = restoreAndTalk(TestConfigs.certClient(server, ECDSA)
                .certificate(client.key(), client.chain()).build(), serverConfig);
        assertEquals(client.leaf().getPublicKey(), restored.handshakeResult().peerPublicKey());
    }

    @Test
    void aRawPublicKeyClientIsRestoredWithItsKey() {
        for (TestPki.KeyType type : new TestPki.KeyType[] {TestPki.KeyType.EC_P256, TestPki.KeyType.ED25519}) {
            KeyPair serverKeys = TestPki.keyPair(type);
            KeyPair clientKeys = TestPki.keyPair(type);
            DtlsConnection restored = restoreAndTalk(
                    DtlsConfig.builder().cipherSuites(ECDSA).trustedRawPublicKeys(serverKeys.getPublic())
                            .rawPublicKey(clientKeys.getPrivate(), clientKeys.getPublic()).build(),
                    DtlsConfig.builder().cipherSuites(ECDSA).rawPublicKey(serverKeys.getPrivate(), serverKeys.getPublic())
                            .clientAuth(ClientAuth.REQUIRED).trustedRawPublicKeys(clientKeys.getPublic()).build());
            assertNotNull(restored.handshakeResult().peerRawPublicKey(), type + ": still known by its key");
            assertArrayEquals(clientKeys.getPublic().getEncoded(), restored.handshakeResult().peerRawPublicKey().getEncoded());
        }
    }

    @Test
    void aPskConnectionIsRestoredWithItsSessionIdSrtpProfileAndMki() {
        byte[] mki = {7, 7, 7};
        DtlsConnection restored = restoreAndTalk(TestConfigs.pskClient().applicationProtocols("coap")
                        .serverName(TestConfigs.HOST).srtpProfiles(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80)
                        .srtpMki(mki).build(),
                TestConfigs.pskServer().applicationProtocols("coap").sessionCache(new SessionCache(8))
                        .srtpProfiles(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80).srtpAcceptMki(true).build());
        HandshakeResult r = restored.handshakeResult();
        assertEquals(32, r.session().sessionId().length);
        assertEquals(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, r.srtpProfile());
        assertArrayEquals(mki, r.srtpMki());
    }

    /**
     * Establishes client and server, snapshots the server's connection, restores it into a new acceptor with the
     * same configuration, checks its result against the original's, its exporter, and that data flows both ways.
     */
    private static DtlsConnection restoreAndTalk(DtlsConfig clientConfig, DtlsConfig serverConfig) {
        Harness h = new Harness(clientConfig, serverConfig).start();
        assertTrue(h.handshake(), "handshake");
        DtlsConnection original = h.server();
        HandshakeResult before = original.handshakeResult();
        byte[] exported = original.exportKeyingMaterial("EXPERIMENTAL-restored", null, 32);
        byte[] snapshot = ConnectionSnapshot.take(original, KEY, 1000, 1);

        Recorder events = new Recorder();
        List<byte[]> out = new ArrayList<>();
        DtlsAcceptor restarted = new DtlsAcceptor(serverConfig, CookieVerifier.create(), (buf, off, len, peer) -> {
            out.add(java.util.Arrays.copyOfRange(buf, off, off + len));
            h.toClient.send(buf, off, len);
        }, events, 16);
        DtlsConnection restored = restarted.restore(snapshot, KEY, h.now);
        WokenIdentityTest.assertSameResult(before, restored.handshakeResult());
        assertArrayEquals(exported, restored.exportKeyingMaterial("EXPERIMENTAL-restored", null, 32));

        h.client.send(utf8("after restart"), h.now);
        byte[] d = h.toServer.poll();
        restarted.receive(d, 0, d.length, Harness.CLIENT_ADDRESS, h.now);
        assertEquals(List.of("after restart"), events.dataAsStrings());
        restored.send(utf8("from the restored server"), h.now);
        assertEquals(1, out.size());
        h.drain();
        List<String> got = h.clientEvents.dataAsStrings();
        assertEquals("from the restored server", got.get(got.size() - 1));
        return restored;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
