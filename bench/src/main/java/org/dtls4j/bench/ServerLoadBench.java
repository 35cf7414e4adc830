package org.dtls4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * dtls4j's {@code DtlsServer} against Scandium 3.14's {@code DTLSConnector} as PSK echo servers on
 * loopback, under the same load from {@code dtls load} (the cli's load generator), one server at a time,
 * every suite × connection count × server in one run (issue 14 item 5).
 *
 * <p>The whole matrix, one command (after {@code mvn -B -q -o -DskipTests package -pl bench -am}):
 * <pre>
 * java -cp bench/target/benchmarks.jar org.dtls4j.bench.ServerLoadBench \
 *     [--connections 1000,10000] [--suites TLS_PSK_WITH_AES_128_CCM_8,TLS_PSK_WITH_AES_128_GCM_SHA256] \
 *     [--servers dtls4j,scandium] [--generators 2] [--clients 100] [--records 10] [--min-records 60000] \
 *     [--min-handshakes 10000] \
 *     [--source-ips 4] [--warmup 50000] [--idle 3] [--repeat 1] [--threads N] [--rate 0] [--histogram false] \
 *     [--server-jvm "-Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+UseG1GC"] [--generator-jvm "-Xmx1g -XX:+UseSerialGC"] \
 *     [--server-cpus 1 --generator-cpus 0] [--server-quota 0.25] [--receive-buffer 4194304]
 * </pre>
 * A server named {@code LABEL=JAR} in {@code --servers} is dtls4j run from another build's
 * {@code benchmarks.jar} (one that has {@link LoadServer}), so two builds and Scandium compare in one run:
 * {@code --servers dtls4j,before=/tmp/main-benchmarks.jar,scandium}.
 * It prints one line per run as it goes, then a Markdown table of every run (the median of the
 * {@code --repeat} runs) and the dtls4j / Scandium ratios.
 *
 * <p>Each run starts the server in a fresh JVM ({@link LoadServer}, {@code --server-jvm} options after
 * {@code -XX:-UseDynamicNumberOfCompilerThreads}, which keeps every JIT thread and its CPU time), so the
 * process's CPU time and heap are that server's alone, and neither server inherits the other's JIT or heap.
 * The load comes from {@code --generators} G child JVMs of {@code dtls load --sync} ({@code --generator-jvm}
 * options), which split the N connections and the {@code --clients} concurrency between them. A run:
 * <ol>
 *   <li>warm-up: the generators run {@code --warmup} connections between them with their records to the
 *       end ({@code dtls load --warmup}), kept open in rounds of N as the measured phases keep them, so the
 *       server's and the generators' hot paths, those of many live connections included, are compiled
 *       before anything is measured (with 5,000 connections, 100 at a time, the JIT still took 33–46% of
 *       the server's CPU in the measured phases; with 20,000 in rounds of N, 20–33% on a loaded machine;
 *       with 50,000, 8–10%: see bench/RESULTS.md);</li>
 *   <li>idle: the server's CPU time over {@code --idle} seconds with no load (GC, timers) gives the
 *       background rate that is subtracted from both phases below, and the heap after full
 *       collections at its end is the baseline (at its end, so warm-up connections left open — a
 *       close_notify lost in the warm-up's closing burst — are in the same state, live or at rest, in
 *       both heap figures);</li>
 *   <li>handshakes: the generators, started and waiting, are released at once; every one of the N
 *       connections handshakes (at most {@code --clients} at once) and stays open; the phase ends when
 *       every generator says it is done;</li>
 *   <li>records: released at once again, every connection does {@code --records} echo round trips of
 *       100 B (or more, so that all of them do at least {@code --min-records}, for a phase long enough to
 *       measure at N = 1,000), one outstanding;</li>
 *   <li>held: the server's CPU over another {@code --idle} seconds with the N connections open but quiet
 *       (printed, to bound the background with connections held), then its heap after full collections;
 *       (held − baseline) / (connections held − connections at the baseline) is the retained heap per
 *       connection: the server's own count, not N, because a leftover warm-up connection that a measured
 *       handshake from its address and port replaces is freed in between;</li>
 *   <li>churn, when N is below {@code --min-handshakes}: that many handshakes less N more, at most
 *       {@code --clients} at once, each connection closed with close_notify once established
 *       ({@code dtls load --churn}), while the N stay open. At N = 1,000 the handshake phase alone lasts
 *       ~0.1 s, and whether one young collection falls in it or is left for the next phase to pay moved the
 *       per-handshake figure by tens of per cent (Scandium's GC share there was 1–2%, dtls4j's 9–22%); the
 *       handshake figures are over both phases together. The churn comes after the heap figure because
 *       Scandium keeps a closed connection in its store until it is stale, which would count in its heap.</li>
 * </ol>
 * For each phase it reports the raw rate (connections or echoed records over the phase's wall time: what
 * the generators and the machine allowed) and the server's CPU per handshake and per record: (process CPU
 * time over the phase − its JIT compiler threads' − idle rate × phase time) / count. The GC's CPU stays in
 * (a cost per operation); the JIT's is taken out (a one-time cost of a young JVM; read per thread from
 * Linux's {@code /proc/self/task/TID/schedstat}) and its share printed: above ~10%, the warm-up was too
 * short for this machine and code not yet compiled still inflates the figures. On this 2-core
 * machine the generators take most of the CPU, so the raw rates are bounded by them; the CPU figures —
 * equivalently handshakes and records per server-CPU-second, the capacity of one core — are the servers'
 * own and are the fair comparison. Scandium runs with its defaults (see {@link LoadServer}) but for its
 * connector (protocol) threads, and dtls4j with as many workers: {@code --threads} (default: the available
 * processors, Scandium's default too).
 *
 * <p>The load is the same for both servers only in what the generators try: as fast as they can, they go
 * as fast as the CPU the server leaves them allows, and a server's CPU per operation falls as its load
 * rises (more datagrams per wakeup). {@code --rate R} paces every handshake (warm-up, the N, the churn) at
 * R per second in all, split over the generators, so both servers serve the same offered load; pick R
 * below what the slower server sustains. The records phase stays closed-loop (one record outstanding per
 * connection). The kernel's CPU time for the server ({@code stime}) is reported per operation beside the
 * total: the part both servers pay for the same datagrams, whatever their code.
 *
 * <p>{@code --server-cpus} and {@code --generator-cpus} (Linux CPU lists, as {@code taskset -c} takes them)
 * pin the server JVM and the generator JVMs to disjoint CPUs. Unpinned, the server and the generators
 * share every core, so a server's own CPU use slows the generators that load it, and the generators' CPU
 * per handshake (which varied 4× between runs) moves the server's load from run to run. Pinned, the
 * generators' pace no longer depends on the server under test (until it saturates its CPUs): both servers
 * are offered the same closed-loop load, each on CPUs of its own. {@code --threads} then defaults to the
 * number of server CPUs, which is what both servers choose by themselves on that many processors. The
 * server JVM's default options name G1: on one CPU the JVM would pick the serial collector by itself, and
 * a pinned run would then differ from an unpinned one in its collector as well.
 *
 * <p>{@code --server-quota F} caps the server JVM at F of one CPU ({@link CpuQuota}: a cgroup with a CFS quota,
 * over periods of a few milliseconds; its JIT compiler threads are moved out of the cap where cgroup v1
 * allows). Pinned or not, the
 * generators here cost about as much CPU per handshake as a server does, so on a machine of few cores they
 * cannot saturate a fast server, and its raw rates say how fast they went. Capped below what the generators
 * can feed, each server is saturated instead, and its raw handshakes/s and records/s are its capacity on
 * that budget: the same budget for both, so their ratio is the ratio of capacities. The "server CPUs busy"
 * column tells whether a run was saturated: the server's CPU (the JIT's aside) per wall second, at the cap
 * when it was. Needs a writable cgroup {@code cpu} controller (root). A capped server stops for the rest of
 * each period once its quota is spent, and the datagrams that arrive meanwhile queue in its socket: give
 * both servers room for them with {@code --receive-buffer BYTES} (SO_RCVBUF, the same for both; Linux caps
 * it at {@code net.core.rmem_max}), and the generators enough clients ({@code --clients}) to keep a
 * saturated server busy across those stops.
 *
 * <p>The server's heap is fixed and touched up front ({@code -Xms2g -Xmx2g -XX:+AlwaysPreTouch}), as a
 * production server's is. With only {@code -Xmx2g}, G1 shrinks the heap after the full collections that take
 * the heap figure (to 24 MB committed in a dtls4j cell at N = 1,000), so the measured phases ran with a young
 * generation of ~12 MB, collected every ~0.1 s, while the heap grew back page by page in the server's kernel
 * time. That cost followed each server's garbage per operation rather than its protocol work: dtls4j's GCM
 * handshake cost ~20 µs more than its CCM_8 one that way, ~4 µs more with the fixed heap (bench/RESULTS.md,
 * 3 December).
 */
public final class ServerLoadBench {
    private static final long PHASE_LIMIT_MINUTES = 30;
    /** Numbers each run's cgroup under {@code --server-quota}. */
    private static final java.util.concurrent.atomic.AtomicInteger QUOTAS = new java.util.concurrent.atomic.AtomicInteger();
    /** The server JVM's options unless {@code --server-jvm} says otherwise: a fixed, pre-touched G1 heap. */
    static final String DEFAULT_SERVER_JVM = "-Xms2g -Xmx2g -XX:+AlwaysPreTouch -XX:+UseG1GC";

    /**
     * The server's clock and CPU time at one phase edge: the whole process's, its JIT's, its GC's, and the
     * kernel's on its behalf ({@code kernel}; 0 from a build whose {@link LoadServer} does not report it).
     */
    record Mark(long cpu, long jit, long gc, long nanos, long kernel) {
        /** The origin, for an interval expressed as a mark ({@link #between}). */
        static final Mark ZERO = new Mark(0, 0, 0, 0, 0);

        /** {@return the interval from {@code from} to {@code to}, as a mark measured from {@link #ZERO}} */
        static Mark between(Mark from, Mark to) {
            return new Mark(to.cpu - from.cpu, to.jit - from.jit, to.gc - from.gc, to.nanos - from.nanos,
                    to.kernel - from.kernel);
        }

        /** {@return two intervals ({@link #between}) added up} */
        static Mark sum(Mark a, Mark b) {
            return new Mark(a.cpu + b.cpu, a.jit + b.jit, a.gc + b.gc, a.nanos + b.nanos, a.kernel + b.kernel);
        }

        static Mark parse(String line) {
            String[] f = line.split(" ");
            return new Mark(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    f.length > 5 ? Long.parseLong(f[5]) : 0);
        }

        /** The server's CPU time: the process's less the JIT compiler's, a one-time cost of a young JVM. */
        long server() {
            return cpu - jit;
        }
    }

    /** What one run measured; CPU figures are the server process's, less its idle background. */
    record Result(String server, String suite, int connections, int established, int churned, long records,
                  double handshakesPerSecond, double recordsPerSecond, double cpuUsPerHandshake, double cpuUsPerRecord,
                  double idleBeforeMsPerSecond, double idleHeldMsPerSecond, double bytesPerConnection, String failures,
                  double jitShareHandshakes, double gcShareHandshakes, double gcShareRecords,
                  double generatorUsPerHandshake, double generatorUsPerRecord,
                  double kernelUsPerHandshake, double kernelUsPerRecord,
                  double busyCpusHandshakes, double busyCpusRecords) {
    }

    /** The options of one bench run. */
    record Options(int clients, int records, int minRecords, int minHandshakes, int sourceIps, int generators, int warmup, int idleSeconds, int threads,
                   int rate, boolean histogram, List<String> serverJvm, List<String> generatorJvm,
                   String serverCpus, String generatorCpus, double serverQuota) {
    }

    private ServerLoadBench() {
    }

    /** Runs every suite × connection count × server ({@code --repeat} times) and prints the table and ratios. */
    public static void main(String[] args) throws Exception {
        run(args);
    }

    /** {@link #main}, returning the table's rows: per suite × count × server, the medians over the repeats. */
    static List<Result> run(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        List<Integer> counts = Arrays.stream(a.getOrDefault("connections", "1000,10000").split(","))
                .map(Integer::parseInt).toList();
        List<String> suites = List.of(a.getOrDefault("suites",
                "TLS_PSK_WITH_AES_128_CCM_8,TLS_PSK_WITH_AES_128_GCM_SHA256").split(","));
        List<String> servers = List.of(a.getOrDefault("servers", "dtls4j,scandium").split(","));
        int repeat = Integer.parseInt(a.getOrDefault("repeat", "1"));
        Options o = new Options(Integer.parseInt(a.getOrDefault("clients", "100")),
                Integer.parseInt(a.getOrDefault("records", "10")),
                Integer.parseInt(a.getOrDefault("min-records", "60000")),
                Integer.parseInt(a.getOrDefault("min-handshakes", "10000")),
                Integer.parseInt(a.getOrDefault("source-ips", "4")),
                Integer.parseInt(a.getOrDefault("generators", "2")),
                Integer.parseInt(a.getOrDefault("warmup", "50000")),
                Integer.parseInt(a.getOrDefault("idle", "3")),
                Integer.parseInt(a.getOrDefault("threads", Integer.toString(a.containsKey("server-cpus")
                        ? cpuCount(a.get("server-cpus")) : Runtime.getRuntime().availableProcessors()))),
                Integer.parseInt(a.getOrDefault("rate", "0")),
                Boolean.parseBoolean(a.getOrDefault("histogram", "false")),
                words("-XX:-UseDynamicNumberOfCompilerThreads " + a.getOrDefault("server-jvm", DEFAULT_SERVER_JVM)
                        + (a.containsKey("receive-buffer") ? " -Dload.receiveBuffer=" + Integer.parseInt(a.get("receive-buffer")) : "")),
                words(a.getOrDefault("generator-jvm", "-Xmx1g -XX:+UseSerialGC")),
                a.get("server-cpus"), a.get("generator-cpus"), Double.parseDouble(a.getOrDefault("server-quota", "0")));
        System.out.printf(Locale.ROOT, "java %s, %d processors, load average %.2f, clients %d, records %d x 100 B (at least %d in all), "
                + "handshakes at least %d, generators %d, warm-up %d, dtls4j workers and Scandium connector threads %d, "
                + "handshake rate %s, server JVM %s, generator JVM %s, server CPUs %s, generator CPUs %s, server quota %s%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage(), o.clients(), o.records(), o.minRecords(), o.minHandshakes(),
                o.generators(), o.warmup(), o.threads(), o.rate() == 0 ? "unlimited" : o.rate() + "/s", o.serverJvm(), o.generatorJvm(),
                o.serverCpus() == null ? "any" : o.serverCpus(), o.generatorCpus() == null ? "any" : o.generatorCpus(),
                o.serverQuota() > 0 ? o.serverQuota() + " CPU" : "none");
        List<Result> results = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            for (String suite : suites) {
                for (int n : counts) {
                    // Alternate which server goes first, so a drift in the machine's load hits both alike.
                    List<String> order = new ArrayList<>(servers);
                    if (r % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    for (String name : order) {
                        Result result = runOne(name, suite, n, o);
                        results.add(result);
                        printRun(result);
                    }
                }
            }
        }
        List<Result> medians = medians(results, suites, counts, servers);
        printTable(medians, repeat);
        printRatios(medians);
        return medians;
    }

    private static Result runOne(String name, String suite, int n, Options o) throws Exception {
        int halfOpen = 2 * o.clients() + 64;
        int churn = Math.max(0, o.minHandshakes() - n);
        int eq = name.indexOf('=');
        List<String> serverCommand = command(o.serverCpus(), o.serverJvm(), LoadServer.class.getName(), eq < 0 ? name : "dtls4j", suite,
                Integer.toString(n + o.warmup() + churn + 1024), Integer.toString(halfOpen), Integer.toString(o.threads()));
        if (eq >= 0) {
            serverCommand.set(serverCommand.indexOf("-cp") + 1, name.substring(eq + 1)); // another build of dtls4j
            name = name.substring(0, eq);
        }
        // Closed after the server (resources close in reverse), since a group in use cannot be removed.
        try (CpuQuota quota = o.serverQuota() <= 0 ? null
                    : CpuQuota.create(o.serverQuota(), "dtls4j-bench-" + ProcessHandle.current().pid() + "-" + QUOTAS.incrementAndGet());
             Child server = Child.start(quota == null ? serverCommand : quota.wrap(serverCommand), "server")) {
            int port = Integer.parseInt(server.awaitOut("port ").substring(5));
            if (quota != null) {
                // Every compiler thread exists by now (-XX:-UseDynamicNumberOfCompilerThreads).
                int outside = quota.releaseThreads(server.pid(), LoadServer::isJitThread);
                System.out.printf(Locale.ROOT, "  %s capped at %.2f CPU (cgroup %s), %d JIT threads outside the cap%n",
                        name, o.serverQuota(), quota, outside);
            }
            List<Child> gens = new ArrayList<>();
            try {
                for (int g = 0; g < o.generators(); g++) {
                    gens.add(Child.start(generator(port, suite, share(n, g, o.generators()),
                            Math.max(1, o.clients() / o.generators()), Math.max(o.records(), ceilDiv(o.minRecords(), n)),
                            share(o.warmup(), g, o.generators()), share(churn, g, o.generators()),
                            // A share of 0 would mean "unlimited" to that generator: at least 1 per second each.
                            o.rate() == 0 ? 0 : Math.max(1, share(o.rate(), g, o.generators())), o), "load"));
                }
                awaitAll(gens, "sync ready");
                Mark idle0 = Mark.parse(server.ask("cpu"));
                TimeUnit.SECONDS.sleep(o.idleSeconds());
                Mark idle1 = Mark.parse(server.ask("cpu"));
                // After the idle phase, not before: warm-up connections whose close_notify was lost in a burst
                // are still open, and by now in the state they will have at the held measurement (at rest, for
                // a dtls4j server resting after 2 s), so they cancel out instead of shrinking between the two.
                long baseline = Long.parseLong(server.ask("heap").substring(5));
                long baselineConnections = connections(server);
                double idleRate = rate(idle0, idle1);
                double idleKernelRate = rate(idle0, idle1, Mark::kernel);
                Mark start = Mark.parse(server.ask("cpu"));
                long genStart = cpuNanos(gens);
                sendAll(gens);
                long established = awaitAll(gens, "sync handshakes done ");
                Mark handshaken = Mark.parse(server.ask("cpu"));
                long genHandshaken = cpuNanos(gens);
                sendAll(gens);
                long records = awaitAll(gens, "sync records done ");
                Mark echoed = Mark.parse(server.ask("cpu"));
                long genEchoed = cpuNanos(gens);
                TimeUnit.SECONDS.sleep(o.idleSeconds());
                Mark held = Mark.parse(server.ask("cpu"));
                long heldHeap = Long.parseLong(server.ask("heap").substring(5));
                long heldConnections = connections(server);
                // Leftover warm-up connections (a close_notify lost in a burst) that a measured handshake from
                // the same address and port replaced were freed between the two heap figures: divide by the
                // connections the server gained, not by those established, or they come off the N's cost.
                long added = baselineConnections < 0 || heldConnections < 0 ? established
                        : heldConnections - baselineConnections;
                System.out.printf(Locale.ROOT, "  %s connections: %d at the baseline, %d held (%+d for %d established)%n",
                        name, baselineConnections, heldConnections, added, established);
                if (o.histogram()) {
                    System.out.println("class histogram of " + name + " with every connection held (top 25):");
                    server.send("histogram");
                    for (String line; !(line = server.awaitOut("")).equals("end"); ) {
                        System.out.println("  " + line);
                    }
                }
                Mark churnStart = Mark.parse(server.ask("cpu"));
                long genChurnStart = cpuNanos(gens);
                long churned = 0;
                if (churn > 0) {
                    sendAll(gens);
                    churned = awaitAll(gens, "sync churn done ");
                }
                Mark churnEnd = Mark.parse(server.ask("cpu"));
                long genChurnEnd = cpuNanos(gens);
                String stats = server.ask("stats");
                if (stats.length() > "stats ".length()) {
                    System.out.println("  " + name + " " + stats);
                }
                if (quota != null) {
                    System.out.println("  " + name + " cpu.stat " + quota.stat());
                }
                sendAll(gens);
                StringBuilder failures = new StringBuilder();
                for (Child g : gens) {
                    Map<String, String> report = parseReport(g.finish());
                    failures.append(failures.length() == 0 ? "" : "+").append(report.getOrDefault("handshakes failed", "?"));
                }
                // The handshake figures are over the handshake and churn phases together.
                long handshakes = established + churned;
                Mark hsTotal = Mark.sum(Mark.between(start, handshaken), Mark.between(churnStart, churnEnd));
                long recNanos = echoed.nanos() - handshaken.nanos();
                return new Result(name, suite, n, (int) established, (int) churned, records,
                        handshakes * 1e9 / hsTotal.nanos(), records * 1e9 / recNanos,
                        serverCpuUs(Mark.ZERO, hsTotal, idleRate, handshakes),
                        serverCpuUs(handshaken, echoed, idleRate, records),
                        idleRate * 1e3, rate(echoed, held) * 1e3,
                        added <= 0 ? 0 : (heldHeap - baseline) / (double) added, failures.toString(),
                        share(Mark.ZERO, hsTotal, Mark::jit, Mark::cpu), share(Mark.ZERO, hsTotal, Mark::gc, Mark::server),
                        share(handshaken, echoed, Mark::gc, Mark::server),
                        perOperationUs(genHandshaken - genStart + genChurnEnd - genChurnStart, handshakes),
                        perOperationUs(genEchoed - genHandshaken, records),
                        kernelUs(hsTotal, idleKernelRate, handshakes),
                        kernelUs(Mark.between(handshaken, echoed), idleKernelRate, records),
                        rate(Mark.ZERO, hsTotal), rate(handshaken, echoed));
            } finally {
                for (Child g : gens) {
                    g.close();
                }
            }
        }
    }

    /** Server CPU microseconds per operation over a phase, less the idle background over the same time. */
    private static double serverCpuUs(Mark from, Mark to, double idleRate, long count) {
        if (count == 0) {
            return 0;
        }
        double busy = (to.server() - from.server()) - idleRate * (to.nanos() - from.nanos());
        return busy / count / 1e3;
    }

    /** The kernel's CPU microseconds per operation for the server over an interval, less its idle background. */
    private static double kernelUs(Mark interval, double idleKernelRate, long count) {
        return count == 0 ? 0 : Math.max(0, interval.kernel() - idleKernelRate * interval.nanos()) / count / 1e3;
    }

    /** The generators' CPU time so far, every thread (JIT and GC included), as the OS reports it. */
    private static long cpuNanos(List<Child> gens) {
        long sum = 0;
        for (Child g : gens) {
            sum += g.process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }
        return sum;
    }

    private static double perOperationUs(long nanos, long count) {
        return count == 0 ? 0 : nanos / 1e3 / count;
    }

    /** part's share of whole between two marks. */
    private static double share(Mark from, Mark to, java.util.function.ToLongFunction<Mark> part,
            java.util.function.ToLongFunction<Mark> whole) {
        return (part.applyAsLong(to) - part.applyAsLong(from))
                / (double) Math.max(1, whole.applyAsLong(to) - whole.applyAsLong(from));
    }

    /** CPU nanoseconds per wall nanosecond between two marks. */
    private static double rate(Mark from, Mark to) {
        return rate(from, to, Mark::server);
    }

    /** CPU nanoseconds of {@code part} per wall nanosecond between two marks. */
    private static double rate(Mark from, Mark to, java.util.function.ToLongFunction<Mark> part) {
        return (part.applyAsLong(to) - part.applyAsLong(from)) / (double) Math.max(1, to.nanos() - from.nanos());
    }

    /**
     * {@return how many CPUs a Linux CPU list names} ("1", "0-3", "0,2-3"; taskset's {@code -c} form, strides
     * not accepted)
     */
    static int cpuCount(String list) {
        int count = 0;
        for (String part : list.split(",")) {
            int dash = part.indexOf('-');
            int first = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
            int last = dash < 0 ? first : Integer.parseInt(part.substring(dash + 1).trim());
            if (first < 0 || last < first) {
                throw new IllegalArgumentException("not a CPU list: " + list);
            }
            count += last - first + 1;
        }
        return count;
    }

    /** The connections the server holds (LoadServer's {@code connections}), or -1 from a build without it. */
    private static long connections(Child server) throws Exception {
        String reply = server.ask("connections");
        return reply.startsWith("connections ") ? Long.parseLong(reply.substring(12).trim()) : -1;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Generator g's share of a total split over every generator. */
    private static int share(int total, int g, int generators) {
        return total / generators + (g < total % generators ? 1 : 0);
    }

    private static List<String> generator(int port, String suite, int connections, int clients, int records,
            int warmup, int churn, int rate, Options o) {
        List<String> cmd = command(o.generatorCpus(), o.generatorJvm(), "org.dtls4j.cli.Main", "load",
                "--connect", "127.0.0.1:" + port,
                "--psk", LoadServer.IDENTITY + ":" + HexFormat.of().formatHex(LoadServer.KEY), "--ciphers", suite,
                "--clients", Integer.toString(clients), "--connections", Integer.toString(connections),
                "--records", Integer.toString(records), "--size", "100",
                "--source-ips", Integer.toString(o.sourceIps()), "--timeout", "30",
                "--warmup", Integer.toString(warmup), "--churn", Integer.toString(churn), "--sync");
        if (rate > 0) {
            cmd.addAll(List.of("--rate", Integer.toString(rate)));
        }
        return cmd;
    }

    /** A java command line of this JVM's binary and class path, pinned to {@code cpus} by taskset unless null. */
    static List<String> command(String cpus, List<String> jvm, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Waits until every generator has said {@code prefix}; returns the sum of the numbers after it, if any. */
    private static long awaitAll(List<Child> gens, String prefix) throws Exception {
        long sum = 0;
        for (Child g : gens) {
            String rest = g.awaitSync(prefix).substring(prefix.length()).trim();
            sum += rest.isEmpty() ? 0 : Long.parseLong(rest);
        }
        return sum;
    }

    /** Opens the next gate of every generator, back to back. */
    private static void sendAll(List<Child> gens) {
        for (Child g : gens) {
            g.send("go");
        }
    }

    private static void printRun(Result r) {
        System.out.printf(Locale.ROOT, "%-8s %-32s n=%-6d established=%-6d churn=%-6d hs/s=%8.1f rec/s=%9.1f "
                + "cpu/hs=%7.1f us cpu/rec=%6.1f us (kernel %.1f/%.2f us, JIT +%.0f%%, GC %.0f%%/%.0f%%) heap/conn=%7.0f B idle=%.1f/%.1f ms/s "
                + "busy=%.2f/%.2f CPU generators' cpu/hs=%.1f us cpu/rec=%.1f us failures=%s load=%.2f%n",
                r.server(), r.suite(), r.connections(), r.established(), r.churned(), r.handshakesPerSecond(), r.recordsPerSecond(),
                r.cpuUsPerHandshake(), r.cpuUsPerRecord(), r.kernelUsPerHandshake(), r.kernelUsPerRecord(),
                100 * r.jitShareHandshakes(), 100 * r.gcShareHandshakes(), 100 * r.gcShareRecords(),
                r.bytesPerConnection(), r.idleBeforeMsPerSecond(), r.idleHeldMsPerSecond(), r.busyCpusHandshakes(),
                r.busyCpusRecords(), r.generatorUsPerHandshake(), r.generatorUsPerRecord(), r.failures(), loadAverage());
    }

    /** One result per suite × count × server: the median of each figure over the repeats. */
    private static List<Result> medians(List<Result> all, List<String> suites, List<Integer> counts, List<String> servers) {
        List<Result> out = new ArrayList<>();
        for (String suite : suites) {
            for (int n : counts) {
                for (String server : servers) {
                    String name = server.contains("=") ? server.substring(0, server.indexOf('=')) : server;
                    List<Result> runs = all.stream().filter(r -> r.server().equals(name) && r.suite().equals(suite)
                            && r.connections() == n).toList();
                    if (runs.isEmpty()) {
                        continue;
                    }
                    out.add(new Result(name, suite, n, runs.get(0).established(), runs.get(0).churned(), runs.get(0).records(),
                            median(runs, Result::handshakesPerSecond), median(runs, Result::recordsPerSecond),
                            median(runs, Result::cpuUsPerHandshake), median(runs, Result::cpuUsPerRecord),
                            median(runs, Result::idleBeforeMsPerSecond), median(runs, Result::idleHeldMsPerSecond),
                            median(runs, Result::bytesPerConnection),
                            String.join(",", runs.stream().map(Result::failures).toList()),
                            median(runs, Result::jitShareHandshakes), median(runs, Result::gcShareHandshakes),
                            median(runs, Result::gcShareRecords), median(runs, Result::generatorUsPerHandshake),
                            median(runs, Result::generatorUsPerRecord), median(runs, Result::kernelUsPerHandshake),
                            median(runs, Result::kernelUsPerRecord), median(runs, Result::busyCpusHandshakes),
                            median(runs, Result::busyCpusRecords)));
                }
            }
        }
        return out;
    }

    private static double median(List<Result> runs, ToDoubleFunction<Result> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void printTable(List<Result> results, int repeat) {
        System.out.println();
        System.out.println(repeat > 1 ? "medians of " + repeat + " runs:" : "one run:");
        System.out.println("| suite | N | server | handshakes (N + churn) | raw hs/s | raw rec/s | server CPU µs/handshake | server CPU µs/record "
                + "| of which kernel µs (hs / rec) | hs per CPU-s | rec per CPU-s | heap/conn | idle CPU ms/s (before / held) | JIT, GC % (hs) "
                + "| server CPUs busy (hs / rec) | failures |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %,d | %s | %,d | %,.1f | %,.0f | %,.1f | %,.2f | %.1f / %.2f | %,.0f | %,.0f | %,.0f B | %.1f / %.1f "
                    + "| %.0f, %.0f | %.2f / %.2f | %s |%n",
                    shortName(r.suite()), r.connections(), r.server(), r.established() + r.churned(),
                    r.handshakesPerSecond(), r.recordsPerSecond(), r.cpuUsPerHandshake(), r.cpuUsPerRecord(),
                    r.kernelUsPerHandshake(), r.kernelUsPerRecord(), perSecond(r.cpuUsPerHandshake()),
                    perSecond(r.cpuUsPerRecord()), r.bytesPerConnection(), r.idleBeforeMsPerSecond(),
                    r.idleHeldMsPerSecond(), 100 * r.jitShareHandshakes(), 100 * r.gcShareHandshakes(),
                    r.busyCpusHandshakes(), r.busyCpusRecords(), r.failures());
        }
    }

    private static void printRatios(List<Result> results) {
        System.out.println();
        System.out.println("dtls4j / Scandium (higher is better but for heap/conn):");
        System.out.println("| suite | N | dtls4j build | raw hs/s | raw rec/s | hs per server-CPU-s | rec per server-CPU-s | heap/conn |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|");
        for (Result d : results) {
            if (d.server().equals("scandium")) {
                continue;
            }
            for (Result s : results) {
                if (s.server().equals("scandium") && s.suite().equals(d.suite()) && s.connections() == d.connections()) {
                    System.out.printf(Locale.ROOT, "| %s | %,d | %s | %.2f× | %.2f× | **%.2f×** | **%.2f×** | %.2f× |%n",
                            shortName(d.suite()), d.connections(), d.server(), d.handshakesPerSecond() / s.handshakesPerSecond(),
                            d.recordsPerSecond() / s.recordsPerSecond(), s.cpuUsPerHandshake() / d.cpuUsPerHandshake(),
                            s.cpuUsPerRecord() / d.cpuUsPerRecord(), d.bytesPerConnection() / s.bytesPerConnection());
                }
            }
        }
    }

    private static double perSecond(double us) {
        return us <= 0 ? 0 : 1e6 / us;
    }

    private static String shortName(String suite) {
        return suite.replace("TLS_PSK_WITH_", "PSK ").replace("_SHA256", "");
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
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

    /**
     * A child JVM: its standard output and its {@code sync} lines of standard error are queued line by line
     * for the driver to wait on; other lines of standard error are passed on tagged (progress lines aside);
     * its input takes a line at a time.
     */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final String tag;
        private final PrintWriter input;
        private final BlockingQueue<String> out = new LinkedBlockingQueue<>();
        private final BlockingQueue<String> sync = new LinkedBlockingQueue<>();
        private Thread outPump;

        private Child(Process process, String tag) {
            this.process = process;
            this.tag = tag;
            this.input = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        }

        static Child start(List<String> command, String tag) throws IOException {
            Child c = new Child(new ProcessBuilder(command).start(), tag);
            c.outPump = pump(c.process.getInputStream(), c.out::add, tag + "-out");
            pump(c.process.getErrorStream(), c::onError, tag + "-err");
            return c;
        }

        private void onError(String line) {
            if (line.startsWith("sync ")) {
                sync.add(line);
            } else if (!line.startsWith("t=") && !line.startsWith("SLF4J")) {
                System.out.println("  [" + tag + "] " + line);
            }
        }

        private static Thread pump(InputStream in, java.util.function.Consumer<String> sink, String name) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        sink.accept(line);
                    }
                } catch (IOException e) {
                    sink.accept("error " + e);
                }
            }, name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        void send(String line) {
            input.println(line);
        }

        /** {@return the child's process id (the JVM's: the shell and taskset in front of it exec into it)} */
        long pid() {
            return process.pid();
        }

        /** Sends a one-line command and returns the reply line that starts with the command. */
        String ask(String command) throws Exception {
            send(command);
            return awaitOut(command + " ");
        }

        String awaitOut(String prefix) throws Exception {
            return await(out, prefix);
        }

        String awaitSync(String prefix) throws Exception {
            return await(sync, prefix);
        }

        private String await(BlockingQueue<String> q, String prefix) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(PHASE_LIMIT_MINUTES);
            while (true) {
                String line = q.poll(1, TimeUnit.SECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
                if (line == null && !process.isAlive() && q.isEmpty()) {
                    throw new IllegalStateException(tag + " exited (" + process.exitValue() + ") before '" + prefix + "'");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(tag + " said no '" + prefix + "' in " + PHASE_LIMIT_MINUTES + " min");
                }
            }
        }

        /** Closes the input, waits for the exit and returns everything the child wrote on standard output. */
        String finish() throws Exception {
            input.close();
            if (!process.waitFor(PHASE_LIMIT_MINUTES, TimeUnit.MINUTES)) {
                throw new IllegalStateException(tag + " did not finish");
            }
            outPump.join(TimeUnit.SECONDS.toMillis(20));
            StringBuilder b = new StringBuilder();
            for (String line; (line = out.poll()) != null; ) {
                b.append(line).append('\n');
            }
            return b.toString();
        }

        @Override
        public void close() {
            input.close();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                process.destroy();
                Thread.currentThread().interrupt();
            }
        }
    }
}
