package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link PeerDirectory} against a {@link HashMap} model: IPv4 and IPv6 peers, owners replaced and removed. */
class PeerDirectoryTest {
    private static InetSocketAddress peer(Random r) throws UnknownHostException {
        byte[] ip = new byte[r.nextInt(5) == 0 ? 16 : 4];
        ip[0] = (byte) r.nextInt(2); // 0.x.x.x too: the all-zero key must not read as an empty slot
        ip[ip.length - 1] = (byte) r.nextInt(16);
        return new InetSocketAddress(InetAddress.getByAddress(ip), r.nextInt(3) == 0 ? 0 : 5000 + r.nextInt(32));
    }

    @Test
    void behavesLikeAMapOfOwners() throws UnknownHostException {
        for (long seed = 1; seed <= 20; seed++) {
            Random r = new Random(seed);
            PeerDirectory directory = new PeerDirectory();
            Map<InetSocketAddress, Integer> model = new HashMap<>();
            for (int op = 0; op < 4000; op++) {
                InetSocketAddress p = peer(r);
                int owner = r.nextInt(3);
                if (r.nextBoolean()) {
                    directory.put(p, owner);
                    model.put(p, owner);
                } else {
                    directory.remove(p, owner);
                    model.remove(p, owner);
                }
                assertEquals(model.size(), directory.size(), "seed " + seed + " op " + op);
                InetSocketAddress probe = peer(r);
                assertEquals(model.getOrDefault(probe, -1), directory.get(probe), "seed " + seed + " op " + op);
            }
            for (Map.Entry<InetSocketAddress, Integer> e : model.entrySet()) {
                assertEquals(e.getValue(), directory.get(e.getKey()));
            }
        }
    }
}
