package org.dtls4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code dtls load} against an in-process {@code dtls server} over loopback. */
class LoadCommandTest {
    private static final String PSK = "id:0102030405060708090a0b0c0d0e0f10";

    @Test
    void everyConnectionHandshakesEchoesAndCloses() throws Exception {
        try (MainTest.Server server = new MainTest.Server("--psk", PSK)) {
            MainTest.Run r = MainTest.run("", "load", "--connect", server.address(), "--psk", PSK,
                    "--clients", "8", "--connections", "40", "--records", "3", "--size", "64");
            assertEquals(0, r.code(), r.out() + r.err());
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
            MainTest.Run r = MainTest.run("", "load", "--connect", server.address(), "--psk", PSK,
                    "--clients", "5", "--connections", "30", "--records", "1", "--keep");
            assertEquals(0, r.code(), r.out() + r.err());
            assertEquals("30", value(r.out(), "handshakes completed"));
            assertEquals("30", value(r.out(), "peak open connections"));
            assertEquals("30 of 30 (0 timed out)", value(r.out(), "records echoed"));
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
                "--source-ips", "--timeout", "--duration"}) {
            assertTrue(help.out().contains(flag), flag);
        }
    }

    private static String value(String report, String key) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ": (.*)$").matcher(report);
        assertTrue(m.find(), key + " missing in\n" + report);
        return m.group(1).strip();
    }
}
