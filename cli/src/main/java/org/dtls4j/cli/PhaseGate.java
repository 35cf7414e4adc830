package org.dtls4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Selector;

/**
 * The phase edges of {@code dtls load --sync}: a daemon thread counts the lines of the driving process's
 * input, and the generator's loop asks whether gate {@code k} (the k-th line) has opened. Each line wakes
 * the generator's selector, so a phase starts as soon as its line arrives rather than at the next timer.
 * The end of the input (the driver exited or closed the pipe) opens every gate, so a generator never
 * outlives its driver waiting.
 */
final class PhaseGate {
    private final Selector selector;
    private volatile int opened;

    private PhaseGate(Selector selector) {
        this.selector = selector;
    }

    /** Starts counting the lines of {@code in}; every open gate wakes {@code selector}. */
    static PhaseGate reading(InputStream in, Selector selector) {
        PhaseGate gate = new PhaseGate(selector);
        Thread t = new Thread(() -> gate.count(in), "dtls-load-sync");
        t.setDaemon(true);
        t.start();
        return gate;
    }

    /** Whether the {@code k}-th line (counting from 1) has arrived, or the input has ended. */
    boolean isOpen(int k) {
        return opened >= k;
    }

    private void count(InputStream in) {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            while (r.readLine() != null) {
                opened++;
                selector.wakeup();
            }
        } catch (IOException e) {
            // A broken pipe is the driver gone: the same as the end of its input.
        }
        opened = Integer.MAX_VALUE;
        selector.wakeup();
    }
}
