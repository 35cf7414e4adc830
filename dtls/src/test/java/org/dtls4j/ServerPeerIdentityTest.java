package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.Test;

/**
 * {@link DtlsServer#handshakeResult}: an application that authorises each request by who sent it (an LwM2M
 * server by the device's RFC 7250 raw key or certificate) reads the sender from inside {@link DtlsServer.Handler#onData}
 * and from any other thread, on two workers, for connections live and at rest, and gets null once a peer is gone.
 */
class ServerPeerIdentityTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final CipherSuite ECDSA = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    /** Enough peers that both workers hold some (each lands on either with odds one half). */
    private static final int CLIENTS = 16;
    private static final byte[] UNKNOWN = "unknown".getBytes(StandardCharsets.UTF_8);

    /** Answers each request with the raw key the server says its sender holds, as an authorising server would look it up. */
    private static final class KeyEcho implements DtlsServer.Handler {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onData(DtlsServer server, InetSocketAddress peer, byte[] data) {
            HandshakeResult r = server.handshakeResult(peer);
            server.send(peer, r == null || r.peerRawPublicKey() == null ? UNKNOWN : r.peerRawPublicKey().getEncoded());
        }

        @Override
        public void onClosed(DtlsServer server, InetSocketAddress peer, org.dtls4j.wire.DtlsException cause) {
            closed.countDown();
        }
    }

    @Test
    void everyRequestAndAnyThreadReadTheSendersRawKeyOnTwoWorkersLiveAndAtRest() throws Exception {
        KeyPair serverKeys = TestPki.keyPair(TestPki.KeyType.EC_P256);
        List<KeyPair> clientKeys = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clientKeys.add(TestPki.keyPair(i % 2 == 0 ? TestPki.KeyType.EC_P256 : TestPki.KeyType.ED25519));
        }
        DtlsConfig serverConfig = DtlsConfig.builder().cipherSuites(ECDSA)
                .rawPublicKey(serverKeys.getPrivate(), serverKeys.getPublic()).clientAuth(ClientAuth.REQUIRED)
                .trustedRawPublicKeys(clientKeys.stream().map(KeyPair::getPublic).toArray(PublicKey[]::new)).build();
        KeyEcho handler = new KeyEcho();
        List<DtlsClient> clients = new ArrayList<>();
        try (DtlsServer server = DtlsServer.builder(serverConfig).bind(LOOPBACK).workers(2)
                .restAfter(Duration.ofMillis(50)).handler(handler).start()) {
            for (KeyPair k : clientKeys) {
                clients.add(DtlsClient.connect(DtlsConfig.builder().cipherSuites(ECDSA)
                        .trustedRawPublicKeys(serverKeys.getPublic()).rawPublicKey(k.getPrivate(), k.getPublic())
                        .build(), server.localAddress(), WAIT));
            }
            int[] perWorker = server.connectionsPerWorker();
            assertTrue(perWorker[0] > 0 && perWorker[1] > 0, "peers on both workers: " + Arrays.toString(perWorker));

            // Inside the handler, on the peer's worker: each request is answered with its own sender's key.
            askThroughTheHandler(clients, clientKeys);

            // From this thread, with every connection at rest: each is found on its worker and named where it
            // rests, twice, without a wake.
            awaitAtRest(server, CLIENTS);
            long wakesBefore = server.stats().wakes();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < CLIENTS; i++) {
                    HandshakeResult r = server.handshakeResult(asSeen(clients.get(i)));
                    assertNotNull(r, "client " + i);
                    assertArrayEquals(clientKeys.get(i).getPublic().getEncoded(), r.peerRawPublicKey().getEncoded());
                    assertArrayEquals(clientKeys.get(i).getPublic().getEncoded(),
                            r.session().peerRawPublicKey().getEncoded());
                    assertTrue(r.peerCertificates().isEmpty());
                }
            }
            assertEquals(wakesBefore, server.stats().wakes(), "reading who a resting peer is wakes nothing");
            assertEquals(CLIENTS, server.stats().atRest());
            // Records that wake their connection: the handler still names the sender.
            askThroughTheHandler(clients, clientKeys);

            assertNull(server.handshakeResult(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)),
                    "no connection at that address");
            InetSocketAddress first = asSeen(clients.get(0));
            clients.get(0).close();
            assertTrue(handler.closed.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertNull(server.handshakeResult(first), "a closed peer is nobody");
            assertNotNull(server.handshakeResult(asSeen(clients.get(1))), "the others stay");
        } finally {
            for (DtlsClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void anX509ClientsChainAndAPskClientsIdentityAreReportedFromAnyThread() throws Exception {
        TestPki.Identity serverId = TestConfigs.ecServer();
        TestPki.Identity clientId = TestConfigs.ecClient();
        DtlsConfig serverConfig = TestConfigs.withClientAuth(TestConfigs.certServer(serverId, ECDSA), ClientAuth.REQUIRED)
                .build();
        CountDownLatch connected = new CountDownLatch(1);
        HandshakeResult[] given = new HandshakeResult[1];
        DtlsServer.Handler handler = new DtlsServer.Handler() {
            @Override
            public void onConnected(DtlsServer server, InetSocketAddress peer, HandshakeResult result) {
                given[0] = server.handshakeResult(peer) == result ? result : null;
                connected.countDown();
            }

            @Override
            public void onData(DtlsServer server, InetSocketAddress peer, byte[] data) {
            }
        };
        try (DtlsServer server = DtlsServer.builder(serverConfig).bind(LOOPBACK).workers(2).handler(handler).start();
             DtlsClient client = DtlsClient.connect(TestConfigs.certClient(serverId, ECDSA)
                     .certificate(clientId.key(), clientId.chain()).build(), server.localAddress(), WAIT)) {
            assertTrue(connected.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertNotNull(given[0], "inside onConnected the server already reports the result it hands over");
            HandshakeResult r = server.handshakeResult(asSeen(client));
            assertEquals(clientId.leaf(), r.peerCertificates().get(0));
            assertNull(r.peerRawPublicKey());
        }
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).workers(2).start();
             DtlsClient client = DtlsClient.connect(TestConfigs.pskClient().build(), server.localAddress(), WAIT)) {
            assertArrayEquals(TestConfigs.PSK_IDENTITY, server.handshakeResult(asSeen(client)).pskIdentity());
        }
    }

    private static void askThroughTheHandler(List<DtlsClient> clients, List<KeyPair> keys) throws Exception {
        for (int i = 0; i < clients.size(); i++) {
            clients.get(i).send(new byte[] {(byte) i});
            assertArrayEquals(keys.get(i).getPublic().getEncoded(), clients.get(i).receive(WAIT), "client " + i);
        }
    }

    /** The client's address as the server sees it (the client binds the wildcard address). */
    private static InetSocketAddress asSeen(DtlsClient c) throws java.io.IOException {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), c.localAddress().getPort());
    }

    /** Polls the server's counters until {@code n} connections rest, for at most {@link #WAIT}. */
    private static void awaitAtRest(DtlsServer server, int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (server.stats().atRest() != n) {
            assertTrue(System.nanoTime() - deadline < 0, "still " + server.stats());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
