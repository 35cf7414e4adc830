package org.dtls4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole harness on a tiny load: a server JVM per server, two generator JVMs released together through
 * {@code dtls load --sync}, the CPU and heap marks read back. It asserts what the protocol must deliver —
 * every connection counted once, every record counted, a CPU figure per operation and a heap figure — not
 * any speed.
 */
class ServerLoadBenchTest {
    @Test
    void runsEachServerInItsOwnJvmAndReportsEveryPhase() throws Exception {
        List<ServerLoadBench.Result> rows = ServerLoadBench.run(new String[] {
            "--connections", "30", "--suites", "TLS_PSK_WITH_AES_128_GCM_SHA256", "--servers", "dtls4j,scandium",
            "--generators", "2", "--clients", "6", "--records", "2", "--min-records", "90", "--min-handshakes", "75", "--warmup", "10",
            "--idle", "1", "--rate", "2000", "--server-jvm", "-Xmx256m", "--generator-jvm", "-Xmx256m -XX:+UseSerialGC",
            // Every machine has CPU 0; pinned through taskset, as the long runs pin to disjoint CPUs.
            "--server-cpus", "0", "--generator-cpus", "0"});
        assertEquals(List.of("dtls4j", "scandium"), rows.stream().map(ServerLoadBench.Result::server).toList());
        for (ServerLoadBench.Result r : rows) {
            assertEquals(30, r.established(), r.toString());
            assertEquals(45, r.churned(), r.toString()); // --min-handshakes 75: 45 more after the 30 kept
            assertEquals(90, r.records(), r.toString()); // --min-records 90 over 30 connections: 3 each
            assertEquals("0+0", r.failures(), r.toString());
            assertTrue(r.handshakesPerSecond() > 0 && r.recordsPerSecond() > 0, r.toString());
            assertTrue(Double.isFinite(r.cpuUsPerHandshake()) && Double.isFinite(r.cpuUsPerRecord()), r.toString());
            assertTrue(r.bytesPerConnection() != 0, r.toString());
            assertTrue(r.kernelUsPerHandshake() >= 0 && r.kernelUsPerRecord() >= 0, r.toString());
        }
    }

    @Test
    void aServerUnderAQuotaIsStillCountedWholeAndReportsTheCpuItKeptBusy() throws Exception {
        try {
            CpuQuota.create(0.5, "dtls4j-probe-" + ProcessHandle.current().pid()).close();
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no writable cgroup cpu controller here: " + e);
        }
        List<ServerLoadBench.Result> rows = ServerLoadBench.run(new String[] {
            "--connections", "20", "--suites", "TLS_PSK_WITH_AES_128_CCM_8", "--servers", "dtls4j",
            "--generators", "1", "--clients", "4", "--records", "2", "--min-records", "40", "--min-handshakes", "30",
            "--warmup", "10", "--idle", "1", "--server-jvm", "-Xmx256m", "--generator-jvm", "-Xmx256m -XX:+UseSerialGC",
            "--server-quota", "0.5"});
        ServerLoadBench.Result r = rows.get(0);
        assertEquals(20, r.established(), r.toString());
        assertEquals(10, r.churned(), r.toString());
        assertEquals(40, r.records(), r.toString());
        assertEquals("0", r.failures(), r.toString());
        // Busy CPUs are the server's CPU per wall second in each phase: some, and never more than one CPU's worth
        // plus a period's slack under a half-CPU cap.
        assertTrue(r.busyCpusHandshakes() > 0 && r.busyCpusHandshakes() < 1.5, r.toString());
        assertTrue(r.busyCpusRecords() > 0 && r.busyCpusRecords() < 1.5, r.toString());
    }

    @Test
    void aCpuListCountsEveryCpuItNamesAndPinsTheCommandThroughTaskset() {
        assertEquals(1, ServerLoadBench.cpuCount("0"));
        assertEquals(1, ServerLoadBench.cpuCount("7"));
        assertEquals(4, ServerLoadBench.cpuCount("0-3"));
        assertEquals(3, ServerLoadBench.cpuCount("0,2-3"));
        assertEquals(5, ServerLoadBench.cpuCount("1, 3-6"));
        assertThrows(IllegalArgumentException.class, () -> ServerLoadBench.cpuCount("3-1"));
        assertThrows(NumberFormatException.class, () -> ServerLoadBench.cpuCount("0-"));
        assertThrows(NumberFormatException.class, () -> ServerLoadBench.cpuCount(""));

        List<String> pinned = ServerLoadBench.command("1,3", List.of("-Xmx1g"), "Main", "a");
        assertEquals(List.of("taskset", "-c", "1,3"), pinned.subList(0, 3));
        assertEquals(List.of("-Xmx1g", "-cp"), pinned.subList(4, 6));
        assertEquals(List.of("Main", "a"), pinned.subList(7, 9));
        List<String> free = ServerLoadBench.command(null, List.of("-Xmx1g"), "Main", "a");
        assertEquals(pinned.subList(3, 9), free);
    }

    @Test
    void theKernelsShareOfTheProcessesCpuGrowsWithSystemCalls() throws Exception {
        long before = LoadServer.kernelCpu();
        long total = ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        assertTrue(before > 0 && before <= total, before + " of " + total);
        // Datagrams to ourselves are system calls all the way: the kernel's ticks (10 ms each) must move.
        long end = System.nanoTime() + 30_000_000_000L;
        try (java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open()) {
            ch.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(100);
            while (LoadServer.kernelCpu() < before + 50_000_000L && System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++) {
                    b.clear();
                    ch.send(b, ch.getLocalAddress());
                    b.clear();
                    ch.receive(b);
                }
            }
        }
        assertTrue(LoadServer.kernelCpu() >= before + 50_000_000L, "kernel CPU did not grow from " + before);
    }
}
