package org.dtls4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.DtlsServer;
import org.dtls4j.crypto.CipherSuite;

/**
 * {@link DtlsServer} on 1, 2 and N worker threads next to {@link PlainEchoServer} on the same threads
 * (issue 14 item 3): application records/s of 100-byte records, and handshakes/s.
 *
 * <p>Records: the clients are made as cheap as the echo's. Each client finishes its handshake first, then
 * has its engine protect all its records ahead of time (not timed), and the timed run only sends those
 * datagrams and counts the server's replies without opening them, one outstanding per client; the echo run
 * sends 100-byte plain datagrams the same way. So both runs cost the client the same socket work and the
 * ratio is the server's: DTLS open + echo + protect against a plain echo. Both servers run side by side
 * and the runs alternate ({@code --repeat} of each); the medians and each pair's ratio are printed.
 *
 * <p>Handshakes: {@code dtls load --records 0} (the cli's load generator) in a child JVM, so the generator's
 * half of each handshake runs outside the server's JVM.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.dtls4j.bench.WorkersBench \
 *     [--threads 1,2,N] [--clients 64] [--records 2000] [--repeat 5] [--handshakes 3000]
 *     [--suite TLS_PSK_WITH_AES_128_CCM_8]
 * </pre>
 */
public final class WorkersBench {
    private static final String IDENTITY = "load-client";
    private static final byte[] KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final int SIZE = 100;

    private WorkersBench() {
    }

    /** Runs every thread count and prints one line per run, then the ratios. */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = ServerLoadBench.parse(args);
        int n = Runtime.getRuntime().availableProcessors();
        List<Integer> threads = new ArrayList<>(new LinkedHashSet<>(Arrays.stream(
                a.getOrDefault("threads", "1,2,N").split(",")).map(t -> t.equals("N") ? n : Integer.parseInt(t)).toList()));
        int clients = Integer.parseInt(a.getOrDefault("clients", "64"));
        int records = Integer.parseInt(a.getOrDefault("records", "2000"));
        int handshakes = Integer.parseInt(a.getOrDefault("handshakes", "3000"));
        CipherSuite suite = CipherSuite.byName(a.getOrDefault("suite", "TLS_PSK_WITH_AES_128_CCM_8")).orElseThrow();
        System.out.printf(Locale.ROOT, "java %s, %d processors, load average %.2f, %s, %d clients x %d records of %d B%n",
                Runtime.version(), n, load(), suite.name(), clients, records, SIZE);
        int repeat = Integer.parseInt(a.getOrDefault("repeat", "5"));
        for (int t : threads) {
            double[] echo = new double[repeat];
            double[] dtls = new double[repeat];
            double hs;
            try (PlainEchoServer plain = new PlainEchoServer(LOOPBACK, t);
                 DtlsServer server = server(suite, t, clients)) {
                // Alternating short runs, so a burst of load from elsewhere hits both sides alike.
                for (int r = 0; r < repeat; r++) {
                    echo[r] = blast(plain.address(), clients, records, null);
                    dtls[r] = blast(server.localAddress(), clients, records, clientConfig(suite));
                }
                hs = handshakes > 0 ? handshakes(server.localAddress(), suite, handshakes) : 0;
            }
            System.out.printf(Locale.ROOT, "threads=%d  echo records/s=%9.0f  dtls records/s=%9.0f  dtls/echo=%.2fx"
                    + " (medians of %d; per-run ratios %s)  handshakes/s=%7.1f  load=%.2f%n", t, median(echo),
                    median(dtls), median(dtls) / median(echo), repeat, ratios(dtls, echo), hs, load());
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String ratios(double[] dtls, double[] echo) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dtls.length; i++) {
            b.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", dtls[i] / echo[i]));
        }
        return b.toString();
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static DtlsServer server(CipherSuite suite, int threads, int clients) throws IOException {
        DtlsConfig config = DtlsConfig.builder()
                .pskStore(id -> Arrays.equals(id, IDENTITY.getBytes(StandardCharsets.US_ASCII)) ? KEY.clone() : null)
                .cipherSuites(suite).build();
        return DtlsServer.builder(config).bind(LOOPBACK).workers(threads).maxConnections(100_000)
                .maxHalfOpen(Math.max(1024, clients * 4)).maxHalfOpenPerAddress(Math.max(1024, clients * 4))
                .idleTimeout(Duration.ofMinutes(10)).handler((s, peer, data) -> s.send(peer, data)).start();
    }

    private static DtlsConfig clientConfig(CipherSuite suite) {
        return DtlsConfig.builder().pskIdentity(IDENTITY.getBytes(StandardCharsets.US_ASCII), KEY).cipherSuites(suite)
                .build();
    }

