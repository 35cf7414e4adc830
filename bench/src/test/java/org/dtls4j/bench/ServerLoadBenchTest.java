package org.dtls4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            "--idle", "1", "--server-jvm", "-Xmx256m", "--generator-jvm", "-Xmx256m -XX:+UseSerialGC"});
        assertEquals(List.of("dtls4j", "scandium"), rows.stream().map(ServerLoadBench.Result::server).toList());
        for (ServerLoadBench.Result r : rows) {
            assertEquals(30, r.established(), r.toString());
            assertEquals(45, r.churned(), r.toString()); // --min-handshakes 75: 45 more after the 30 kept
            assertEquals(90, r.records(), r.toString()); // --min-records 90 over 30 connections: 3 each
            assertEquals("0+0", r.failures(), r.toString());
            assertTrue(r.handshakesPerSecond() > 0 && r.recordsPerSecond() > 0, r.toString());
            assertTrue(Double.isFinite(r.cpuUsPerHandshake()) && Double.isFinite(r.cpuUsPerRecord()), r.toString());
            assertTrue(r.bytesPerConnection() != 0, r.toString());
        }
    }
}
