package org.dtls4j.bench;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.dtls4j.DtlsAcceptor;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.auth.PskStore;

/**
 * Bytes the SERVER side allocates per PSK handshake (cookie exchange included) and per echoed record,
 * deterministically: one {@link DtlsAcceptor} set up as a {@code DtlsServer} worker sets up its own (caps,
 * idle and half-open timeouts, rest delay, a listener that echoes each record back as the server's handler
 * does), driven by in-process clients on a second thread, one call at a time. Only the server's calls are counted: the thread's
 * allocated bytes ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}) are read before and
 * after each {@code receive}/{@code onTimeout} of the acceptor, and the datagrams it sends go into
 * preallocated slots, so neither the clients nor the harness count. What a real worker adds around the
 * acceptor (the JDK's {@code DatagramChannel.receive}, which makes an {@code InetSocketAddress} per datagram,
 * and the handler's copy of each record) is not in the figure.
 *
 * <p>Rounds of {@code C} clients: all handshake (one after another, each to the end), then each sends
 * {@code R} 100-byte records that the server echoes, then all are closed (close_notify, not counted). The
 * first {@code W} handshakes warm the JIT up and are not counted. Server CPU time of the counted calls is
 * printed too: a timing, so loaded on a shared machine, unlike the byte counts.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.dtls4j.bench.ServerHandshakeAlloc
 * [--suites S,...] [--connections C] [--handshakes N] [--warmup W] [--records R]}.
 */
