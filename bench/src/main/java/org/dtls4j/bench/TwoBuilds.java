package org.dtls4j.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Two builds of dtls4j side by side in one JVM, for before/after ratios on a loaded machine: each build's
 * {@code benchmarks.jar} gets its own class loader, and batches of the same workload alternate between the
 * two (the first build first on even pairs, the second first on odd ones); the median of the per-pair
 * ratios is printed with each side's median rate. Load that comes and goes hits both sides alike.
 *
 * <p>Workloads: {@link AppDataBench}'s {@code dtls4j} (one connection, 100 B and 1 KiB records, PSK
 * AES-128-GCM and AES-128-CCM_8: seal, then open) and {@link CidRoutingBench} by address over
 * {@code connections} connections (16 B records, opened by the server round-robin over every connection,
 * so consecutive records never share a key). Both builds must have those classes with the {@code suite}
 * parameter.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.dtls4j.bench.TwoBuilds before.jar after.jar
 * [pairs] [connections]}.
 */
public final class TwoBuilds {
    private static final String[] SUITES = {"TLS_PSK_WITH_AES_128_GCM_SHA256", "TLS_PSK_WITH_AES_128_CCM_8"};

    private TwoBuilds() {
    }

    /** One build's workload: {@link #batch()} runs a fixed amount of work and returns operations per second. */
    private interface Side {
        double batch() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        ClassLoader before = loader(args[0]);
        ClassLoader after = loader(args[1]);
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        System.out.printf(Locale.ROOT, "JDK %s; before %s; after %s; %d pairs%n", System.getProperty("java.version"),
                args[0], args[1], pairs);
        for (String suite : SUITES) {
            for (int size : new int[] {100, 1024}) {
                compare("AppDataBench.dtls4j " + size + " B " + suite, appData(before, suite, size),
                        appData(after, suite, size), pairs);
            }
        }
        for (String suite : SUITES) {
            compare("CidRoutingBench address " + connections + " connections " + suite,
                    routing(before, suite, connections), routing(after, suite, connections), pairs);
        }
    }

    private static ClassLoader loader(String jar) throws Exception {
        return new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    }

    private static void compare(String name, Side a, Side b, int pairs) throws Exception {
        for (int i = 0; i < 3; i++) {
            a.batch();
            b.batch();
        }
        double[] ra = new double[pairs];
        double[] rb = new double[pairs];
        double[] ratio = new double[pairs];
        for (int p = 0; p < pairs; p++) {
            if (p % 2 == 0) {
                ra[p] = a.batch();
                rb[p] = b.batch();
            } else {
                rb[p] = b.batch();
                ra[p] = a.batch();
            }
            ratio[p] = rb[p] / ra[p];
        }
        System.out.printf(Locale.ROOT, "%-70s before %,10.0f/s  after %,10.0f/s  after/before median %.3f (min %.3f, max %.3f)%n",
                name, median(ra), median(rb), median(ratio), Arrays.stream(ratio).min().orElse(0),
                Arrays.stream(ratio).max().orElse(0));
    }

    private static Side appData(ClassLoader loader, String suite, int size) throws Exception {
        Class<?> bench = loader.loadClass("org.dtls4j.bench.AppDataBench");
        Class<?> sizeClass = loader.loadClass("org.dtls4j.bench.AppDataBench$Size");
        Class<?> stateClass = loader.loadClass("org.dtls4j.bench.AppDataBench$Dtls4j");
        Object sizeState = sizeClass.getConstructor().newInstance();
        sizeClass.getField("size").setInt(sizeState, size);
        sizeClass.getMethod("setup").invoke(sizeState);
        Object state = stateClass.getConstructor().newInstance();
        stateClass.getField("suite").set(state, suite);
        stateClass.getMethod("setup").invoke(state);
        Object instance = bench.getConstructor().newInstance();
        Method op = bench.getMethod("dtls4j", sizeClass, stateClass);
        int n = 20_000;
        return () -> {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                op.invoke(instance, sizeState, state);
            }
            return n * 1e9 / (System.nanoTime() - start);
        };
    }

    private static Side routing(ClassLoader loader, String suite, int connections) throws Exception {
        Class<?> bench = loader.loadClass("org.dtls4j.bench.CidRoutingBench");
        Object b = bench.getConstructor().newInstance();
        bench.getField("routing").set(b, "address");
        bench.getField("connections").setInt(b, connections);
        bench.getField("rounds").setInt(b, 1);
        Field suiteField = bench.getField("suite");
        suiteField.set(b, suite);
        bench.getMethod("handshakes").invoke(b);
        Method seal = bench.getMethod("seal");
        Method batch = bench.getDeclaredMethod("batch");
        batch.setAccessible(true);
        return () -> {
            seal.invoke(b);
            return (double) batch.invoke(b);
        };
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