    /** One client of the records run: its socket and the datagrams it will send, in order. */
    private static final class Lane {
        final DatagramChannel channel;
        final List<byte[]> datagrams = new ArrayList<>();
        DtlsConnection connection;
        int next;
        int replies;

        Lane(DatagramChannel channel) {
            this.channel = channel;
        }
    }

    /**
     * Prepares {@code clients} clients (handshake and protected records for DTLS, plain payloads for echo),
     * then times the round trips; returns replies per second.
     */
    private static double blast(InetSocketAddress server, int clients, int records, DtlsConfig dtls) throws Exception {
        List<Lane> lanes = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < clients; i++) {
                Lane lane = new Lane(DatagramChannel.open().bind(LOOPBACK).connect(server));
                lane.channel.configureBlocking(false);
                lanes.add(lane);
                if (dtls != null) {
                    prepareDtls(lane, dtls, server, records);
                } else {
                    for (int r = 0; r < records; r++) {
                        lane.datagrams.add(new byte[SIZE]);
                    }
                }
                lane.channel.register(selector, SelectionKey.OP_READ, lane);
            }
            return roundTrips(selector, lanes, records);
        } finally {
            for (Lane lane : lanes) {
                if (lane.connection != null) {
                    lane.connection.close(System.nanoTime());
                }
                lane.channel.close();
            }
        }
    }

    private static double roundTrips(Selector selector, List<Lane> lanes, int records) throws IOException {
        ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
        long start = System.nanoTime();
        long last = start;
        for (Lane lane : lanes) {
            lane.channel.write(ByteBuffer.wrap(lane.datagrams.get(lane.next++)));
        }
        long total = (long) lanes.size() * records;
        long replies = 0;
        long quietSince = start;
        while (replies < total) {
            if (selector.select(100) == 0 && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(2)) {
                break; // a lost datagram stalled the rest: count what came back
            }
            for (SelectionKey k : selector.selectedKeys()) {
                Lane lane = (Lane) k.attachment();
                in.clear();
                while (lane.channel.read(in) > 0) {
                    in.clear();
                    lane.replies++;
                    replies++;
                    last = System.nanoTime();
                    quietSince = last;
                    if (lane.next < lane.datagrams.size()) {
                        lane.channel.write(ByteBuffer.wrap(lane.datagrams.get(lane.next++)));
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        return replies * 1e9 / Math.max(1, last - start);
    }

    /** Handshakes {@code lane} with the server, then has its engine protect {@code records} records into it. */
    private static void prepareDtls(Lane lane, DtlsConfig config, InetSocketAddress server, int records)
            throws IOException {
        boolean[] capture = new boolean[1];
        DtlsConnection c = DtlsConnection.client(config, server, (b, o, l) -> {
            if (capture[0]) {
                lane.datagrams.add(Arrays.copyOfRange(b, o, o + l));
            } else {
                try {
                    lane.channel.write(ByteBuffer.wrap(b, o, l));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, new DtlsListener() { });
        lane.connection = c;
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        try (Selector s = Selector.open()) {
            lane.channel.register(s, SelectionKey.OP_READ);
            c.start(System.nanoTime());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!c.isEstablished()) {
                long now = System.nanoTime();
                if (now > deadline || c.isClosed()) {
                    throw new IllegalStateException("handshake failed: " + c.failure());
                }
                long wait = Math.min(c.nextTimeoutNanos(), deadline) - now;
                s.select(Math.max(1, wait / 1_000_000));
                s.selectedKeys().clear();
                for (in.clear(); lane.channel.read(in) > 0; in.clear()) {
                    c.receive(in.array(), 0, in.position(), System.nanoTime());
                }
                if (c.nextTimeoutNanos() <= System.nanoTime()) {
                    c.onTimeout(System.nanoTime());
                }
            }
        }
        capture[0] = true;
        byte[] payload = new byte[SIZE];
        for (int r = 0; r < records; r++) {
            c.send(payload, System.nanoTime());
        }
        capture[0] = false;
    }

    /** {@code dtls load --records 0} in a child JVM against {@code server}; its handshakes/s. */
    private static double handshakes(InetSocketAddress server, CipherSuite suite, int count) throws Exception {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "org.dtls4j.cli.Main", "load",
                "--connect", "127.0.0.1:" + server.getPort(),
                "--psk", IDENTITY + ":" + HexFormat.of().formatHex(KEY), "--ciphers", suite.name(),
                "--clients", "64", "--connections", Integer.toString(count), "--records", "0", "--timeout", "30");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroy();
            throw new IllegalStateException("load generator did not finish");
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("handshakes/s: ")) {
                return Double.parseDouble(line.substring("handshakes/s: ".length()).trim());
            }
        }
        throw new IllegalStateException("no handshakes/s in: " + out);
    }
}
