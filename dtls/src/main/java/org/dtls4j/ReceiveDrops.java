package org.dtls4j;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Datagrams the OS dropped on a server's sockets before the server could read them: what a full receive
 * buffer costs, which no Java API reports ({@code SO_RXQ_OVFL} has no {@code StandardSocketOptions}
 * counterpart). On Linux each UDP socket's drop counter is the last column of {@code /proc/net/udp} and
 * {@code /proc/net/udp6}; a socket is ours when it is bound to the server's port and its inode is one of this
 * process's open files ({@code /proc/self/fd} links read {@code socket:[inode]}), which tells our sockets
 * from another process's on the same port with SO_REUSEPORT.
 *
 * <p>Read on demand (a stats call), never per datagram: it lists this process's open files and reads the
 * machine's UDP table, both proportional to what the machine holds, not to the traffic.
 */
final class ReceiveDrops {
    /** The kernel's UDP tables, IPv4 and IPv6; a dual-stack socket shows in the IPv6 one. */
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));
    private static final Path OWN_FILES = Path.of("/proc/self/fd");
    /** Where a socket's line (sl, local, remote, st, ..., inode, ref, pointer, drops) has its inode and its drops, the last. */
    private static final int INODE = 9;
    private static final int DROPS = 12;

    private ReceiveDrops() {
    }

    /**
     * {@return the datagrams the OS dropped on this process's UDP sockets bound to {@code port} since they were
     * opened, or -1 where the OS does not say (not Linux, or {@code /proc} unreadable)}
     *
     * @param port the local port, 1 to 65,535
     */
    static long onPort(int port) {
        if (!Files.isReadable(TABLES.get(0))) {
            return -1;
        }
        try {
            Set<Long> own = ownSocketInodes();
            long drops = 0;
            for (Path table : TABLES) {
                if (Files.isReadable(table)) {
                    drops += sum(Files.readAllLines(table, StandardCharsets.US_ASCII), port, own);
                }
            }
            return drops;
        } catch (IOException | RuntimeException e) {
            // /proc changed under us or is not what Linux writes: say "unknown" rather than fail a stats call.
            return -1;
        }
    }

    /**
     * Sums the drop column of the lines of one UDP table whose local port is {@code port} and whose inode is
     * in {@code own}. The header line and any line that does not parse are skipped.
     *
     * @param lines the table's lines, header included
     * @param port the local port
     * @param own the inodes of this process's sockets
     * @return the drops
     */
    static long sum(List<String> lines, int port, Set<Long> own) {
        long drops = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length <= DROPS || !f[0].endsWith(":")) {
                continue; // the header, or not a socket's line
            }
            int colon = f[1].lastIndexOf(':');
            try {
                if (colon < 0 || Integer.parseInt(f[1].substring(colon + 1), 16) != port
                        || !own.contains(Long.parseLong(f[INODE]))) {
                    continue;
                }
                drops += Long.parseLong(f[DROPS]);
            } catch (NumberFormatException e) {
                // Not a line Linux writes: skip it, as the header.
            }
        }
        return drops;
    }

    /** The inodes of the sockets among this process's open files. */
    private static Set<Long> ownSocketInodes() throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> files = Files.list(OWN_FILES)) {
            for (Path fd : (Iterable<Path>) files::iterator) {
                long inode = socketInode(fd);
                if (inode >= 0) {
                    inodes.add(inode);
                }
            }
        }
        return inodes;
    }

    /** The inode of the socket {@code fd} links to, or -1 for anything else (or a file closed meanwhile). */
    private static long socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                return Long.parseLong(target.substring("socket:[".length(), target.length() - 1));
            }
        } catch (IOException | NumberFormatException e) {
            // Closed between the listing and the read, or not a socket: not one of ours.
        }
        return -1;
    }
}
