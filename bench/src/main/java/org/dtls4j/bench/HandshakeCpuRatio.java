package org.dtls4j.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtls4j.bench.BenchPeers.BcCrypto;
import org.dtls4j.bench.BenchPeers.Kx;

/**
 * CPU time and bytes allocated per full handshake, {@link HandshakeBench}'s dtls4j and Bouncy Castle states
 * run in alternating slices. Throughput on a host shared with other builds measures the scheduler: Bouncy
 * Castle runs its server on a second thread, so under load it gets up to twice dtls4j's share of the CPU.
 * CPU time counts the work each stack does per handshake whatever the load: for dtls4j the benchmark thread's,
 * for Bouncy Castle its client thread's plus its server thread's (the thread hand-offs its blocking API forces
 * are part of its cost). Allocation is counted the same way. Reports the median over slices of each, and the
 * ratio of the medians (the first contender's CPU time / each other's = how many times as many handshakes
 * per CPU-second the other makes).
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.dtls4j.bench.HandshakeCpuRatio KX SLICES HANDSHAKES
 * CONTENDER...} with contenders {@code dtls4j:JDK}, {@code dtls4j:BC} (dtls4j on Bouncy Castle's JCA
 * provider), {@code bc:BC}, {@code bc:JCA}; e.g. {@code PSK 40 200 bc:BC dtls4j:JDK}.
 */
public final class HandshakeCpuRatio {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private HandshakeCpuRatio() {
    }

    /** One stack under test and the CPU time and bytes of each of its slices. */
    private abstract static class Contender {
        final String name;
        final List<Double> cpuNanos = new ArrayList<>();
        final List<Double> bytes = new ArrayList<>();

        Contender(String name) {
            this.name = name;
        }

        abstract void handshake() throws Exception;

        /** CPU nanoseconds and allocated bytes so far of every thread the stack runs on. */
        abstract long[] usage() throws Exception;

        void slice(int handshakes, boolean record) throws Exception {
            long[] before = usage();
            for (int i = 0; i < handshakes; i++) {
                handshake();
            }
            long[] after = usage();
            if (record) {
                cpuNanos.add((after[0] - before[0]) / (double) handshakes);
                bytes.add((after[1] - before[1]) / (double) handshakes);
            }
        }
    }

    private static long[] current() {
        return new long[] {THREADS.getCurrentThreadCpuTime(), THREADS.getCurrentThreadAllocatedBytes()};
    }

    private static Contender dtls4j(Kx kx, String provider) {
        HandshakeBench.Dtls4j s = new HandshakeBench.Dtls4j();
        s.kx = kx;
        s.provider = provider;
        s.setup();
        return new Contender("dtls4j:" + provider) {
            @Override
            void handshake() {
                s.handshake(null);
            }

            @Override
            long[] usage() {
                return current();
            }
        };
    }

    private static Contender bc(Kx kx, BcCrypto crypto) throws Exception {
        HandshakeBench.Bc s = new HandshakeBench.Bc();
        s.kx = kx;
        s.crypto = crypto;
        s.setup();
        long serverId = s.serverThread.submit(() -> Thread.currentThread().getId()).get(30, TimeUnit.SECONDS);
        return new Contender("bc:" + crypto) {
            @Override
            void handshake() throws Exception {
                s.handshake(null);
            }

            @Override
            long[] usage() {
                // The server thread is parked between handshakes (the last one returned), so its counters are still.
                long[] mine = current();
                return new long[] {mine[0] + THREADS.getThreadCpuTime(serverId),
                    mine[1] + THREADS.getThreadAllocatedBytes(serverId)};
            }
        };
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    public static void main(String[] args) throws Exception {
        Kx kx = Kx.valueOf(args[0]);
        int slices = Integer.parseInt(args[1]);
        int handshakes = Integer.parseInt(args[2]);
        List<Contender> all = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            String[] who = args[i].split(":");
            all.add(who[0].equals("dtls4j") ? dtls4j(kx, who[1]) : bc(kx, BcCrypto.valueOf(who[1])));
        }
        for (int round = 0; round < Math.max(3, slices / 4); round++) { // warm-up
            for (Contender c : all) {
                c.slice(handshakes, false);
            }
        }
        for (int round = 0; round < slices; round++) {
            // Rotate the order, so no contender always runs right after another's garbage.
            for (int k = 0; k < all.size(); k++) {
                all.get((round + k) % all.size()).slice(handshakes, true);
            }
        }
        System.out.printf("%s, %d slices of %d handshakes, %s%n", kx, slices, handshakes,
                System.getProperty("java.vm.version"));
        double base = median(all.get(0).cpuNanos);
        System.out.println("contender  cpu_us/handshake(median)  handshakes/cpu_s  KB/handshake(median)  "
                + all.get(0).name + "_cpu/this_cpu");
        for (Contender c : all) {
            double cpu = median(c.cpuNanos);
            System.out.printf("%-10s %10.1f %12.0f %10.1f %8.2f%n", c.name, cpu / 1000, 1e9 / cpu,
                    median(c.bytes) / 1000, base / cpu);
        }
        System.exit(0);
    }
}
