package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link RestingTable} against a {@link HashMap} model, through growth, shrinking and backward-shift removal. */
class RestingTableTest {
    /** The part of a form the table reads: its key (address, port) and its last progress. */
    private static byte[] form(InetSocketAddress peer, long progress) {
        byte[] ip = peer.getAddress().getAddress();
        byte[] f = new byte[1 + ip.length + 2 + 8 + 4];
        f[0] = (byte) ip.length;
        System.arraycopy(ip, 0, f, 1, ip.length);
        f[1 + ip.length] = (byte) (peer.getPort() >>> 8);
        f[2 + ip.length] = (byte) peer.getPort();
        for (int i = 0; i < 8; i++) {
            f[3 + ip.length + i] = (byte) (progress >>> (56 - 8 * i));
        }
        return f;
    }

    private static InetSocketAddress peer(Random r) throws UnknownHostException {
        // Few hosts and ports, so addresses repeat and probe runs collide; one in four IPv6.
        byte[] ip = new byte[r.nextInt(4) == 0 ? 16 : 4];
        ip[0] = 10;
        ip[ip.length - 1] = (byte) r.nextInt(8);
        return new InetSocketAddress(InetAddress.getByAddress(ip), 5000 + r.nextInt(64));
    }

    @Test
    void behavesLikeAMapThroughAnyMixOfOperations() throws UnknownHostException {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            RestingTable table = new RestingTable();
            Map<InetSocketAddress, byte[]> model = new HashMap<>();
            for (int op = 0; op < 3000; op++) {
                InetSocketAddress p = peer(r);
                if (r.nextInt(3) > 0 && !model.containsKey(p)) {
                    byte[] f = form(p, op);
                    table.put(f);
                    model.put(p, f);
                } else if (model.containsKey(p)) {
                    assertTrue(table.remove(model.remove(p)));
                }
                assertEquals(model.size(), table.size());
                InetSocketAddress probe = peer(r);
                assertSame(model.get(probe), table.get(probe), "seed " + seed + " op " + op);
            }
            for (Map.Entry<InetSocketAddress, byte[]> e : model.entrySet()) {
                assertSame(e.getValue(), table.get(e.getKey()));
            }
            assertEquals(model.size(), table.all().size());
        }
    }

    @Test
    void growsAndShrinksBackWithoutLosingAnEntry() throws UnknownHostException {
        RestingTable table = new RestingTable();
        List<byte[]> forms = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] f = form(new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >>> 8), (byte) i}),
                    40000 + i % 7), i);
            forms.add(f);
            table.put(f);
        }
        for (int i = 0; i < 9_990; i++) {
            assertTrue(table.remove(forms.get(i)));
        }
        assertEquals(10, table.size());
        for (int i = 9_990; i < 10_000; i++) {
            assertSame(forms.get(i), table.get(ConnectionAtRest.peer(forms.get(i))));
        }
        assertFalse(table.remove(forms.get(0)), "a form removed once is gone");
    }

    @Test
    void oneFormPerAddressAndLookupsByPortAndFamily() throws UnknownHostException {
        RestingTable table = new RestingTable();
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 5684);
        table.put(form(v4, 1));
        assertThrows(IllegalStateException.class, () -> table.put(form(v4, 2)));
        assertNull(table.get(new InetSocketAddress(v4.getAddress(), 5685)), "another port is another peer");
        assertNull(table.get(new InetSocketAddress(InetAddress.getByAddress(new byte[16]), 5684)));
        assertEquals(1, table.size());
    }

    @Test
    void idleSinceFindsOnlyTheQuietOnesAndAtMostTheBatch() throws UnknownHostException {
        RestingTable table = new RestingTable();
        for (int i = 0; i < 100; i++) {
            table.put(form(new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i}), 1), i * 10L));
        }
        assertEquals(50, table.idleSince(490, 1000).size(), "progress at or before 490: the first 50");
        assertEquals(8, table.idleSince(490, 8).size());
        for (byte[] f : table.idleSince(490, 1000)) {
            assertTrue(ConnectionAtRest.lastProgress(f) <= 490);
        }
    }
}
