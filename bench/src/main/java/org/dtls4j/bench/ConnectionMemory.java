package org.dtls4j.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.function.IntFunction;
import javax.net.ssl.X509TrustManager;
import org.dtls4j.DtlsAcceptor;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.testkit.TestPki;

/**
 * Retained heap per established server connection (issue 14, item 1): one {@link DtlsAcceptor} serves
 * {@code N} PSK AES-128-CCM_8 clients, each from its own address, one at a time over in-memory queues,
 * cookie exchange included; each client sends one 100-byte record, which the server reads, and is then
 * dropped, so only the server side stays reachable. Heap used after full GCs, before and after, divided
 * by {@code N}, is the figure. With {@code --histogram} it also prints the top of
 * {@code jcmd <pid> GC.class_histogram} taken while the connections are held. When the heap runs out first
 * it says after how many connections. With {@code --rest} every connection is put to rest
 * ({@link DtlsAcceptor#restAfter}, what {@code DtlsServer} does to quiet connections) before the measurement.
 * {@code --auth=rpk} and {@code --auth=x509} measure ECDHE-ECDSA AES-128-CCM_8 clients that authenticate with
 * their own raw P-256 key (RFC 7250) or their own chain (leaf and intermediate, P-256, ~0.9 KB), one per client,
 * instead of the shared PSK: what a woken connection must keep to report its peer.
 *
 * <p>Run: {@code java -Xmx4g -cp bench/target/benchmarks.jar org.dtls4j.bench.ConnectionMemory 1000 [--histogram]
 * [--rest] [--auth=psk|rpk|x509]}.
 */
public final class ConnectionMemory {
    private static final byte[] IDENTITY = "memory-bench".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final DtlsListener QUIET = new DtlsListener() { };
    /** The bench's server takes any client chain: validation is not what is measured. */
    private static final X509TrustManager ANY_CLIENT = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private ConnectionMemory() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        boolean histogram = Arrays.asList(args).contains("--histogram");
        boolean rest = Arrays.asList(args).contains("--rest");
        String auth = Arrays.stream(args).filter(a -> a.startsWith("--auth=")).map(a -> a.substring(7))
                .findFirst().orElse("psk");
        CipherSuite suite = auth.equals("psk") ? CipherSuite.TLS_PSK_WITH_AES_128_CCM_8
                : CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8;
        DtlsConfig server;
        IntFunction<DtlsConfig> clients;
        if (auth.equals("psk")) {
            PskStore store = id -> Arrays.equals(id, IDENTITY) ? KEY.clone() : null;
            server = DtlsConfig.builder().pskStore(store).cipherSuites(suite).build();
            DtlsConfig client = DtlsConfig.builder().pskIdentity(IDENTITY, KEY).cipherSuites(suite).build();
            clients = i -> client;
        } else if (auth.equals("rpk")) {
            KeyPair serverKeys = TestPki.keyPair(TestPki.KeyType.EC_P256);
            server = DtlsConfig.builder().cipherSuites(suite).rawPublicKey(serverKeys.getPrivate(), serverKeys.getPublic())
                    .clientAuth(ClientAuth.REQUIRED).rawPublicKeyVerifier(key -> true).build();
            clients = i -> {
                KeyPair own = TestPki.keyPair(TestPki.KeyType.EC_P256);
                return DtlsConfig.builder().cipherSuites(suite).rawPublicKey(own.getPrivate(), own.getPublic())
                        .trustedRawPublicKeys(serverKeys.getPublic()).build();
            };
        } else if (auth.equals("x509")) {
            TestPki.Identity serverId = TestPki.selfSigned(TestPki.KeyType.EC_P256, "memory.bench");
            server = DtlsConfig.builder().cipherSuites(suite).certificate(serverId.key(), serverId.chain())
                    .clientAuth(ClientAuth.REQUIRED).trustManager(ANY_CLIENT).build();
            clients = i -> {
                TestPki.Identity own = TestPki.chain(TestPki.KeyType.EC_P256, "device-" + i + ".bench", 3, 0);
                return DtlsConfig.builder().cipherSuites(suite).certificate(own.key(), own.chainWithoutRoot())
                        .trustedCertificates(serverId.leaf()).serverName("memory.bench").build();
            };
        } else {
            throw new IllegalArgumentException("--auth=" + auth + ": psk, rpk or x509");
        }
        ArrayDeque<byte[]> toClient = new ArrayDeque<>();
        DtlsAcceptor acceptor = new DtlsAcceptor(server, CookieVerifier.create(),
                (b, o, l, p) -> toClient.add(Arrays.copyOfRange(b, o, o + l)), QUIET, n + 16, 64);
        long[] received = {0};
        DtlsListener counting = new DtlsListener() {
            @Override
            public void onApplicationData(DtlsConnection connection, byte[] buf, int off, int len) {
                received[0] += len;
            }
        };
        // Warm-up on a throw-away acceptor, so the classes, JIT code and JDK caches the measured part
        // needs exist before the baseline is taken.
        DtlsAcceptor warm = new DtlsAcceptor(server, CookieVerifier.create(),
                (b, o, l, p) -> toClient.add(Arrays.copyOfRange(b, o, o + l)), counting, 64, 64);
        for (int i = 0; i < 50; i++) {
            connect(clients.apply(n + 1 + i), warm, toClient, peer(n + 1 + i));
        }
        warm.closeAll(System.nanoTime());
        warm = null;