public final class ServerHandshakeAlloc {
    private static final byte[] IDENTITY = "alloc-bench".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5684);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final ExecutorService CLIENT_THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "clients");
        t.setDaemon(true);
        return t;
    });

    private ServerHandshakeAlloc() {
    }

    /** Datagrams in flight to one side: preallocated slots, so queueing one allocates nothing. */
    private static final class Queue {
        final byte[][] slots = new byte[64][2048];
        final int[] lengths = new int[64];
        final InetSocketAddress[] peers = new InetSocketAddress[64];
        int head;
        int tail;
        /** Drop what comes (the close_notify of a whole round, which no client reads). */
        boolean discard;

        void add(byte[] b, int off, int len, InetSocketAddress peer) {
            if (discard) {
                return;
            }
            if (tail - head == slots.length) {
                throw new IllegalStateException("more than " + slots.length + " datagrams in flight");
            }
            int i = tail++ & (slots.length - 1);
            System.arraycopy(b, off, slots[i], 0, len);
            lengths[i] = len;
            peers[i] = peer;
        }

        boolean isEmpty() {
            return head == tail;
        }
    }

    /** What the server's calls cost so far: bytes allocated and CPU nanoseconds. */
    private static final class Meter {
        long bytes;
        long cpu;
        long calls;
    }

    public static void main(String[] args) throws Exception {
        List<CipherSuite> suites = new ArrayList<>();
        int connections = 1000;
        int handshakes = 10_000;
        int warmup = 20_000;
        int records = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--suites" -> {
                    for (String s : args[++i].split(",")) {
                        suites.add(CipherSuite.byName(s).orElseThrow(() -> new IllegalArgumentException(s)));
                    }
                }
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--handshakes" -> handshakes = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--records" -> records = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (suites.isEmpty()) {
            suites.add(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
            suites.add(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256);
        }
        System.out.printf("JDK %s, %,d connections a round, %,d counted handshakes after %,d, %d records each%n",
                System.getProperty("java.version"), connections, handshakes, warmup, records);
        for (CipherSuite suite : suites) {
            run(suite, connections, handshakes, warmup, records);
        }
    }

    private static void run(CipherSuite suite, int connections, int handshakes, int warmup, int records) throws Exception {
        PskStore store = id -> Arrays.equals(id, IDENTITY) ? KEY.clone() : null;
        DtlsConfig server = DtlsConfig.builder().pskStore(store).cipherSuites(suite).build();
        DtlsConfig client = DtlsConfig.builder().pskIdentity(IDENTITY, KEY).cipherSuites(suite).build();
        Queue toClients = new Queue();
        long[] clock = {System.nanoTime()};
        DtlsListener echo = new DtlsListener() {
            @Override
            public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
                c.send(buf, off, len, clock[0]); // DtlsServer's echo handler, without its copy
            }

            // No @Override: the method is newer than some builds this tool is run against. A DtlsServer
            // without an observer wants no trace lines either.
            public boolean wantsTraces() {
                return false;
            }
        };
        // As DtlsServer.Builder's defaults make a worker's acceptor: caps, timeouts, rest delay.
        DtlsAcceptor acceptor = new DtlsAcceptor(server, CookieVerifier.create(), toClients::add, echo,
                connections + 16, connections + 16, connections + 16);
        acceptor.idleTimeouts(300_000_000_000L, 30_000_000_000L);
        acceptor.restAfter(2_000_000_000L);
        InetSocketAddress[] peers = new InetSocketAddress[connections];
        for (int i = 0; i < connections; i++) {
            byte[] a = {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
            peers[i] = new InetSocketAddress(InetAddress.getByAddress(a), 40000 + (i & 0xfff));
        }
        Meter hs = new Meter();
        Meter rec = new Meter();
        int done = 0;
        int counted = 0;
        while (counted < handshakes) {
            boolean measure = done >= warmup;
            Meter h = measure ? hs : new Meter();
            Meter r = measure ? rec : new Meter();
            int round = measure ? Math.min(connections, handshakes - counted) : Math.min(connections, warmup - done);
            DtlsConnection[] clients = new DtlsConnection[round];
            Queue[] toServer = new Queue[round];
            for (int i = 0; i < round; i++) {
                toServer[i] = new Queue();
                Queue q = toServer[i];
                InetSocketAddress from = peers[i];
                int n = i;
                onClient(() -> {
                    clients[n] = DtlsConnection.client(client, SERVER, (b, o, l) -> q.add(b, o, l, from),
                            new DtlsListener() { });
                    clients[n].start(clock[0]);
                });
                exchange(acceptor, clients[i], toServer[i], toClients, clock, h);
                if (!clients[i].isEstablished()) {
                    throw new IllegalStateException("handshake " + i + " failed: " + clients[i].failure());
                }
            }
            byte[] payload = new byte[100];
            for (int k = 0; k < records; k++) {
                for (int i = 0; i < round; i++) {
                    DtlsConnection c = clients[i];
                    onClient(() -> c.send(payload, clock[0]));
                    exchange(acceptor, clients[i], toServer[i], toClients, clock, r);
                }
            }
            clock[0] += 1_000_000L;
            toClients.discard = true;
            acceptor.closeAll(clock[0]);
            toClients.discard = false;
            done += round;
            if (measure) {
                counted += round;
            }
        }
        System.out.printf("%s: server allocates %,d B per handshake, %,.1f B per echoed 100-B record;"
                        + " server CPU %.1f us per handshake, %.2f us per record (timings: LOADED machine)%n",
                suite, hs.bytes / counted, rec.bytes / (double) Math.max(1, (long) counted * records),
                hs.cpu / 1e3 / counted, rec.cpu / 1e3 / Math.max(1, (long) counted * records));
    }

    /**
     * Runs {@code task} on the clients' thread and waits for it: the clients' record keys then take no
     * per-thread cipher sets from the server's thread (as in a real deployment), and the hand-over lies
     * outside the counted calls.
     */
    private static void onClient(Runnable task) {
        try {
            CLIENT_THREAD.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a client failed", e.getCause());
        }
    }

    /** Moves datagrams both ways until neither side has any left; the server's calls go through the meter. */
    private static void exchange(DtlsAcceptor acceptor, DtlsConnection client, Queue toServer, Queue toClient,
                                 long[] clock, Meter meter) {
        while (!toServer.isEmpty() || !toClient.isEmpty()) {
            while (!toServer.isEmpty()) {
                int i = toServer.head++ & (toServer.slots.length - 1);
                long b0 = THREADS.getCurrentThreadAllocatedBytes();
                long c0 = THREADS.getCurrentThreadCpuTime();
                acceptor.receive(toServer.slots[i], 0, toServer.lengths[i], toServer.peers[i], clock[0]);
                acceptor.onTimeout(clock[0]);
                meter.cpu += THREADS.getCurrentThreadCpuTime() - c0;
                meter.bytes += THREADS.getCurrentThreadAllocatedBytes() - b0;
                meter.calls++;
            }
            onClient(() -> {
                while (!toClient.isEmpty()) {
                    int i = toClient.head++ & (toClient.slots.length - 1);
                    client.receive(toClient.slots[i], 0, toClient.lengths[i], clock[0]);
                }
            });
        }
    }
}
