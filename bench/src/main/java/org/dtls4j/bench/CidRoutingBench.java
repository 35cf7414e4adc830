package org.dtls4j.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsAcceptor;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.CipherSuite;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Application records per second through one {@link DtlsAcceptor} holding {@code connections} established
 * PSK connections (AES-128-GCM, 16-byte payloads), routed by the client's address (no CID negotiated) or by
 * an 8-byte Connection ID (RFC 9146, tls12_cid records), side by side in one run (issue 12 item 7). One
 * operation: the acceptor takes one datagram, finds its connection (CID table or address map), opens the
 * record and hands the plaintext to the listener. The datagrams are sealed before each iteration by the
 * connections' own clients, in order per client, round-robin over the clients, so every record is fresh and
 * the lookups walk the whole table.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class CidRoutingBench {
    private static final byte[] IDENTITY = "bench".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    /** "address": no CID, the address map routes; "cid": 8-byte CIDs, the CID table routes. */
    @Param({"address", "cid"})
    public String routing;

    @Param({"10000"})
    public int connections;

    /** The PSK suite every connection uses. */
    @Param({"TLS_PSK_WITH_AES_128_GCM_SHA256"})
    public String suite = "TLS_PSK_WITH_AES_128_GCM_SHA256";

    /** Records sealed per client before each iteration; the iteration must not need more. */
    @Param({"48"})
    public int rounds;

    private DtlsAcceptor acceptor;
    private DtlsConnection[] clients;
    private InetSocketAddress[] addresses;
    private byte[][] datagrams;
    private int next;
    private long received;
    private long now;
    private final byte[] payload = new byte[16];

    @Setup(Level.Trial)
    public void handshakes() {
        now = System.nanoTime();
        int cid = routing.equals("cid") ? 8 : -1;
        CipherSuite chosen = CipherSuite.byName(suite).orElseThrow();
        DtlsConfig server = DtlsConfig.builder().cipherSuites(chosen).connectionIdLength(cid)
                .pskStore(id -> Arrays.equals(id, IDENTITY) ? KEY.clone() : null).build();
        DtlsConfig client = DtlsConfig.builder().cipherSuites(chosen).connectionIdLength(cid).pskIdentity(IDENTITY, KEY)
                .build();
        ArrayDeque<byte[]> toServer = new ArrayDeque<>();
        ArrayDeque<byte[]> toClient = new ArrayDeque<>();
        DtlsListener count = new DtlsListener() {
            @Override
            public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
                received += len;
            }
        };
        acceptor = new DtlsAcceptor(server, CookieVerifier.create(),
                (b, o, l, p) -> toClient.add(Arrays.copyOfRange(b, o, o + l)), count, connections, 16);
        clients = new DtlsConnection[connections];
        addresses = new InetSocketAddress[connections];
        for (int i = 0; i < connections; i++) {
            InetSocketAddress from = new InetSocketAddress(InetAddress.getLoopbackAddress(), 10_000 + i);
            addresses[i] = from;
            int slot = i;
            clients[i] = DtlsConnection.client(client, HandshakeBench.SERVER, (b, o, l) -> {
                if (datagrams != null) {
                    datagrams[next++] = Arrays.copyOfRange(b, o, o + l);
                } else {
                    toServer.add(Arrays.copyOfRange(b, o, o + l));
                }
            }, HandshakeBench.QUIET);
            clients[i].start(now);
            while (!toServer.isEmpty() || !toClient.isEmpty()) {
                byte[] d;
                while ((d = toServer.poll()) != null) {
                    acceptor.receive(d, 0, d.length, from, now);
                }
                while ((d = toClient.poll()) != null) {
                    clients[slot].receive(d, 0, d.length, now);
                }
            }
            if (!clients[i].isEstablished()) {
                throw new IllegalStateException("handshake " + i + " did not complete");
            }
        }
        if (acceptor.connectionIdCount() != (cid > 0 ? connections : 0)) {
            throw new IllegalStateException("CID table holds " + acceptor.connectionIdCount());
        }
    }

    /** Seals {@code rounds} fresh records per client, in the order the benchmark delivers them. */
    @Setup(Level.Iteration)
    public void seal() {
        datagrams = new byte[connections * rounds][];
        next = 0;
        for (int r = 0; r < rounds; r++) {
            for (DtlsConnection c : clients) {
                c.send(payload, now);
            }
        }
        next = 0;
    }

    @Benchmark
    public long routeOneRecord() {
        int k = next++;
        if (k >= datagrams.length) {
            throw new IllegalStateException("out of sealed records: raise -p rounds");
        }
        byte[] d = datagrams[k];
        acceptor.receive(d, 0, d.length, addresses[k % connections], now);
        return received;
    }

    /**
     * The same comparison made robust to a loaded machine: both acceptors are built once, then batches of
     * one record per connection alternate between them (address first on even pairs, CID first on odd ones),
     * and the median of the per-pair ratios is printed with each side's median records/s. Usage:
     * {@code java -cp bench/target/benchmarks.jar org.dtls4j.bench.CidRoutingBench [connections] [pairs]}.
     *
     * @param args connections (default 10000) and pairs of batches (default 40)
     */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        CidRoutingBench byAddress = side("address", n);
        CidRoutingBench byCid = side("cid", n);
        double[] address = new double[pairs];
        double[] cid = new double[pairs];
        double[] ratio = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            byAddress.seal();
            byCid.seal();
            if (p % 2 == 0) {
                address[p] = byAddress.batch();
                cid[p] = byCid.batch();
            } else {
                cid[p] = byCid.batch();
                address[p] = byAddress.batch();
            }
            ratio[p] = cid[p] / address[p];
        }
        System.out.printf(java.util.Locale.ROOT, "connections=%d pairs=%d%n", n, pairs);
        System.out.printf(java.util.Locale.ROOT, "by address: median %.0f records/s%n", median(address));
        System.out.printf(java.util.Locale.ROOT, "by CID:     median %.0f records/s%n", median(cid));
        System.out.printf(java.util.Locale.ROOT, "CID / address: median ratio %.3f (min %.3f, max %.3f)%n",
                median(ratio), Arrays.stream(ratio).min().orElse(0), Arrays.stream(ratio).max().orElse(0));
    }

    private static CidRoutingBench side(String routing, int n) {
        CidRoutingBench b = new CidRoutingBench();
        b.routing = routing;
        b.connections = n;
        b.rounds = 1;
        b.handshakes();
        return b;
    }

    /** Delivers one sealed record per connection; returns records per second. */
    private double batch() {
        long start = System.nanoTime();
        for (int k = 0; k < datagrams.length; k++) {
            byte[] d = datagrams[k];
            acceptor.receive(d, 0, d.length, addresses[k % connections], now);
        }
        long elapsed = System.nanoTime() - start;
        return datagrams.length * 1e9 / elapsed;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
