package org.dtls4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link CpuQuota}: where the cpu controller is found, what the cap writes, and, where this machine lets us
 * (root with a cgroup cpu controller, as on CI), that a wrapped process really runs in the capped group and
 * that a released thread leaves it.
 */
class CpuQuotaTest {
    @Test
    void findsTheV1CpuControllerAmongTheMounts() {
        List<String> mounts = List.of(
                "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
                "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu");
        assertEquals(Optional.of(new CpuQuota.Controller(Path.of("/sys/fs/cgroup/cpu"), true)), CpuQuota.controller(mounts));
        // The common combined mount, with optional fields before the separator.
        List<String> combined = List.of(
                "25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct");
        assertEquals(Optional.of(new CpuQuota.Controller(Path.of("/sys/fs/cgroup/cpu,cpuacct"), true)),
                CpuQuota.controller(combined));
    }

    @Test
    void noCpuControllerWhenNoneIsMountedOrALineDoesNotParse() {
        assertEquals(Optional.empty(), CpuQuota.controller(List.of(
                "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
                "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset",
                "not a mountinfo line",
                "1 2 - cgroup",
                "")));
        // A cgroup2 mount whose root does not delegate cpu (no such file here) is no controller.
        assertEquals(Optional.empty(), CpuQuota.controller(List.of(
                "41 31 0:38 / /nonexistent/unified rw,relatime - cgroup2 cgroup2 rw")));
    }

    @Test
    void theCapIsTheShareOfTheShortestPeriodWhoseQuotaTheKernelTakes() {
        // The kernel's smallest quota and period are 1 ms.
        assertEquals(Map.of("cpu.cfs_period_us", "4000", "cpu.cfs_quota_us", "1000"), CpuQuota.quotaFiles(0.25, true));
        assertEquals(Map.of("cpu.max", "1000 4000"), CpuQuota.quotaFiles(0.25, false));
        assertEquals(Map.of("cpu.max", "1000 3334"), CpuQuota.quotaFiles(0.3, false));
        assertEquals(Map.of("cpu.cfs_period_us", "1000", "cpu.cfs_quota_us", "2000"), CpuQuota.quotaFiles(2, true));
        assertEquals(Map.of("cpu.max", "1000 1000"), CpuQuota.quotaFiles(1, false));
        // The kernel's default period bounds it: 1% of a CPU is 1 ms in 100.
        assertEquals(Map.of("cpu.max", "1000 100000"), CpuQuota.quotaFiles(0.01, false));
        assertEquals(100_000, CpuQuota.period(0.001));
        assertThrows(IllegalArgumentException.class, () -> CpuQuota.create(0.009, "x"));
        assertThrows(IllegalArgumentException.class, () -> CpuQuota.create(65, "x"));
        assertThrows(IllegalArgumentException.class, () -> CpuQuota.create(Double.NaN, "x"));
        assertThrows(IllegalArgumentException.class, () -> CpuQuota.create(0.5, "../escape"));
    }

    @Test
    void aWrappedProcessRunsInTheCappedGroupAndAReleasedThreadLeavesIt() throws Exception {
        CpuQuota quota;
        try {
            quota = CpuQuota.create(0.3, "dtls4j-test-" + ProcessHandle.current().pid());
        } catch (IOException e) {
            assumeTrue(false, "no writable cgroup cpu controller here: " + e);
            return;
        }
        Path dir = Path.of(quota.toString());
        try (quota) {
            String cap = Files.exists(dir.resolve("cpu.max"))
                    ? Files.readString(dir.resolve("cpu.max")).trim()
                    : Files.readString(dir.resolve("cpu.cfs_quota_us")).trim() + " " + Files.readString(dir.resolve("cpu.cfs_period_us")).trim();
            assertEquals("1000 3334", cap);

            Process cat = new ProcessBuilder(quota.wrap(List.of("cat", "/proc/self/cgroup"))).start();
            String groups = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(cat.waitFor(20, TimeUnit.SECONDS));
            assertTrue(groups.contains("/" + dir.getFileName()), groups);

            // The inner shell says "ready" once it runs, so after the wrapper joined the group; it then
            // waits on its input, one thread the whole time.
            Process waiter = new ProcessBuilder(quota.wrap(List.of("sh", "-c", "echo ready; read line"))).start();
            try {
                Path procCgroup = Path.of("/proc", Long.toString(waiter.pid()), "cgroup");
                java.io.BufferedReader out = new java.io.BufferedReader(
                        new java.io.InputStreamReader(waiter.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine());
                assertTrue(Files.readString(procCgroup).contains("/" + dir.getFileName()));
                int moved = quota.releaseThreads(waiter.pid(), "sh"::equals);
                if (moved > 0) { // cgroup v1: the thread is back in the parent group
                    assertEquals(1, moved);
                    assertFalse(Files.readString(procCgroup).contains("/" + dir.getFileName()));
                }
                assertEquals(0, quota.releaseThreads(waiter.pid(), "no such thread"::equals));
            } finally {
                waiter.destroy();
                waiter.waitFor(20, TimeUnit.SECONDS);
            }
            assertTrue(quota.stat().contains("nr_periods") || quota.stat().contains("usage_usec"), quota.stat());
        }
        assertFalse(Files.exists(dir), "the group was not removed");
    }
}
