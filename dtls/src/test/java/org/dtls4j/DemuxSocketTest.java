package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.SrtpKeys;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.session.HandshakeResult;
import org.junit.jupiter.api.Test;

/**
 * One server socket shared by DTLS and other protocols (RFC 7983 §7) over loopback: non-DTLS datagrams go
 * to the application's handler, which answers outside DTLS with sendRaw, while DTLS clients handshake on the
 * same port; and per-peer keying material from the server.
 */
class DemuxSocketTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private record Received(InetSocketAddress peer, DatagramKind kind, byte[] data) {
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        socket.receive(p);
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    @Test
    void nonDtlsDatagramsReachTheHandlerAndRawAnswersGoBackWhileDtlsWorksOnTheSamePort() throws Exception {
        BlockingQueue<Received> other = new LinkedBlockingQueue<>();
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK)
                .handler((srv, peer, data) -> srv.send(peer, data))
                .otherDatagrams((srv, peer, kind, data) -> {
                    other.add(new Received(peer, kind, data));
                    if (kind == DatagramKind.STUN) {
                        byte[] answer = data.clone();
                        answer[0] = 0x01; // a STUN success response starts 0x01 0x01
                        srv.sendRaw(peer, answer);
                    }
                }).start();
             DatagramSocket app = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            app.setSoTimeout((int) WAIT.toMillis());
            InetSocketAddress to = server.localAddress();
            byte[] stun = {0x00, 0x01, 0x00, 0x00, 0x21, 0x12, (byte) 0xa4, 0x42};
            byte[] rtp = {(byte) 0x80, 0x60, 0x00, 0x01};
            byte[] unknown = {(byte) 0xff};
            for (byte[] d : new byte[][] {stun, rtp, unknown}) {
                app.send(new DatagramPacket(d, d.length, to));
            }
            byte[] answer = receive(app);
            assertEquals(0x01, answer[0]);
            assertArrayEquals(Arrays.copyOfRange(stun, 1, stun.length), Arrays.copyOfRange(answer, 1, answer.length));

            InetSocketAddress appAddress = (InetSocketAddress) app.getLocalSocketAddress();
            Received first = other.poll(10, TimeUnit.SECONDS);
            assertEquals(DatagramKind.STUN, first.kind());
            assertEquals(appAddress.getPort(), first.peer().getPort());
            assertArrayEquals(stun, first.data());
            Received second = other.poll(10, TimeUnit.SECONDS);
            assertEquals(DatagramKind.RTP_RTCP, second.kind());
            assertArrayEquals(rtp, second.data());
            assertEquals(DatagramKind.UNKNOWN, other.poll(10, TimeUnit.SECONDS).kind());

            try (DtlsClient client = DtlsClient.connect(TestConfigs.pskClient().build(), to, WAIT)) {
                client.send("over dtls".getBytes());
                assertEquals("over dtls", new String(client.receive(WAIT)));
            }
            assertTrue(other.isEmpty(), "no DTLS datagram went to the other handler");
            assertEquals(0, server.stats().cookieDrops(), "nothing non-DTLS reached the cookie verifier");
        }
    }

    @Test
    void withoutAHandlerNonDtlsDatagramsAreDroppedByTheDtlsSide() throws Exception {
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).start();
             DatagramSocket app = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            byte[] stun = {0x00, 0x01, 0x00, 0x00};
            app.send(new DatagramPacket(stun, stun.length, server.localAddress()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (server.stats().cookieDrops() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1, server.stats().cookieDrops());
        }
    }

    @Test
    void sendRawRefusesWhatAPeerWouldReadAsDtls() throws Exception {
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).build()) {
            InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            assertThrows(IllegalArgumentException.class, () -> server.sendRaw(peer, new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> server.sendRaw(peer, new byte[] {22, 0xfe - 256, 0xfd - 256}));
            assertThrows(IllegalArgumentException.class, () -> server.sendRaw(peer, new byte[] {63}));
        }
    }

    @Test
    void serverExportsPerPeerKeyingMaterialEqualToTheClients() throws Exception {
        BlockingQueue<byte[]> atConnect = new LinkedBlockingQueue<>();
        BlockingQueue<InetSocketAddress> peers = new LinkedBlockingQueue<>();
        CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        SrtpProtectionProfile profile = SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
        DtlsConfig serverConfig = TestConfigs.certServer(TestConfigs.ecServer(), suite).srtpProfiles(profile).build();
        DtlsServer.Handler handler = new DtlsServer.Handler() {
            @Override
            public void onConnected(DtlsServer srv, InetSocketAddress peer, HandshakeResult result) {
                SrtpKeys keys = SrtpKeys.derive((l, c, n) -> srv.exportKeyingMaterial(peer, l, c, n),
                        result.srtpProfile());
                atConnect.add(keys.clientMasterKey());
                peers.add(peer);
            }

            @Override
            public void onData(DtlsServer srv, InetSocketAddress peer, byte[] data) {
            }
        };
        try (DtlsServer server = DtlsServer.builder(serverConfig).bind(LOOPBACK).handler(handler).start();
             DtlsClient client = DtlsClient.connect(TestConfigs.certClient(TestConfigs.ecServer(), suite)
                     .srtpProfiles(profile).build(), server.localAddress(), WAIT)) {
            assertEquals(profile, client.handshakeResult().srtpProfile());
            SrtpKeys ours = SrtpKeys.derive(client::exportKeyingMaterial, profile);
            assertArrayEquals(ours.clientMasterKey(), atConnect.poll(10, TimeUnit.SECONDS));
            InetSocketAddress peer = peers.poll(10, TimeUnit.SECONDS);
            assertArrayEquals(client.exportKeyingMaterial("EXPERIMENTAL x", new byte[] {1}, 20),
                    server.exportKeyingMaterial(peer, "EXPERIMENTAL x", new byte[] {1}, 20), "off the server thread");
            assertThrows(IllegalArgumentException.class,
                    () -> server.exportKeyingMaterial(peer, "master secret", null, 20));
            assertThrows(IllegalStateException.class, () -> server.exportKeyingMaterial(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), "EXPERIMENTAL x", null, 20));
        }
    }
}
