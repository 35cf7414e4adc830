package org.dtls4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.dtls4j.DtlsServer;

/**
 * Entry point of the {@code dtls} command: {@code dtls server}, {@code dtls client}, {@code dtls demo}.
 * Exit codes: 0 success, 1 failure (handshake, alert, timeout, I/O), 2 usage error.
 */
public final class Main {
    static final String HELP = """
            usage: dtls <command> [options]

            commands:
              server   a DTLS 1.2 echo server (dtls server --help)
              client   send lines of standard input, print the replies (dtls client --help)
              demo     server and client on loopback with simulated loss and a trace; no arguments
              load     many concurrent clients against one server: handshakes/s, records/s, latency

            dtls4j: a pure-Java DTLS 1.2 (RFC 6347) stack.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, null));
    }

    /** Runs one command with the given streams and returns its exit code (the server never returns before it stops). */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Consumer<DtlsServer> serverStarted) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(HELP);
            return args.length == 0 ? 2 : 0;
        }
        try {
            return switch (args[0]) {
                case "server" -> ServerCommand.run(args, out, err, serverStarted);
                case "client" -> ClientCommand.run(args, in, out, err);
                case "demo" -> DemoCommand.run(args, out, err);
                case "load" -> LoadCommand.run(args, in, out, err);
                default -> throw new UsageException("unknown command '" + args[0] + "' (server, client, demo, load)");
            };
        } catch (UsageException e) {
            err.println("dtls: " + e.getMessage() + " (try: dtls " + (isCommand(args[0]) ? args[0] + " " : "") + "--help)");
            return 2;
        } catch (IOException | UncheckedIOException e) {
            err.println("dtls: " + e.getMessage());
            return 1;
        }
    }

    private static boolean isCommand(String s) {
        return s.equals("server") || s.equals("client") || s.equals("demo") || s.equals("load");
    }
}
