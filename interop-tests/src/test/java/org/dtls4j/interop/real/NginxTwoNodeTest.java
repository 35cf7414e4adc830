package org.dtls4j.interop.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.DtlsServer;
import org.dtls4j.crypto.SharedSecrets;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionTickets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two dtls4j server nodes sharing one {@link SharedSecrets} behind nginx's UDP {@code stream} proxy
 * ({@code hash $remote_addr consistent}), as {@code docs/multi-node.md} describes. A client's node is
 * stopped; the client comes back through nginx, lands on the other node, and resumes by ticket; and a cookie
 * one node made verifies on the other. Skipped, saying why, where nginx or its stream module is missing
 * (.ci/run installs both).
 */
@Tag("nginx")
class NginxTwoNodeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final byte[] IDENTITY = "node-client".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PSK = new byte[16];

    @TempDir
    Path dir;
    private Process nginx;
    private final List<DtlsServer> nodes = new ArrayList<>();
    private final List<AtomicInteger> handshakes = new ArrayList<>();
    private final List<AtomicInteger> resumptions = new ArrayList<>();
    private InetSocketAddress front;

    /** Two nodes on one master key, and nginx in front of them on a free loopback port. */
    @BeforeEach
    void start() throws Exception {
        Path binary = Path.of("/usr/sbin/nginx");
        Path module = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
        Assumptions.assumeTrue(Files.isExecutable(binary) && Files.exists(module),
                "nginx with its stream module is not installed (apt-get install nginx libnginx-mod-stream): "
                        + "skipping the two-node test");
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        for (int i = 0; i < 2; i++) {
            SharedSecrets secrets = SharedSecrets.derived(master, Duration.ofHours(1));
            DtlsConfig config = DtlsConfig.builder().pskStore(id -> Arrays.equals(id, IDENTITY) ? PSK.clone() : null)
                    .sessionTickets(SessionTickets.create(secrets)).build();
            AtomicInteger full = new AtomicInteger();
            AtomicInteger resumed = new AtomicInteger();
            handshakes.add(full);
            resumptions.add(resumed);
            nodes.add(DtlsServer.builder(config).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .sharedSecrets(secrets).handler(new DtlsServer.Handler() {
                        @Override
                        public void onConnected(DtlsServer server, InetSocketAddress peer, HandshakeResult result) {
                            (result.resumed() ? resumed : full).incrementAndGet();
                        }

                        @Override
                        public void onData(DtlsServer server, InetSocketAddress peer, byte[] data) {
                            server.send(peer, data);
                        }
                    }).start());
        }
        int port = OpenSslProcess.freeUdpPort();
        front = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        Path conf = Files.writeString(dir.resolve("nginx.conf"), config(module, port));
        nginx = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", conf.toString(), "-e",
                dir.resolve("error.log").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(dir.resolve("nginx.pid")) && nginx.isAlive() && System.nanoTime() < deadline) {
            nginx.waitFor(50, TimeUnit.MILLISECONDS);
        }
        assertTrue(nginx.isAlive() && Files.exists(dir.resolve("nginx.pid")), this::nginxLog);
    }

    /** The configuration docs/multi-node.md shows, with this test's ports and files. */
    private String config(Path module, int port) {
        return """
                load_module %s;
                daemon off;
                master_process off;
                worker_processes 1;
                pid %s;
                error_log %s info;
                events { worker_connections 256; }
                stream {
                    upstream dtls_nodes {
                        hash $remote_addr consistent;
                        server 127.0.0.1:%d max_fails=1 fail_timeout=30s;
                        server 127.0.0.1:%d max_fails=1 fail_timeout=30s;
                    }
                    server {
                        listen 127.0.0.1:%d udp;
                        proxy_pass dtls_nodes;
                        proxy_timeout 2s;
                    }
                }
                """.formatted(module, dir.resolve("nginx.pid"), dir.resolve("error.log"),
                nodes.get(0).localAddress().getPort(), nodes.get(1).localAddress().getPort(), port);
    }

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(5, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (DtlsServer n : nodes) {
            n.close();
        }
    }

    private String nginxLog() {
        try {
            return "nginx log:\n" + Files.readString(dir.resolve("error.log"));
        } catch (IOException e) {
            return "no nginx log: " + e;
        }
    }

    private static DtlsConfig client() {
        return DtlsConfig.builder().pskIdentity(IDENTITY, PSK).offerSessionTickets(true).build();
    }

    private int total(List<AtomicInteger> counts) {
        return counts.get(0).get() + counts.get(1).get();
    }

    @Test
    void clientsOfAStoppedNodeResumeOnTheOtherByTicket() throws Exception {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (DtlsClient c = DtlsClient.connect(client(), front, TIMEOUT)) {
                c.send(("hello " + i).getBytes(StandardCharsets.US_ASCII));
                assertEquals("hello " + i, new String(c.receive(TIMEOUT), StandardCharsets.US_ASCII));
                assertFalse(c.handshakeResult().resumed());
                assertNotNull(c.handshakeResult().session().ticket(), "each node issues tickets");
                sessions.add(c.handshakeResult().session());
            }
        }
        assertEquals(4, total(handshakes), nginxLog());
        // All clients share 127.0.0.1, so the hash put them on one node: stop it; they come back through nginx.
        int stopped = handshakes.get(0).get() >= handshakes.get(1).get() ? 0 : 1;
        int survivor = 1 - stopped;
        nodes.get(stopped).close();
        int fullBefore = handshakes.get(survivor).get();
        for (Session s : sessions) {
            try (DtlsClient c = DtlsClient.builder(client(), front).resume(s).connect(TIMEOUT)) {
                assertTrue(c.handshakeResult().resumed(), "resumed through nginx; " + nginxLog());
                c.send("again".getBytes(StandardCharsets.US_ASCII));
                assertEquals("again", new String(c.receive(TIMEOUT), StandardCharsets.US_ASCII));
            }
        }
        assertEquals(4, resumptions.get(survivor).get(), "the surviving node resumed every session");
        assertEquals(fullBefore, handshakes.get(survivor).get(), "and ran no full handshake; " + nginxLog());
    }

    /**
     * The cookie binds the client's address and port as the node sees them (RFC 6347 §4.2.1). Behind nginx
     * that is nginx's own upstream socket, which is new for each upstream session, so a cookie can only
     * move between nodes when they see the same source: here the client talks to the nodes directly, from one
     * socket, as it would through a load balancer that keeps source addresses (transparent proxying, DSR).
     */
    @Test
    void aCookieFromOneNodeVerifiesOnTheOther() throws Exception {
        ArrayDeque<byte[]> out = new ArrayDeque<>();
        DtlsConnection engine = DtlsConnection.client(client(), front,
                (buf, off, len) -> out.add(Arrays.copyOfRange(buf, off, off + len)), new DtlsListener() { });
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            engine.start(System.nanoTime());
            byte[] hvr = exchange(ch, nodes.get(0).localAddress(), out.poll(), 3);
            engine.receive(hvr, 0, hvr.length, System.nanoTime());
            byte[] helloWithCookie = out.poll();
            assertNotNull(helloWithCookie);
            nodes.get(0).close();
            byte[] answer = exchange(ch, nodes.get(1).localAddress(), helloWithCookie, 2);
            assertEquals(2, answer[13], "node 1 accepted node 0's cookie: ServerHello, no HelloVerifyRequest");
            assertEquals(0, nodes.get(1).stats().helloVerifyRequests());
        }
    }

    /** Sends {@code datagram} (again, each second) until a handshake record of type {@code want} comes back. */
    private byte[] exchange(DatagramChannel ch, InetSocketAddress to, byte[] datagram, int want) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        ch.configureBlocking(false);
        try (java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
            ch.register(sel, java.nio.channels.SelectionKey.OP_READ);
            while (System.nanoTime() < deadline) {
                ch.send(ByteBuffer.wrap(datagram), to);
                if (sel.select(1000) > 0) {
                    sel.selectedKeys().clear();
                    in.clear();
                    if (ch.receive(in) != null && in.position() > 13 && in.get(0) == 22 && in.get(13) == want) {
                        return Arrays.copyOf(in.array(), in.position());
                    }
                }
            }
        }
        throw new AssertionError("no handshake message " + want + " from " + to);
    }
}
