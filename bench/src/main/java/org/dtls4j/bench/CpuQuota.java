package org.dtls4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Linux CPU-bandwidth cap for one child process: a cgroup of its own whose CFS quota lets the process run
 * {@code share} of one CPU in every period ({@link ServerLoadBench}'s {@code --server-quota}).
 *
 * <p>Why: on a machine with few cores the load generators cannot outpace a fast server, so a server's raw
 * handshakes/s and records/s say how fast the generators went, not what the server can do. Capped at the
 * same fraction of a CPU, both servers saturate their budget long before the generators saturate theirs,
 * and the raw rates become each server's capacity on that budget, comparable side by side.
 *
 * <p>The period is as short as the kernel allows for the share (its smallest quota is 1 ms: 4 ms for a
 * quarter of a CPU), not its default 100 ms. A capped server is stopped for the rest of each period once its
 * quota is spent, and every round trip of a handshake may wait out such a stop; with short stops, the
 * generators' closed loop of 100 clients (the bench's default) kept both servers saturated at a quarter of a
 * CPU, and the datagrams queued meanwhile (at most the generators' concurrency) stay within the socket's
 * receive buffer.
 *
 * <p>Works with cgroup v1's {@code cpu} controller and with cgroup v2 where the {@code cpu} controller is
 * enabled for the children of the v2 mount's root; needs the right to make a directory there (root, or a
 * delegated tree). {@link #releaseThreads} (v1 only) moves chosen threads, the JIT compiler's, back out of
 * the cap, so that compiling code, a one-time cost of a young JVM that the bench takes out of its CPU
 * figures, does not spend the budget the raw rates measure.
 */
final class CpuQuota implements AutoCloseable {
    /** The kernel's smallest CFS quota and period, in microseconds. */
    static final long MIN_US = 1_000;
    /** The kernel's default period, the longest we use. */
    static final long MAX_PERIOD_US = 100_000;

    /** The group's directory, right under the controller's mount (whose {@code tasks} is the parent group's). */
    private final Path dir;
    private final boolean v1;

    private CpuQuota(Path dir, boolean v1) {
        this.dir = dir;
        this.v1 = v1;
    }

    /**
     * Makes a cgroup named {@code name} capped at {@code share} of one CPU.
     *
     * @param share the fraction of one CPU, from 0.01 to 64
     * @param name the cgroup's directory name (letters, digits, '-' and '_')
     * @throws IOException when this machine has no writable {@code cpu} controller
     */
    static CpuQuota create(double share, String name) throws IOException {
        if (!(share >= 0.01 && share <= 64)) {
            throw new IllegalArgumentException("CPU share " + share + " outside 0.01..64");
        }
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("cgroup name " + name);
        }
        Controller c = controller(Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8))
                .orElseThrow(() -> new IOException("no cgroup cpu controller is mounted"));
        Path dir = c.mount().resolve(name);
        Files.createDirectories(dir);
        CpuQuota q = new CpuQuota(dir, c.v1());
        try {
            for (var file : quotaFiles(share, c.v1()).entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue());
            }
        } catch (IOException | RuntimeException e) {
            q.close();
            throw e;
        }
        return q;
    }

    /** The cgroup mount that holds a usable {@code cpu} controller, if any. */
    record Controller(Path mount, boolean v1) {
    }

    /**
     * The {@code cpu} controller among {@code /proc/self/mountinfo}'s lines: a cgroup (v1) mount whose super
     * options name {@code cpu}, else a cgroup2 mount whose root lets its children use {@code cpu}.
     */
    static Optional<Controller> controller(List<String> mountinfo) {
        Path v2 = null;
        for (String line : mountinfo) {
            // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS"
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] head = line.substring(0, dash).split(" ");
            String[] tail = line.substring(dash + 3).split(" ");
            if (head.length < 5 || tail.length < 3) {
                continue;
            }
            Path mount = Path.of(head[4]);
            if (tail[0].equals("cgroup") && List.of(tail[2].split(",")).contains("cpu")) {
                return Optional.of(new Controller(mount, true));
            }
            if (tail[0].equals("cgroup2") && v2 == null && words(mount.resolve("cgroup.subtree_control")).contains("cpu")) {
                v2 = mount;
            }
        }
        return Optional.ofNullable(v2).map(m -> new Controller(m, false));
    }

    /** {@return the shortest period whose quota for {@code share} is at least the kernel's 1 ms, in microseconds} */
    static long period(double share) {
        return Math.min(MAX_PERIOD_US, Math.max(MIN_US, (long) Math.ceil(MIN_US / share)));
    }

    /** The files that set the cap, and what to write to them. */
    static Map<String, String> quotaFiles(double share, boolean v1) {
        long period = period(share);
        long quota = Math.max(MIN_US, Math.round(share * period));
        return v1
                ? Map.of("cpu.cfs_period_us", Long.toString(period), "cpu.cfs_quota_us", Long.toString(quota))
                : Map.of("cpu.max", quota + " " + period);
    }

    /**
     * {@code command}, run so that its process joins this cgroup before it starts: a shell writes its own
     * pid to {@code cgroup.procs}, then becomes the command (so every thread the JVM starts is capped).
     */
    List<String> wrap(List<String> command) {
        List<String> out = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                dir.resolve("cgroup.procs").toString()));
        out.addAll(command);
        return out;
    }

    /**
     * Moves the threads of process {@code pid} whose names {@code byName} accepts back to the parent group,
     * out of the cap (cgroup v1 only: v2 keeps a process's threads together).
     *
     * @return how many threads moved; 0 on cgroup v2
     */
    int releaseThreads(long pid, Predicate<String> byName) throws IOException {
        if (!v1) {
            return 0;
        }
        int moved = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    continue; // the thread ended
                }
                if (byName.test(comm)) {
                    Files.writeString(dir.getParent().resolve("tasks"), task.getFileName().toString());
                    moved++;
                }
            }
        }
        return moved;
    }

    /** {@return the cgroup's {@code cpu.stat} counters (periods, throttled periods, throttled time), one line} */
    String stat() {
        try {
            return String.join(" ", Files.readAllLines(dir.resolve("cpu.stat"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "no cpu.stat: " + e.getMessage();
        }
    }

    /** Removes the cgroup; its process must have exited (the kernel refuses to remove a group in use). */
    @Override
    public void close() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(100); // the process is still exiting
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        System.err.printf(Locale.ROOT, "could not remove cgroup %s%n", dir);
    }

    private static List<String> words(Path file) {
        try {
            return List.of(Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+"));
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
