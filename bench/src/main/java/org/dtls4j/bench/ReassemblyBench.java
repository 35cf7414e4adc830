package org.dtls4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.handshake.RawMessage;
import org.dtls4j.handshake.Reassembler;
import org.dtls4j.handshake.config.ReassemblyLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reassembly of one handshake message from n overlapping two-byte fragments ([i, i + 2) for i < n, so
 * every byte but the ends arrives twice) in shuffled order, for n = 1,000, 10,000 and 100,000. With the
 * range tree the time per fragment stays near constant (O(log n)); a linear scan of held ranges would
 * grow it with n. The in-order run is the baseline: every fragment extends the one range held.
 * Divide the reported time per operation by n for the time per fragment.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReassemblyBench {
    @Param({"1000", "10000", "100000"})
    public int fragments;

    private HandshakeFragment[] shuffled;
    private HandshakeFragment[] inOrder;
    private ReassemblyLimits limits;

    @Setup
    public void setup() {
        byte[] message = new byte[fragments + 1];
        new Random(1).nextBytes(message);
        List<HandshakeFragment> list = new ArrayList<>(fragments);
        for (int i = 0; i < fragments; i++) {
            list.add(new HandshakeFragment(HandshakeType.CERTIFICATE, message.length, 0, i,
                    Arrays.copyOfRange(message, i, i + 2)));
        }
        inOrder = list.toArray(new HandshakeFragment[0]);
        Collections.shuffle(list, new Random(2));
        shuffled = list.toArray(new HandshakeFragment[0]);
        limits = new ReassemblyLimits(message.length, message.length, 0, fragments);
    }

    private RawMessage reassemble(HandshakeFragment[] input) {
        Reassembler r = new Reassembler(limits);
        for (HandshakeFragment f : input) {
            r.offer(f);
        }
        RawMessage m = r.poll();
        if (m == null) {
            throw new IllegalStateException("message did not complete");
        }
        return m;
    }

    @Benchmark
    public RawMessage shuffledOverlapping() {
        return reassemble(shuffled);
    }

    @Benchmark
    public RawMessage inOrderOverlappingBaseline() {
        return reassemble(inOrder);
    }
}
