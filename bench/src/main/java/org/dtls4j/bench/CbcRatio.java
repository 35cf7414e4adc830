package org.dtls4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The records/s ratio of {@link CbcBench}'s {@code ours} to its {@code raw}, measured interleaved: both
 * states run in alternating slices of a fixed number of operations, so load from other processes on a
 * shared host hits both alike (a sequential JMH run on a loaded host can differ 10× between
 * iterations). Reports the median over slices of ours/raw throughput for each (mac, mode, size), and
 * the ratio of the two 10th-percentile slice times: on a host shared with other builds most slices are
 * preempted somewhere, and the fastest slices are the ones that ran undisturbed.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.dtls4j.bench.CbcRatio [slices [opsPer100BSlice]]};
 * 1 KiB slices do a quarter of the 100-byte slice's operations. Short slices (the default, 200 operations,
 * some 100 µs) are preempted less often than long ones.
 */
public final class CbcRatio {
    private CbcRatio() {
    }

    public static void main(String[] args) throws Exception {
        int slices = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int smallOps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        List<CbcBench[]> pairs = new ArrayList<>();
        for (String mac : new String[] {"HMAC_SHA256", "HMAC_SHA1", "HMAC_SHA384"}) {
            for (String mode : new String[] {"etm", "mte"}) {
                for (int size : new int[] {100, 1024}) {
                    pairs.add(new CbcBench[] {state(mac, mode, size, "ours"), state(mac, mode, size, "raw")});
                }
            }
        }
        // Every configuration is warmed up before any is measured: the code is shared, and the first
        // configuration measured right after its own short warm-up ran several times slower than later.
        for (int round = 0; round < 5; round++) {
            for (CbcBench[] pair : pairs) {
                int ops = ops(pair[0], smallOps);
                for (int i = 0; i < 20_000 / ops; i++) {
                    run(pair[0], ops);
                    run(pair[1], ops);
                }
            }
        }
        System.out.println("mac mode size ours/raw(median) ours/raw(p10) ours_ops/s(median) raw_ops/s(median)");
        for (CbcBench[] pair : pairs) {
            measure(pair[0], pair[1], ops(pair[0], smallOps), slices);
        }
    }

    private static int ops(CbcBench b, int smallOps) {
        return b.size == 100 ? smallOps : Math.max(1, smallOps / 4);
    }

    /** Alternating slices of ours and raw, which runs first swapped every slice; prints one line. */
    private static void measure(CbcBench ours, CbcBench raw, int ops, int slices) throws Exception {
        double[] ratio = new double[slices];
        double[] oursTime = new double[slices];
        double[] rawTime = new double[slices];
        for (int i = 0; i < slices; i++) {
            boolean oursFirst = (i & 1) == 0;
            long a = run(oursFirst ? ours : raw, ops);
            long b = run(oursFirst ? raw : ours, ops);
            oursTime[i] = oursFirst ? a : b;
            rawTime[i] = oursFirst ? b : a;
            ratio[i] = rawTime[i] / oursTime[i];
        }
        System.out.printf("%s %s %d %.3f %.3f %.0f %.0f%n", ours.mac, ours.mode, ours.size, median(ratio),
                percentile(rawTime, 0.1) / percentile(oursTime, 0.1), ops * 1e9 / median(oursTime),
                ops * 1e9 / median(rawTime));
    }

    private static CbcBench state(String mac, String mode, int size, String impl) throws Exception {
        CbcBench b = new CbcBench();
        b.mac = mac;
        b.mode = mode;
        b.size = size;
        b.impl = impl;
        b.setup();
        return b;
    }

    /** Nanoseconds for {@code ops} seal + open operations. */
    private static long run(CbcBench b, int ops) throws Exception {
        long start = System.nanoTime();
        int sink = 0;
        for (int i = 0; i < ops; i++) {
            sink += b.sealOpen();
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 42) {
            System.out.print("");
        }
        return elapsed;
    }

    private static double median(double[] v) {
        return percentile(v, 0.5);
    }

    private static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) (p * (s.length - 1))];
    }
}
