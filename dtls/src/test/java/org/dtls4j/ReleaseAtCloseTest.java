package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtls4j.crypto.CipherSuite;
import org.junit.jupiter.api.Test;

/**
 * A closed connection leaves nothing behind in {@link DtlsServer}: no timer entry, no slot, no buffers. One
 * client connects and closes 10,000 times over loopback; the retained heap after 10,000 cycles is the
 * retained heap after 2,000, within a margin far below what 8,000 kept connections (~36 KiB each) would
 * hold.
 */
class ReleaseAtCloseTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    /** 8,000 leaked connections would be about 280 MiB; a growth of 16 MiB is noise by comparison. */
    private static final long MARGIN = 16L << 20;
    private static final int LANES = 8;

    @Test
    void connectingAndClosingTenThousandTimesDoesNotGrowTheRetainedHeap() throws Exception {
        // Plain PSK: no ECDHE key generation, so the test spends its time on connections, not on curves.
        DtlsConfig clientConfig = TestConfigs.pskClient(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).build();
        try (DtlsServer server = DtlsServer.builder(TestConfigs.pskServer().build()).bind(LOOPBACK).start()) {
            cycles(server.localAddress(), clientConfig, 2_000);
            assertNothingKept(server, 2_000);
            long after2000 = retainedHeap();
            cycles(server.localAddress(), clientConfig, 8_000);
            assertNothingKept(server, 10_000);
            long after10000 = retainedHeap();
            System.out.printf("release at close: retained heap %d KiB after 2,000 cycles, %d KiB after 10,000%n",
                    after2000 / 1024, after10000 / 1024);
            assertTrue(after10000 - after2000 < MARGIN,
                    "retained heap grew by " + (after10000 - after2000) / 1024 + " KiB from 2,000 to 10,000 cycles");
        }
    }

    private static void assertNothingKept(DtlsServer server, int cycles) {
        DtlsServer.Stats stats = server.stats();
        assertEquals(cycles, stats.handshakesCompleted());
        assertEquals(0, stats.connections());
        assertEquals(0, stats.halfOpen());
        assertEquals(0, server.timerCount(), "no timer entry outlives its connection");
        assertEquals(0, server.slotCount());
    }

    /** One client port, running one connect-close cycle after another. */
    private static final class Lane {
        final DatagramChannel channel;
        DtlsConnection client;
        Recorder events;

        Lane(DatagramChannel channel) {
            this.channel = channel;
        }
    }

    /**
     * {@code n} cycles, eight client ports at a time (so a busy machine's scheduling delays overlap). Each
     * cycle: a full PSK handshake, close_notify, and the server's close_notify back.
     */
    private static void cycles(InetSocketAddress server, DtlsConfig config, int n) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(4096);
        int started = 0;
        int done = 0;
        List<Lane> lanes = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < LANES; i++) {
                DatagramChannel ch = DatagramChannel.open().bind(LOOPBACK);
                ch.configureBlocking(false);
                Lane lane = new Lane(ch);
                ch.register(selector, SelectionKey.OP_READ, lane);
                lanes.add(lane);
            }
            for (Lane lane : lanes) {
                if (started < n) {
                    begin(lane, server, config);
                    started++;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (done < n) {
                assertTrue(System.nanoTime() < deadline, "stuck after " + done + " cycles");
                if (selector.select(200) == 0) {
                    for (Lane lane : lanes) {
                        if (lane.client != null && !lane.client.isClosed()) {
                            lane.client.onTimeout(System.nanoTime());
                        }
                    }
                    continue;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Lane lane = (Lane) key.attachment();
                    in.clear();
                    while (lane.client != null && lane.channel.receive(in) != null) {
                        if (lane.client.isClosed()) {
                            // The server's close_notify: it has forgotten this connection. Next cycle.
                            done++;
                            lane.client = null;
                            if (started < n) {
                                begin(lane, server, config);
                                started++;
                            }
                        } else {
                            lane.client.receive(in.array(), 0, in.position(), System.nanoTime());
                            if (lane.events.isComplete()) {
                                lane.client.close(System.nanoTime());
                            }
                        }
                        in.clear();
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            for (Lane lane : lanes) {
                lane.channel.close();
            }
        }
    }

    private static void begin(Lane lane, InetSocketAddress server, DtlsConfig config) {
        lane.events = new Recorder();
        lane.client = DtlsConnection.client(config, server, (b, o, l) -> {
            try {
                lane.channel.send(ByteBuffer.wrap(b, o, l), server);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, lane.events);
        lane.client.start(System.nanoTime());
    }

    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
