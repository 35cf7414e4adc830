package org.dtls4j.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsServer;
import org.dtls4j.crypto.CipherSuite;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * One PSK echo server under {@link ServerLoadBench}'s load, alone in its own JVM so that the JVM's CPU time
 * and heap are the server's: dtls4j's {@link DtlsServer} or Scandium 3.14's {@code DTLSConnector}.
 *
 * <p>Started as {@code LoadServer NAME SUITE MAX_CONNECTIONS MAX_HALF_OPEN WORKERS} (WORKERS: dtls4j's worker
 * threads, or Scandium's connector threads); prints {@code port P}
 * and then answers one line per command read from standard input, so the driving process can mark the
 * edges of its phases in the server's own clock and CPU time:
 * <ul>
 *   <li>{@code cpu} → {@code cpu PROCESS_NS JIT_NS GC_NS NANO_TIME KERNEL_NS}: the process's CPU time
 *       ({@code com.sun.management.OperatingSystemMXBean#getProcessCpuTime}: every thread), the parts of
 *       it spent by the JIT compiler threads and by the GC and VM threads (Linux: each thread's
 *       {@code /proc/self/task/TID/schedstat} by its name; 0 elsewhere), {@link System#nanoTime()}, and
 *       the part of the process's CPU time spent in the kernel on its behalf (Linux: {@code stime} of
 *       {@code /proc/self/stat}, in 10 ms ticks; 0 elsewhere) — system calls, wakeups, the loopback's
 *       delivery of what it sends.
 *       Run this JVM with {@code -XX:-UseDynamicNumberOfCompilerThreads}, so no compiler thread exits and
 *       takes its time with it;</li>
 *   <li>{@code heap} → {@code heap BYTES}: heap in use after full collections ({@link #usedHeapAfterGc});</li>
 *   <li>{@code histogram} → the top of the live-object class histogram, then {@code end};</li>
 *   <li>{@code stats} → {@code stats ...}: dtls4j's {@link DtlsServer.Stats} (nothing for Scandium);</li>
 *   <li>{@code connections} → {@code connections N}: the connections the server holds (dtls4j: live and at
 *       rest; Scandium: its connection store's, closed ones it keeps until they are stale included);</li>
 *   <li>{@code quit} or the end of the input → closes the server and exits.</li>
 * </ul>
 */
public final class LoadServer {
    static final String IDENTITY = "load-client";
    static final byte[] KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    /**
     * The receive buffer (SO_RCVBUF) both servers ask for, from {@code -Dload.receiveBuffer=BYTES}
     * ({@code ServerLoadBench --receive-buffer}); 0, the default, leaves each at the OS's default.
     */
    static final int RECEIVE_BUFFER = Integer.getInteger("load.receiveBuffer", 0);

    /** A started server. */
    private interface Server extends AutoCloseable {
        InetSocketAddress address();

        /** One line of counters, or "" where the server keeps none we read. */
        String stats();

        /** The connections the server holds, each of which its heap figure includes. */
        long connections();

        @Override
        void close();
    }

    private LoadServer() {
    }

    /** Starts the server named by the arguments and serves the commands of standard input until it ends. */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LoadServer dtls4j|scandium SUITE MAX_CONNECTIONS MAX_HALF_OPEN WORKERS");
            System.exit(2);
        }
        int maxConnections = Integer.parseInt(args[2]);
        int maxHalfOpen = Integer.parseInt(args[3]);
        int workers = Integer.parseInt(args[4]);
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Server server = args[0].equals("dtls4j") ? dtls4j(bind, args[1], maxConnections, maxHalfOpen, workers)
                : args[0].equals("scandium") ? scandium(bind, args[1], maxConnections, workers)
                : unknown(args[0])) {
            System.out.println("port " + server.address().getPort());
            System.out.flush();
            serve(server);
        }
        System.exit(0);
    }

    private static Server unknown(String name) {
        throw new IllegalArgumentException("unknown server " + name);
    }

    private static void serve(Server server) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
            switch (line) {
                case "cpu" -> {
                    long[] kinds = jitAndGcCpu();
                    System.out.println("cpu " + os.getProcessCpuTime() + " " + kinds[0] + " " + kinds[1] + " "
                            + System.nanoTime() + " " + kernelCpu());
                }
                case "heap" -> System.out.println("heap " + usedHeapAfterGc());
                case "histogram" -> {
                    System.out.println(histogram());
                    System.out.println("end");
                }
                case "stats" -> System.out.println("stats " + server.stats());
                case "connections" -> System.out.println("connections " + server.connections());
                default -> System.out.println("error unknown command " + line);
            }
            System.out.flush();
        }
    }

    /**
     * CPU nanoseconds of this JVM's JIT compiler threads and of its GC and VM threads (whose safepoint work
     * includes the GC's pauses), read from Linux's per-thread scheduler statistics; {0, 0} where there are none.
     */
    static long[] jitAndGcCpu() {
        long[] sums = new long[2];
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return sums;
        }
        for (File task : tasks) {
            try {
                String name = Files.readString(task.toPath().resolve("comm")).strip();
                String schedstat = Files.readString(task.toPath().resolve("schedstat"));
                long ns = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                if (isJitThread(name)) {
                    sums[0] += ns;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
                    sums[1] += ns;
                }
            } catch (IOException | RuntimeException e) {
                // The thread ended while we read it.
            }
        }
        return sums;
    }

    /** {@return whether a thread of this Linux name ({@code comm}, 15 characters at most) is the JIT's: a compiler or the code sweeper} */
    static boolean isJitThread(String comm) {
        return comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") || comm.equals("Sweeper thread");
    }

    /**
     * CPU nanoseconds the kernel spent for this process ({@code stime}, field 15 of {@code /proc/self/stat},
     * in USER_HZ ticks, which Linux fixes at 100 per second for user space); 0 where there is no such file.
     */
    static long kernelCpu() {
        try {
            String stat = Files.readString(new File("/proc/self/stat").toPath());
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[15 - 3]) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static Server dtls4j(InetSocketAddress bind, String suite, int maxConnections, int maxHalfOpen, int workers)
            throws IOException {
        DtlsConfig config = DtlsConfig.builder()
                .pskStore(id -> Arrays.equals(id, IDENTITY.getBytes(StandardCharsets.US_ASCII)) ? KEY.clone() : null)
                .cipherSuites(CipherSuite.byName(suite).orElseThrow()).build();
        // The per-source cap guards against one host taking every half-open slot; the load comes from a few
        // loopback addresses on purpose, so it would only refuse (and delay) the generator's own handshakes.
        // -Dload.restAfterMillis=N sets DtlsServer's rest delay (0: never rest, to measure live connections);
        // without it the server keeps its default.
        DtlsServer.Builder b = DtlsServer.builder(config).bind(bind).workers(workers).maxConnections(maxConnections)
                .maxHalfOpen(maxHalfOpen).maxHalfOpenPerAddress(maxHalfOpen)
                .idleTimeout(Duration.ofMinutes(10)).handler((server, peer, data) -> server.send(peer, data));
        Long restAfter = Long.getLong("load.restAfterMillis");
        if (restAfter != null) {
            b.restAfter(restAfter > 0 ? Duration.ofMillis(restAfter) : null);
        }
        if (RECEIVE_BUFFER > 0) {
            b.receiveBufferSize(RECEIVE_BUFFER);
        }
        DtlsServer s = b.start();
        System.err.println("dtls4j: receive buffer " + s.receiveBufferSize() + " B granted per socket");
        return new Server() {
            public InetSocketAddress address() {
                return s.localAddress();
            }

            public String stats() {
                // The kernel's drops on the server's socket: close_notify lost in a closing burst, say.
                return s.stats() + " receiveDrops=" + s.receiveDrops();
            }

            public long connections() {
                return s.stats().connections();
            }

            public void close() {
                s.close();
            }
        };
    }

    /**
     * Scandium's server with its defaults but for what this load needs: the one PSK, the one suite, room
     * for {@code maxConnections}, and HelloVerifyRequest for PSK as dtls4j's server does (both already
     * Scandium's defaults in 3.14, set here so a change of default cannot skew the comparison), and
     * {@code connectorThreads} protocol threads, as many as dtls4j's workers (Scandium's own default is
     * one per processor, which is also what {@link ServerLoadBench} passes unless told {@code --threads});
     * its one receiver thread stays its default; and {@link #RECEIVE_BUFFER}, when set, as dtls4j's gets. Its
     * logging goes to SLF4J's no-operation logger (no SLF4J binding is on the class path).
     */
    private static Server scandium(InetSocketAddress bind, String suite, int maxConnections, int connectorThreads)
            throws IOException {
        org.eclipse.californium.scandium.config.DtlsConfig.register();
        Configuration cfg = Configuration.createStandardWithoutFile();
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_ROLE,
                org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole.SERVER_ONLY);
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_RECOMMENDED_CIPHER_SUITES_ONLY, false);
        cfg.setAsList(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_CIPHER_SUITES,
                org.eclipse.californium.scandium.dtls.cipher.CipherSuite.valueOf(suite));
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_MAX_CONNECTIONS, maxConnections);
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true);
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST_FOR_PSK, true);
        cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, connectorThreads);
        if (RECEIVE_BUFFER > 0) {
            cfg.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_RECEIVE_BUFFER_SIZE, RECEIVE_BUFFER);
        }
        System.err.printf(Locale.ROOT, "scandium: receiver threads %d, connector threads %d, max connections %d%n",
                cfg.get(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_RECEIVER_THREAD_COUNT),
                cfg.get(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT),
                cfg.get(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_MAX_CONNECTIONS));
        DtlsConnectorConfig config = DtlsConnectorConfig.builder(cfg).setAddress(bind)
                .setAdvancedPskStore(new AdvancedSinglePskStore(IDENTITY, KEY.clone())).build();
        ScandiumConnector c = new ScandiumConnector(config);
        c.setRawDataReceiver(in -> c.send(RawData.outbound(in.getBytes(), in.getEndpointContext(), null, false)));
        c.start();
        return new Server() {
            public InetSocketAddress address() {
                return c.getAddress();
            }

            public String stats() {
                return "";
            }

            public long connections() {
                return maxConnections - c.store.remainingCapacity();
            }

            public void close() {
                c.destroy();
            }
        };
    }

    /** Scandium's connector with its own default connection store, kept where the count can be read. */
    private static final class ScandiumConnector extends DTLSConnector {
        final org.eclipse.californium.scandium.dtls.ResumptionSupportingConnectionStore store;

        ScandiumConnector(DtlsConnectorConfig config) {
            this(config, createConnectionStore(config));
        }

        private ScandiumConnector(DtlsConnectorConfig config,
                org.eclipse.californium.scandium.dtls.ResumptionSupportingConnectionStore store) {
            super(config, store);
            this.store = store;
        }
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

    /** The top of the live-object class histogram (as {@code jcmd GC.class_histogram}). */
    private static String histogram() {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            String[] lines = text.toString().split("\n");
            return String.join("\n", Arrays.copyOf(lines, Math.min(lines.length, 27)));
        } catch (javax.management.JMException e) {
            return "no class histogram: " + e;
        }
    }
}
