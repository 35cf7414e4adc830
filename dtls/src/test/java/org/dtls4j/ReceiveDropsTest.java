package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link DtlsServer#receiveDrops()}: the OS's drops on the server's own sockets, read from Linux's UDP tables. */
class ReceiveDropsTest {
    private static final String HEADER = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
            + "   uid  timeout inode ref pointer drops";

    /** A line as Linux writes it: local address in hex, then the inode in column 10 and the drops last. */
    private static String line(String local, long inode, long drops) {
        return "  42: " + local + " 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 "
                + inode + " 2 ffff8880074d1000 " + drops;
    }

    @Test
    void onlyLinesOnThePortWithOurInodesCount() {
        List<String> table = List.of(HEADER,
                line("0100007F:1634", 100, 7), // ours: port 0x1634 = 5684, inode 100
                line("00000000:1634", 101, 5), // ours too (a second socket, SO_REUSEPORT)
                line("0100007F:1634", 999, 1_000), // the port, but another process's socket
                line("0100007F:1635", 100, 3), // another port
                line("00000000000000000000000001000000:1634", 102, 11)); // IPv6 form
        assertEquals(7 + 5 + 11, ReceiveDrops.sum(table, 5684, Set.of(100L, 101L, 102L)));
        assertEquals(0, ReceiveDrops.sum(table, 5685, Set.of(999L)), "port and inode must both match");
        assertEquals(0, ReceiveDrops.sum(List.of(HEADER), 5684, Set.of(100L)));
    }

    @Test
    void thePortsAtTheEndsOfTheRangeParse() {
        List<String> table = List.of(line("0100007F:0001", 1, 2), line("0100007F:FFFF", 1, 3),
                line("0100007F:FFFE", 1, 5));
        assertEquals(2, ReceiveDrops.sum(table, 1, Set.of(1L)));
        assertEquals(3, ReceiveDrops.sum(table, 65_535, Set.of(1L)));
        assertEquals(5, ReceiveDrops.sum(table, 65_534, Set.of(1L)));
    }

    @Test
    void linesThatDoNotParseAreSkipped() {
        List<String> table = List.of(HEADER, "", "garbage", "  1: 0100007F:1634",
                line("0100007F:XYZ", 100, 9), line("0100007F:1634", 100, 9).replace(" 9", " nine"),
                line("0100007F1634", 100, 9), line("0100007F:1634", 100, 4));
        assertEquals(4, ReceiveDrops.sum(table, 5684, Set.of(100L)));
    }

    @Test
    void datagramsTheKernelDroppedOnAFullBufferAreCounted() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/udp")), "the OS has no /proc/net/udp");
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        // Not started: nothing reads, so the smallest buffer the OS grants fills after a few datagrams.
        try (DtlsServer full = DtlsServer.builder(TestConfigs.pskServer().build()).bind(any).receiveBufferSize(1).build();
             DtlsServer other = DtlsServer.builder(TestConfigs.pskServer().build()).bind(any).build();
             DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertEquals(0, full.receiveDrops());
            int sent = 200;
            byte[] junk = new byte[1_000];
            for (int i = 0; i < sent; i++) {
                sender.send(new DatagramPacket(junk, junk.length, full.localAddress()));
            }
            long drops = full.receiveDrops();
            int room = full.receiveBufferSize();
            // Each queued datagram costs the buffer more than its payload (the kernel's skb) and Linux lets the
            // last one overshoot, so at most room / 1,000 + 1 of them fit and every other one is dropped.
            assertTrue(drops >= sent - room / junk.length - 1 && drops <= sent, drops + " drops, buffer " + room);
            assertEquals(0, other.receiveDrops(), "another server's socket on another port");
        }
    }
}
