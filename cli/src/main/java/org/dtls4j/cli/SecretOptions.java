package org.dtls4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.dtls4j.DtlsConfig;
import org.dtls4j.crypto.SharedSecrets;
import org.dtls4j.handshake.session.SessionTickets;
import org.dtls4j.wire.Hex;

/** The {@code dtls server} options for session tickets and for secrets shared between nodes. */
final class SecretOptions {
    static final String HELP = """
              --tickets                 issue RFC 5077 session tickets (keys random to this process
                                        unless a shared secret is given)
              --shared-secret HEX       master key (at least 32 bytes, hex) shared by every node behind one
                                        address: each node verifies the others' cookies and resumes their
                                        tickets (implies --tickets)
              --secrets FILE            the same master key read from FILE (hex), off the command line
              --secret-rotation SECONDS period of the keys derived from it (default 3600; equal on all nodes)
            """;

    private SecretOptions() {
    }

    /** The shared source --shared-secret or --secrets name, or null for none. */
    static SharedSecrets shared(Args a) throws UsageException {
        if (a.has("shared-secret") && a.has("secrets")) {
            throw new UsageException("give --shared-secret or --secrets, not both");
        }
        int seconds = a.intValue("secret-rotation", 1, Integer.MAX_VALUE, 3600);
        String hex;
        if (a.has("shared-secret")) {
            hex = a.get("shared-secret");
        } else if (a.has("secrets")) {
            try {
                hex = Files.readString(Path.of(a.get("secrets")), StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new UsageException("--secrets: cannot read " + a.get("secrets") + ": " + e.getMessage());
            }
        } else {
            return null;
        }
        byte[] master;
        try {
            master = Hex.decode(hex);
        } catch (IllegalArgumentException e) {
            throw new UsageException("the shared secret is not hex");
        }
        try {
            return SharedSecrets.derived(master, Duration.ofSeconds(seconds));
        } catch (IllegalArgumentException e) {
            throw new UsageException("the shared secret must be at least 32 bytes (64 hex digits)");
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    /** Turns tickets on when asked for, or when secrets are shared. */
    static void tickets(Args a, SharedSecrets shared, DtlsConfig.Builder b) {
        if (shared != null) {
            b.sessionTickets(SessionTickets.create(shared));
        } else if (a.has("tickets")) {
            b.sessionTickets(SessionTickets.random(Duration.ofHours(1)));
        }
    }
}
