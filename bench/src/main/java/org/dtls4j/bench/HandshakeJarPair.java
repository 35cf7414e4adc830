package org.dtls4j.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * CPU time and bytes per dtls4j handshake of two builds, compared in one JVM: each benchmarks jar is loaded
 * by a class loader of its own, its {@link HandshakeBench.Dtls4j} state runs slices of handshakes, and the
 * builds alternate slice by slice. Both see the same load at nearly the same moment, so the per-pair ratio
 * holds on a busy host where two separate runs (JMH or {@link HandshakeCpuRatio}) a minute apart differ more
 * than the code does. Reports each build's median CPU time and bytes per handshake and the median (and
 * quartiles) of the per-pair ratios second / first.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.dtls4j.bench.HandshakeJarPair KX WARMUP PAIRS
 * HANDSHAKES BEFORE.jar AFTER.jar}, e.g. {@code PSK 300 600 100 /tmp/main.jar bench/target/benchmarks.jar}.
 */
public final class HandshakeJarPair {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private HandshakeJarPair() {
    }

    /** One build's benchmark state, reached by reflection through its own class loader. */
    private static final class Build {
        final String name;
        final Object state;
        final Method handshake;

        Build(String jar, String kx) throws Exception {
            name = jar;
            URLClassLoader loader = new URLClassLoader(new URL[] {new File(jar).toURI().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> c = Class.forName(HandshakeBench.Dtls4j.class.getName(), true, loader);
            state = c.getDeclaredConstructor().newInstance();
            Field kxField = c.getField("kx");
            kxField.set(state, enumConstant(kxField.getType(), kx));
            c.getField("provider").set(state, "JDK");
            c.getMethod("setup").invoke(state);
            // Package-private in every build; the unnamed module lets us open it.
            handshake = c.getDeclaredMethod("handshake", IntConsumer.class);
            handshake.setAccessible(true);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static Object enumConstant(Class<?> type, String name) {
            return Enum.valueOf((Class) type, name);
        }

        /** {@return CPU nanoseconds and bytes per handshake over {@code n} handshakes} */
        double[] slice(int n) throws Exception {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long bytes = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                handshake.invoke(state, (Object) null);
            }
            return new double[] {(THREADS.getCurrentThreadCpuTime() - cpu) / (double) n,
                (THREADS.getCurrentThreadAllocatedBytes() - bytes) / (double) n};
        }
    }

    private static double quantile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[Math.min(v.length - 1, (int) (v.length * q))];
    }

    public static void main(String[] args) throws Exception {
        String kx = args[0];
        int warmup = Integer.parseInt(args[1]);
        int pairs = Integer.parseInt(args[2]);
        int handshakes = Integer.parseInt(args[3]);
        Build[] builds = {new Build(args[4], kx), new Build(args[5], kx)};
        double[][] cpu = new double[2][pairs];
        double[][] bytes = new double[2][pairs];
        for (int round = -warmup; round < pairs; round++) {
            // Alternate which build goes first, so neither always runs right after the other's garbage.
            for (int k = 0; k < 2; k++) {
                int b = (Math.floorMod(round, 2) + k) % 2;
                double[] s = builds[b].slice(handshakes);
                if (round >= 0) {
                    cpu[b][round] = s[0];
                    bytes[b][round] = s[1];
                }
            }
        }
        double[] ratio = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            ratio[i] = cpu[1][i] / cpu[0][i];
        }
        System.out.printf("%s, %d pairs of %d handshakes after %d warm-up pairs, %s%n", kx, pairs, handshakes, warmup,
                System.getProperty("java.vm.version"));
        for (int b = 0; b < 2; b++) {
            System.out.printf("%-50s %8.2f us CPU/handshake (median) %9.0f B/handshake%n", builds[b].name,
                    quantile(cpu[b], 0.5) / 1000, quantile(bytes[b], 0.5));
        }
        System.out.printf("second / first CPU, per pair: median %.3f, quartiles %.3f-%.3f%n",
                quantile(ratio, 0.5), quantile(ratio, 0.25), quantile(ratio, 0.75));
        System.exit(0);
    }
}
