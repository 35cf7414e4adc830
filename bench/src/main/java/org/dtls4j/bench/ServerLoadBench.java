package org.dtls4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsServer;
import org.dtls4j.crypto.CipherSuite;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * dtls4j's {@link DtlsServer} against Scandium 3.14's {@code DTLSConnector}, both as PSK echo servers on
 * loopback in this JVM, under the same load from {@code dtls load} (the cli's load generator) run in a child
 * JVM, one server at a time, in one run (issue 14 item 5). For each suite and connection count it reports
 * the generator's handshakes/s and records/s, and the server's retained heap per connection: the heap used
 * after a full GC while the generator holds every connection open ({@code --keep --hold}), minus the same
 * measure with the idle server, divided by the connection count.
 *
 * <p>Usage (after {@code mvn -B -q -DskipTests package -pl bench -am}):
 * <pre>
 * java -Xmx2g -cp bench/target/benchmarks.jar org.dtls4j.bench.ServerLoadBench \
 *     [--connections 1000,10000] [--suites TLS_PSK_WITH_AES_128_CCM_8,TLS_PSK_WITH_AES_128_GCM_SHA256] \
 *     [--clients 100] [--records 10] [--source-ips 4] [--servers dtls4j,scandium] [--histogram true] [--threads N]
 *     [--generators G]
 * </pre>
 * The generator runs in its own JVM so its client connections neither share the server's heap nor its
 * file-descriptor limit (one socket per client); past that limit ({@code ulimit -n}), {@code --generators G}
 * splits the connections over G generator JVMs run at once (their rates are summed, and the heap is
 * measured once every one of them holds its connections).
 */
public final class ServerLoadBench {
    private static final String IDENTITY = "load-client";
    private static final byte[] KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final int HOLD_SECONDS = 4;
    /** dtls4j's worker threads ({@code --threads}, default the available processors). */
    private static int threads;
    /** Generator processes sharing the load ({@code --generators}, default 1). */
    private static int generators;

    /** One server under test, started on a loopback port of its choosing. */
    private interface Server extends AutoCloseable {
        InetSocketAddress address();

        @Override
        void close();
    }

    /** What one run measured. */
    record Result(String server, String suite, int connections, int established, double handshakesPerSecond,
                  double recordsPerSecond, long retainedBytes, String failures) {
        double bytesPerConnection() {
            return established == 0 ? 0 : retainedBytes / (double) established;
        }
    }

    private ServerLoadBench() {
    }

    /** Runs every suite × connection count × server and prints one line per run, then the ratios. */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        List<Integer> counts = Arrays.stream(a.getOrDefault("connections", "1000,10000").split(","))
                .map(Integer::parseInt).toList();
        List<String> suites = List.of(a.getOrDefault("suites",
                "TLS_PSK_WITH_AES_128_CCM_8,TLS_PSK_WITH_AES_128_GCM_SHA256").split(","));
        List<String> servers = List.of(a.getOrDefault("servers", "dtls4j,scandium").split(","));
        int clients = Integer.parseInt(a.getOrDefault("clients", "100"));
        int records = Integer.parseInt(a.getOrDefault("records", "10"));
        int sourceIps = Integer.parseInt(a.getOrDefault("source-ips", "4"));
        boolean histogram = Boolean.parseBoolean(a.getOrDefault("histogram", "false"));
        generators = Integer.parseInt(a.getOrDefault("generators", "1"));
        threads = Integer.parseInt(a.getOrDefault("threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
        System.out.printf(Locale.ROOT, "java %s, %d processors, load average %.2f, clients %d, records %d x 100 B, dtls4j workers %d%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), clients, records, threads);
        List<Result> results = new ArrayList<>();
        for (String suite : suites) {
            for (int n : counts) {
                for (String name : servers) {
                    Result r = runOne(name, suite, n, clients, records, sourceIps, histogram);
                    results.add(r);
                    System.out.printf(Locale.ROOT, "%-8s %-32s n=%-6d established=%-6d handshakes/s=%9.1f "
                            + "records/s=%9.1f heap/conn=%8.0f B failures=%s load=%.2f%n", r.server(), r.suite(), n,
                            r.established(), r.handshakesPerSecond(), r.recordsPerSecond(), r.bytesPerConnection(),
                            r.failures(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                }
            }
        }
        printRatios(results);
    }

    private static void printRatios(List<Result> results) {
        System.out.println("ratios dtls4j / scandium:");
        for (Result d : results) {
            if (!d.server().equals("dtls4j")) {
                continue;
            }
            for (Result s : results) {
                if (s.server().equals("scandium") && s.suite().equals(d.suite()) && s.connections() == d.connections()) {
                    System.out.printf(Locale.ROOT, "  %-32s n=%-6d handshakes/s %.2fx  records/s %.2fx  heap/conn %.2fx%n",
                            d.suite(), d.connections(), d.handshakesPerSecond() / s.handshakesPerSecond(),
                            d.recordsPerSecond() / s.recordsPerSecond(), d.bytesPerConnection() / s.bytesPerConnection());
                }
            }
        }
    }

    private static Result runOne(String name, String suite, int n, int clients, int records, int sourceIps,
            boolean histogram) throws Exception {
        long baseline;
        long[] held = {-1};
        List<Map<String, String>> reports = new ArrayList<>();
        try (Server server = start(name, suite, n, clients)) {
            baseline = usedHeapAfterGc();
            InetSocketAddress at = server.address();
            // One generator holds one socket per connection: several split the load past its open-file limit.
            int hold = generators > 1 ? HOLD_SECONDS + 30 : HOLD_SECONDS;
            java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(generators);
            List<Process> processes = new ArrayList<>();
            List<CompletableFuture<String>> outs = new ArrayList<>();
            List<Thread> readers = new ArrayList<>();
            for (int g = 0; g < generators; g++) {
                int share = n / generators + (g < n % generators ? 1 : 0);
                List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                        "-cp", System.getProperty("java.class.path"), "org.dtls4j.cli.Main", "load",
                        "--connect", "127.0.0.1:" + at.getPort(),
                        "--psk", IDENTITY + ":" + HexFormat.of().formatHex(KEY), "--ciphers", suite,
                        "--clients", Integer.toString(Math.max(1, clients / generators)),
                        "--connections", Integer.toString(share), "--records", Integer.toString(records),
                        "--size", "100", "--keep", "--hold", Integer.toString(hold),
                        "--source-ips", Integer.toString(sourceIps), "--timeout", "30"));
                Process p = new ProcessBuilder(cmd).start();
                processes.add(p);
                outs.add(CompletableFuture.supplyAsync(() -> readAll(p)));
                Thread reader = new Thread(() -> watch(p, holding));
                reader.start();
                readers.add(reader);
            }
            if (holding.await(30, TimeUnit.MINUTES)) {
                held[0] = usedHeapAfterGc();
                if (histogram) {
                    printHistogram(name);
                }
            }
            for (int g = 0; g < generators; g++) {
                Process p = processes.get(g);
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroy();
                    throw new IllegalStateException("load generator did not finish");
                }
                readers.get(g).join();
                reports.add(parseReport(outs.get(g).get()));
            }
        }
        int established = 0;
        double handshakes = 0;
        double recordsPerSecond = 0;
        StringBuilder failures = new StringBuilder();
        for (Map<String, String> report : reports) {
            // The generators run at once, so their rates add up.
            established += Integer.parseInt(report.getOrDefault("handshakes completed", "0"));
            handshakes += Double.parseDouble(report.getOrDefault("handshakes/s", "0"));
            recordsPerSecond += Double.parseDouble(report.getOrDefault("records/s (round trips)", "0"));
            failures.append(failures.length() == 0 ? "" : "+").append(report.getOrDefault("handshakes failed", "?"));
        }
        return new Result(name, suite, n, established, handshakes, recordsPerSecond,
                held[0] < 0 ? 0 : held[0] - baseline, failures.toString());
    }

    /** Passes a generator's standard error on (progress lines aside), counting down when it holds every connection. */
    private static void watch(Process p, java.util.concurrent.CountDownLatch holding) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                if (line.startsWith("holding")) {
                    holding.countDown();
                } else if (!line.startsWith("t=")) {
                    System.err.println("[load] " + line);
                }
            }
        } catch (IOException e) {
            System.err.println("[load] " + e);
        }
    }

    private static Server start(String name, String suite, int n, int clients) throws IOException {
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (name.equals("dtls4j")) {
            DtlsConfig config = DtlsConfig.builder()
                    .pskStore(id -> Arrays.equals(id, IDENTITY.getBytes(StandardCharsets.US_ASCII)) ? KEY.clone() : null)
                    .cipherSuites(CipherSuite.byName(suite).orElseThrow()).build();
            DtlsServer s = DtlsServer.builder(config).bind(bind).workers(threads).maxConnections(n + 1024)
                    .maxHalfOpen(clients + 64)
                    .idleTimeout(Duration.ofMinutes(10)).handler((server, peer, data) -> server.send(peer, data)).start();
            return new Server() {
                public InetSocketAddress address() {
                    return s.localAddress();
                }

                public void close() {
                    s.close();
                }
            };
        }
        if (name.equals("scandium")) {
            return scandium(bind, suite, n);
        }
        throw new IllegalArgumentException("unknown server " + name);
    }

    /**
     * Scandium's server with its defaults but for what this load needs: the one PSK, the one suite, room
     * for {@code n} connections, and HelloVerifyRequest for PSK as dtls4j's server does.
     */
    private static Server scandium(InetSocketAddress bind, String suite, int n) throws IOException {
        org.eclipse.californium.scandium.config.DtlsConfig.register();
        Configuration cfg = Configuration.createStandardWithoutFile();
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_ROLE,
                org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole.SERVER_ONLY);
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_RECOMMENDED_CIPHER_SUITES_ONLY, false);
        cfg.setAsList(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_CIPHER_SUITES,
                org.eclipse.californium.scandium.dtls.cipher.CipherSuite.valueOf(suite));
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_MAX_CONNECTIONS, n + 1024);
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST_FOR_PSK, true);
        DtlsConnectorConfig config = DtlsConnectorConfig.builder(cfg).setAddress(bind)
                .setAdvancedPskStore(new AdvancedSinglePskStore(IDENTITY, KEY.clone())).build();
        DTLSConnector c = new DTLSConnector(config);
        c.setRawDataReceiver(in -> c.send(RawData.outbound(in.getBytes(), in.getEndpointContext(), null, false)));
        c.start();
        return new Server() {
            public InetSocketAddress address() {
                return c.getAddress();
            }

            public void close() {
                c.destroy();
            }
        };
    }

    /** Heap in use after full collections, once the figure stops falling. */
    static long usedHeapAfterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            best = Math.min(best, used);
        }
        return best;
    }

    /** The top of the live-object class histogram (as {@code jcmd GC.class_histogram}), with every connection held. */
    private static void printHistogram(String server) {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            String[] lines = text.toString().split("\n");
            System.out.println("class histogram of " + server + " with every connection held (top 25):");
            for (int i = 0; i < Math.min(lines.length, 27); i++) {
                System.out.println("  " + lines[i]);
            }
        } catch (javax.management.JMException e) {
            System.out.println("no class histogram: " + e);
        }
    }

    private static String readAll(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The generator's {@code key: value} report lines. */
    private static Map<String, String> parseReport(String text) {
        Map<String, String> m = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                m.put(line.substring(0, colon), line.substring(colon + 2).trim());
            }
        }
        return m;
    }

    /** {@code --option value} pairs. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }
}