        if (rest) {
            acceptor.restAfter(1_000); // every connection rests at the first timer call after its record
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try {
                connect(clients.apply(i), acceptor, toClient, peer(i));
            } catch (OutOfMemoryError e) {
                int held = acceptor.connectionCount();
                acceptor = null;
                toClient.clear();
                System.out.printf("out of heap (-Xmx %d MB) after %,d established connections%n",
                        Runtime.getRuntime().maxMemory() >> 20, held);
                return;
            }
            if ((i + 1) % 10_000 == 0) {
                System.out.printf("%,d connections, %.0f s%n", i + 1, (System.nanoTime() - start) / 1e9);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (rest) {
            acceptor.onTimeout(System.nanoTime() + 1_000_000_000L);
            if (acceptor.restingCount() != n) {
                throw new IllegalStateException(acceptor.restingCount() + " of " + n + " connections at rest");
            }
        }
        long after = usedAfterGc(memory);
        if (acceptor.connectionCount() != n) {
            throw new IllegalStateException("expected " + n + " connections, the acceptor holds " + acceptor.connectionCount());
        }
        System.out.printf("%s, %s clients, JDK %s, -Xmx %d MB%n", suite, auth,
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("%,d established server connections%s in %.1f s (%.0f handshakes/s)%n", n,
                rest ? ", all at rest (DtlsAcceptor.restAfter)" : "", seconds, n / seconds);
        System.out.printf("heap used after GC: %,d B before, %,d B after: %,d B per connection%n", before, after,
                (after - before) / n);
        if (histogram) {
            printHistogram(Integer.getInteger("histogram.lines", 45));
        }
        if (rest) {
            timeWakes(acceptor, n);
        }
        // Keeps the acceptor (and so every connection) reachable until after the measurement.
        System.out.println("held " + acceptor.connectionCount() + " connections");
    }

    /**
     * What a rest costs in CPU: wakes every connection ({@link DtlsAcceptor#connection} rebuilds it from its
     * form: key derivation, objects, tables) and puts them all back to rest, {@code -Dwake.rounds} rounds
     * (default 5), and prints the median round's time and bytes allocated per connection. One thread, JIT warm from
     * the earlier rounds. With {@code -Dwake.ask=true} each woken connection is also asked for its
     * {@link DtlsConnection#handshakeResult()}, which decodes the peer's chain or raw key kept at rest.
     */
    private static void timeWakes(DtlsAcceptor acceptor, int n) throws Exception {
        int rounds = Integer.getInteger("wake.rounds", 5);
        boolean ask = Boolean.getBoolean("wake.ask");
        long[] wake = new long[rounds];
        long[] rest = new long[rounds];
        long[] allocated = new long[rounds];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long clock = System.nanoTime() + 2_000_000_000L;
        for (int round = 0; round < wake.length; round++) {
            long a0 = threads.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                DtlsConnection c = acceptor.connection(peer(i));
                if (c == null || ask && c.handshakeResult() == null) {
                    throw new IllegalStateException("no connection for " + peer(i));
                }
            }
            long t1 = System.nanoTime();
            allocated[round] = threads.getCurrentThreadAllocatedBytes() - a0;
            clock += 1_000_000_000L;
            acceptor.onTimeout(clock);
            long t2 = System.nanoTime();
            if (acceptor.restingCount() != n) {
                throw new IllegalStateException(acceptor.restingCount() + " of " + n + " back at rest");
            }
            wake[round] = t1 - t0;
            rest[round] = t2 - t1;
        }
        Arrays.sort(wake);
        Arrays.sort(rest);
        Arrays.sort(allocated);
        System.out.printf("wake: %.2f us per connection, rest: %.2f us per connection (median of %d rounds of %,d)%n",
                wake[rounds / 2] / 1e3 / n, rest[rounds / 2] / 1e3 / n, rounds, n);
        System.out.printf("wake allocates %,d B per connection (median round)%n", allocated[rounds / 2] / n);
    }

    /** One client from {@code from}: handshake with the acceptor, one 100-byte record, then dropped. */
    private static void connect(DtlsConfig config, DtlsAcceptor acceptor, ArrayDeque<byte[]> toClient,
                                InetSocketAddress from) {
        long now = System.nanoTime();
        ArrayDeque<byte[]> toServer = new ArrayDeque<>();
        DtlsConnection c = DtlsConnection.client(config, new InetSocketAddress(InetAddress.getLoopbackAddress(), 5684),
                (b, o, l) -> toServer.add(Arrays.copyOfRange(b, o, o + l)), QUIET);
        c.start(now);
        boolean sent = false;
        while (!toServer.isEmpty() || !toClient.isEmpty() || !sent) {
            if (!sent && c.isEstablished()) {
                c.send(new byte[100], now);
                sent = true;
            }
            byte[] d;
            while ((d = toServer.poll()) != null) {
                acceptor.receive(d, 0, d.length, from, now);
            }
            while ((d = toClient.poll()) != null) {
                c.receive(d, 0, d.length, now);
            }
            if (!sent && !c.isEstablished() && toServer.isEmpty() && toClient.isEmpty()) {
                throw new IllegalStateException("handshake stalled: " + c.state() + " " + c.failure());
            }
        }
        DtlsConnection s = acceptor.connection(from);
        if (s == null || !s.isEstablished()) {
            throw new IllegalStateException("server side of " + from + " not established");
        }
    }

    /** A distinct source address per client (10.0.0.0/8), so no per-source half-open share is reached. */
    private static InetSocketAddress peer(int i) throws Exception {
        byte[] a = {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
        return new InetSocketAddress(InetAddress.getByAddress(a), 40000 + (i & 0xfff));
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The first {@code lines} lines of this JVM's class histogram (live objects, after a full GC). */
    private static void printHistogram(int lines) throws Exception {
        String jcmd = System.getProperty("java.home") + "/bin/jcmd";
        Process p = new ProcessBuilder(jcmd, Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            r.lines().limit(lines).forEach(System.out::println);
        }
        p.waitFor();
    }
}
