package org.dtls4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import org.dtls4j.DtlsConfig;

/**
 * {@code dtls load}: many concurrent DTLS clients against one server, for handshakes/s, records/s,
 * latency percentiles and failures. The work is done by {@link LoadGenerator}; this class only parses
 * flags and prints the report.
 */
final class LoadCommand {
    static final String HELP = """
            usage: dtls load --connect HOST:PORT --psk IDENTITY:HEXKEY [options]

            Opens many DTLS 1.2 client connections against one server (any DTLS 1.2 server: dtls4j's,
            OpenSSL's, Scandium's...), each from its own UDP port: handshake, then --records echo round trips
            of --size bytes each (one outstanding per connection; the server must echo), then close_notify.
            At most --clients connections run at once; --connections in all, started at most --rate per
            second. Prints handshakes/s, records/s, latency percentiles and failures; progress every second
            on standard error. Exits 0 when every handshake and record succeeded, 1 otherwise.

              --connect HOST:PORT       the server
              --psk IDENTITY:HEXKEY     the PSK identity and hex key every client uses
              --ciphers SUITE,...       IANA suite names (default: every PSK suite)
              --clients N               connections at once (default 100)
              --connections N           connections in all (default 1000)
              --rate N                  new handshakes per second at most, --churn and --warmup ones too
                                        (default 0: as fast as possible)
              --records N               echo round trips per connection (default 1; 0 = handshakes only)
              --size BYTES              application record size (default 100)
              --keep                    keep every connection open until all are established and their
                                        records done, then close them all (measures concurrent connections)
              --source-ips N            spread the client ports over 127.0.0.1..127.0.0.N (loopback only;
                                        one address has about 28,000 ephemeral ports)
              --hold SECONDS            with --keep: hold every connection open this long before closing them
                                        (prints "holding N open connections" first; for memory measurements)
              --sync                    implies --keep: the phases wait for the driving process, one line of
                                        standard input each: prints "sync ready" on standard error and waits
                                        before the first handshake, "sync handshakes done" before the echo
                                        phase, "sync records done" before closing (end of input opens every
                                        gate); so several generators and a measuring server share phase edges
              --churn N                 with --keep: after the echo phase, N connections more while the kept
                                        ones stay open, each closed (close_notify) once established; with
                                        --sync they run when "sync records done" is answered, then it prints
                                        "sync churn done COUNT" and waits again before closing (default 0)
              --timeout SECONDS         per handshake and per echo (default 10)
              --duration SECONDS        stop starting new connections after this long (default: no limit)
              --warmup N                first run N connections the same way but with at most 10 records each
                                        (not in the report), so this JVM's and the server's hot paths are
                                        compiled before anything is measured; with --keep or --sync they are
                                        kept open in rounds of --connections, so the paths of as many live
                                        connections as the run holds (table growth, evictions) compile too
              --help                    this text
            """;

    private static final Set<String> VALUES = Set.of("connect", "psk", "ciphers", "clients", "connections",
            "rate", "records", "size", "source-ips", "timeout", "duration", "hold", "warmup", "churn");
    /** Records per warm-up connection at most: enough to compile the record path, short with many records. */
    private static final int WARMUP_RECORDS = 10;
    private static final Set<String> BOOLEANS = Set.of("keep", "sync", "help");

    private LoadCommand() {
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws UsageException, IOException {
        Args a = Args.parse(args, 1, VALUES, BOOLEANS);
        if (a.has("help")) {
            out.print(HELP);
            return 0;
        }
        String hostPort = a.require("connect");
        String host = ClientCommand.host(hostPort);
        InetSocketAddress server;
        try {
            server = new InetSocketAddress(InetAddress.getByName(host), ClientCommand.port(hostPort));
        } catch (UnknownHostException e) {
            throw new UsageException("--connect: unknown host " + host);
        }
        Options.Psk psk = Options.psk(a.require("psk"));
        DtlsConfig.Builder b = DtlsConfig.builder().pskIdentity(psk.identity(), psk.key());
        DtlsConfig config = Options.finish(a, b, null);
        int sourceIps = a.intValue("source-ips", 1, 254, 1);
        if (sourceIps > 1 && !server.getAddress().isLoopbackAddress()) {
            throw new UsageException("--source-ips needs a loopback server address");
        }
        int duration = a.intValue("duration", 1, 86_400, 0);
        int hold = a.intValue("hold", 1, 86_400, 0);
        LoadGenerator.Plan plan = new LoadGenerator.Plan(server,
                a.intValue("clients", 1, 100_000, 100),
                a.intValue("connections", 1, Integer.MAX_VALUE, 1000),
                a.intValue("rate", 0, 10_000_000, 0),
                a.intValue("records", 0, 1_000_000, 1),
                a.intValue("size", 1, 16_384, 100),
                a.has("keep") || a.has("sync"),
                sourceIps,
                Duration.ofSeconds(a.intValue("timeout", 1, 3600, 10)),
                duration == 0 ? null : Duration.ofSeconds(duration),
                hold == 0 ? null : Duration.ofSeconds(hold),
                a.intValue("churn", 0, Integer.MAX_VALUE, 0),
                a.has("sync") ? in : null);
        int warmup = a.intValue("warmup", 0, Integer.MAX_VALUE, 0);
        // With --keep the warm-up holds as many connections at once as the run will (in rounds of that size),
        // so the server's many-connection paths are compiled too, not first met while measured.
        for (int left = warmup; left > 0; ) {
            int round = plan.keep() ? Math.min(left, plan.connections()) : left;
            left -= round;
            LoadGenerator.Plan warm = new LoadGenerator.Plan(server, plan.clients(), round, plan.rate(),
                    Math.min(plan.records(), WARMUP_RECORDS),
                    plan.size(), plan.keep(), sourceIps, plan.timeout(), null, null, 0, null);
            LoadGenerator.Report r = new LoadGenerator(config, warm, new PrintStream(OutputStream.nullOutputStream())).run();
            err.printf("warm-up: %d of %d handshakes, %d records%n", r.established(), r.started(), r.recordsEchoed());
        }
        LoadGenerator.Report report = new LoadGenerator(config, plan, err).run();
        out.print(report.format());
        out.flush();
        return report.allSucceeded() ? 0 : 1;
    }
}
