package org.dtls4j.bench;

import java.util.Arrays;

/**
 * The records/s ratio of {@link CbcBench}'s {@code ours} to its {@code raw}, measured interleaved: both
 * states run in alternating slices of a fixed number of operations, so load from other processes on a
 * shared host hits both alike (a sequential JMH run on a loaded host can differ 10× between
 * iterations). Reports the median over slices of ours/raw throughput for each (mac, mode, size).
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.dtls4j.bench.CbcRatio [slices]}.
 */
public final class CbcRatio {
    private CbcRatio() {
    }

    public static void main(String[] args) throws Exception {
        int slices = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        System.out.println("mac mode size ours/raw(median) ours_ops/s(median) raw_ops/s(median)");
        for (String mac : new String[] {"HMAC_SHA256", "HMAC_SHA1"}) {
            for (String mode : new String[] {"etm", "mte"}) {
                for (int size : new int[] {100, 1024}) {
                    CbcBench ours = state(mac, mode, size, "ours");
                    CbcBench raw = state(mac, mode, size, "raw");
                    int ops = size == 100 ? 2000 : 500;
                    for (int i = 0; i < 20; i++) { // warm-up
                        run(ours, ops);
                        run(raw, ops);
                    }
                    double[] ratio = new double[slices];
                    double[] oursRate = new double[slices];
                    double[] rawRate = new double[slices];
                    for (int i = 0; i < slices; i++) {
                        boolean oursFirst = (i & 1) == 0;
                        long a = run(oursFirst ? ours : raw, ops);
                        long b = run(oursFirst ? raw : ours, ops);
                        long tOurs = oursFirst ? a : b;
                        long tRaw = oursFirst ? b : a;
                        ratio[i] = (double) tRaw / tOurs;
                        oursRate[i] = ops * 1e9 / tOurs;
                        rawRate[i] = ops * 1e9 / tRaw;
                    }
                    System.out.printf("%s %s %d %.3f %.0f %.0f%n", mac, mode, size, median(ratio), median(oursRate),
                            median(rawRate));
                }
            }
        }
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
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
