package org.dtls4j;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 7: after the handshake, the client's own reader thread serves the socket, so what the
 * server sends is taken while the application is not inside {@link DtlsClient#receive}.
 */
class DtlsClientReaderTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void dataAndTheServersCloseNotifyAreTakenWithoutACallToReceive() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        AtomicReference<InetSocketAddress> peer = new AtomicReference<>();
        DtlsServer.Handler handler = new DtlsServer.Handler() {
            @Override
            public void onConnected(DtlsServer srv, InetSocketAddress p, HandshakeResult r) {
                peer.set(p);
                connected.countDown();
            }

            @Override
            public void onData(DtlsServer srv, InetSocketAddress p, byte[] data) {
            }
        };
        CountDownLatch data = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        DtlsListener observer = new DtlsListener() {
            @Override
            public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
                data.countDown();
            }

            @Override
            public void onClosed(DtlsConnection c, DtlsException cause) {
                closed.countDown();
            }
        };
        DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).handler(handler).start();
        try (DtlsClient client = DtlsClient.builder(TestConfigs.pskClient().build(), server.localAddress())
                .observer(observer).connect(WAIT)) {
            assertTrue(connected.await(10, TimeUnit.SECONDS));
            assertTrue(server.send(peer.get(), "push".getBytes(UTF_8)));
            assertTrue(data.await(10, TimeUnit.SECONDS), "the reader took the record while nobody called receive");
            server.close();
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the reader took the close_notify");
            assertTrue(client.isClosed());
            assertEquals("push", new String(client.receive(WAIT), UTF_8), "queued data is still delivered");
            assertNull(client.receive(Duration.ofMillis(10)), "then the end");
        } finally {
            server.close();
        }
    }
}
