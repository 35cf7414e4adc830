package org.dtls4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code dtls load} against an in-process {@code dtls server} over loopback. */
class LoadCommandTest {
    private static final String PSK = "id:0102030405060708090a0b0c0d0e0f10";

    @Test
    void everyConnectionHandshakesEchoesAndCloses() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = load(server, "--clients", "8", "--connections", "40", "--records", "3", "--size", "64");
            assertEquals("40", value(r.out(), "connections started"));
            assertEquals("40", value(r.out(), "handshakes completed"));
            assertEquals("0", value(r.out(), "handshakes failed"));
            assertEquals("120 of 120 (0 timed out)", value(r.out(), "records echoed"));
            assertTrue(Integer.parseInt(value(r.out(), "peak open connections")) <= 8, r.out());
            assertTrue(value(r.out(), "handshake latency ms").startsWith("p50 "), r.out());
        }
    }

    @Test
    void keepModeHoldsEveryConnectionOpenAtOnce() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = load(server, "--clients", "5", "--connections", "30", "--records", "1", "--keep");
            assertEquals("30", value(r.out(), "handshakes completed"));
            assertEquals("30", value(r.out(), "peak open connections"));
            assertEquals("30 of 30 (0 timed out)", value(r.out(), "records echoed"));
        }
    }

    @Test
    void holdKeepsEveryConnectionOpenAndSaysSoBeforeClosing() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = load(server, "--clients", "5", "--connections", "10", "--records", "1", "--keep", "--hold", "1");
            assertTrue(r.err().contains("holding 10 open connections for 1s"), r.err());
            assertEquals("10", value(r.out(), "peak open connections"));
            assertEquals("10 of 10 (0 timed out)", value(r.out(), "records echoed"));
        }
    }

    @Test
    void syncWaitsForADriverLineAtEachPhaseEdge() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK);
             PipedOutputStream driver = new PipedOutputStream();
             PipedInputStream in = new PipedInputStream(driver)) {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            PrintStream err = new PrintStream(new LineSink(lines), true, StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String address = server.address();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"load",
                    "--connect", address, "--psk", PSK, "--clients", "4", "--connections", "12", "--records", "2",
                    "--sync"}, in, new PrintStream(out, true, StandardCharsets.UTF_8), err, null));
            assertEquals("sync ready", awaitSync(lines));
            driver.write("go\n".getBytes(StandardCharsets.US_ASCII));
            driver.flush();
            // Every handshake is done before the echo phase, which the second line opens.
            assertEquals("sync handshakes done 12", awaitSync(lines));
            driver.write("go\n".getBytes(StandardCharsets.US_ASCII));
            driver.flush();
            assertEquals("sync records done 24", awaitSync(lines));
            driver.close(); // the end of the input opens the last gate too
            assertEquals(0, run.get(30, TimeUnit.SECONDS), out.toString(StandardCharsets.UTF_8));
            String report = out.toString(StandardCharsets.UTF_8);
            assertEquals("12", value(report, "peak open connections"));
            assertEquals("24 of 24 (0 timed out)", value(report, "records echoed"));
        }
    }

    @Test
    void syncWithNoInputRunsThroughEveryPhase() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = load(server, "--clients", "3", "--connections", "6", "--records", "1", "--sync");
            String err = r.err();
            int ready = err.indexOf("sync ready");
            int handshakes = err.indexOf("sync handshakes done 6");
            int records = err.indexOf("sync records done 6");
            assertTrue(ready >= 0 && ready < handshakes && handshakes < records, err);
            assertEquals("6", value(r.out(), "peak open connections"));
        }
    }

    @Test
    void warmupConnectionsRunFirstAndStayOutOfTheReport() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = load(server, "--clients", "4", "--connections", "5", "--records", "2", "--warmup", "7");
            assertTrue(r.err().contains("warm-up: 7 of 7 handshakes, 14 records"), r.err());
            assertEquals("5", value(r.out(), "connections started"));
            assertEquals("10 of 10 (0 timed out)", value(r.out(), "records echoed"));
            assertEquals(12L, server.server.get().stats().handshakesCompleted());
        }
    }

    @Test
    void withKeepTheWarmupHoldsAsManyConnectionsAsTheRunInRoundsOfThatSize() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = load(server, "--keep", "--clients", "4", "--connections", "5", "--records", "1", "--warmup", "7");
            int first = r.err().indexOf("warm-up: 5 of 5 handshakes, 5 records");
            int second = r.err().indexOf("warm-up: 2 of 2 handshakes, 2 records");
            assertTrue(first >= 0 && first < second, r.err());
            assertEquals("5", value(r.out(), "peak open connections"));
            assertEquals(12L, server.server.get().stats().handshakesCompleted());
        }
    }

    @Test
    void churnConnectionsHandshakeAndCloseWhileTheKeptOnesStayOpen() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = load(server, "--keep", "--clients", "4", "--connections", "6", "--records", "2", "--churn", "15");
            assertEquals("6", value(r.out(), "handshakes completed"));
            assertEquals("12 of 12 (0 timed out)", value(r.out(), "records echoed"));
            assertTrue(value(r.out(), "churn handshakes/s").startsWith("15 in "), r.out());
            assertEquals(21L, server.server.get().stats().handshakesCompleted());
            // Each churn connection is closed as soon as it is up: at most 4 of them beside the 6 kept.
            assertTrue(Integer.parseInt(value(r.out(), "peak open connections")) <= 10, r.out());
        }
    }

    @Test
    void theRatePacesTheChurnAsItPacesTheFirstHandshakes() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = load(server, "--keep", "--clients", "4", "--connections", "2", "--records", "1",
                    "--churn", "10", "--rate", "40");
            String churn = value(r.out(), "churn handshakes/s");
            assertTrue(churn.startsWith("10 in "), r.out());
            // Ten starts at 40 per second: the tenth no sooner than 9/40 s after the first, however fast the
            // machine (a lower bound the pacing guarantees, not a speed).
            double seconds = Double.parseDouble(churn.substring("10 in ".length(), churn.indexOf(" s")));
            assertTrue(seconds >= 0.22, r.out());
            assertEquals(12L, server.server.get().stats().handshakesCompleted());
        }
    }

    @Test
    void withSyncTheChurnRunsAfterTheRecordsAndSaysWhenItIsDone() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = load(server, "--clients", "3", "--connections", "5", "--records", "1", "--churn", "7", "--sync");
            String err = r.err();
            int records = err.indexOf("sync records done 5");
            int churn = err.indexOf("sync churn done 7");
            assertTrue(records >= 0 && records < churn, err);
            assertEquals(12L, server.server.get().stats().handshakesCompleted());
        }
    }

    /** Runs {@code dtls load} against {@code server} with the test's PSK and {@code args}, and expects exit 0. */
    private static MainTest.Run load(MainTest.Server server, String... args) throws Exception {
        String[] all = new String[5 + args.length];
        System.arraycopy(new String[] {"load", "--connect", server.address(), "--psk", PSK}, 0, all, 0, 5);
        System.arraycopy(args, 0, all, 5, args.length);
        MainTest.Run r = MainTest.run("", all);
        assertEquals(0, r.code(), r.out() + r.err());
        return r;
    }

    /** The next "sync" line of the generator's progress stream, waiting at most 30 seconds. */
    private static String awaitSync(BlockingQueue<String> lines) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null && line.startsWith("sync ")) {
                return line;
            }
        }
        throw new AssertionError("no sync line in 30 s");
    }

    /** An output stream that queues each complete line written to it. */
    private static final class LineSink extends OutputStream {
        private final BlockingQueue<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSink(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    @Test
    void wrongKeyCountsEveryHandshakeAsFailedAndExits1() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = MainTest.run("", "load", "--connect", server.address(),
                    "--psk", "id:ffffffffffffffffffffffffffffffff", "--clients", "4", "--connections", "6");
            assertEquals(1, r.code(), r.out());
            assertEquals("0", value(r.out(), "handshakes completed"));
            String failed = value(r.out(), "handshakes failed");
            assertTrue(failed.matches("\\{[a-z_]+( \\(received\\))?=6\\}"), failed);
        }
    }

    @Test
    void silentServerEndsInTimeoutsNotAHang() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            MainTest.Run r = MainTest.run("", "load", "--connect", "127.0.0.1:" + silent.getLocalPort(),
                    "--psk", PSK, "--clients", "3", "--connections", "3", "--timeout", "1");
            assertEquals(1, r.code(), r.out());
            assertEquals("{timeout=3}", value(r.out(), "handshakes failed"));
        }
    }

    @Test
    void usageErrors() {
        MainTest.Run r = MainTest.run("", "load", "--psk", PSK);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--connect is required"), r.err());
        r = MainTest.run("", "load", "--connect", "10.0.0.1:4433", "--psk", PSK, "--source-ips", "4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("loopback"), r.err());
        MainTest.Run help = MainTest.run("", "load", "--help");
        for (String flag : new String[] {"--clients", "--connections", "--rate", "--records", "--size", "--keep",
                "--source-ips", "--timeout", "--duration", "--hold", "--sync", "--warmup", "--churn"}) {
            assertTrue(help.out().contains(flag), flag);
        }
    }

    private static String value(String report, String key) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ": (.*)$").matcher(report);
        assertTrue(m.find(), key + " missing in\n" + report);
        return m.group(1).strip();
    }
}
