package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.dtls4j.crypto.CipherSuite;

/**
 * RFC 9146 §6 under an adversarial network: the client's records reach the server in any order, any number
 * of times, from any of three addresses (NAT rebindings, or an attacker replaying captured datagrams from
 * elsewhere). Whatever the schedule, no record is delivered twice, and the server's address is always the
 * source of the newest record it has taken: it never moves to where an older (or replayed) record came from.
 */
class RebindingPropertiesTest {
    private static final int RECORDS = 12;
    private static final List<InetSocketAddress> ADDRESSES = List.of(Harness.CLIENT_ADDRESS,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 40002),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 40003));

    /** One delivery: which of the client's records, from which address. */
    record Delivery(int record, int from) {
    }

    @Provide
    Arbitrary<List<Delivery>> schedules() {
        Arbitrary<Delivery> one = Arbitraries.integers().between(0, RECORDS - 1)
                .flatMap(r -> Arbitraries.integers().between(0, ADDRESSES.size() - 1).map(a -> new Delivery(r, a)));
        return one.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 60)
    void noReplayIsDeliveredAndTheAddressNeverMovesBackwards(@ForAll("schedules") List<Delivery> schedule) {
        Harness h = new Harness(TestConfigs.pskClient(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).connectionIdLength(3)
                .build(), TestConfigs.pskServer(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).connectionIdLength(5)
                .build()).start();
        assertTrue(h.handshake());
        DtlsConnection server = h.server();
        h.toServer.clear();
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            h.client.send(("r" + i).getBytes(StandardCharsets.UTF_8), h.now);
            records.add(h.toServer.poll());
        }
        int newest = -1;
        InetSocketAddress newestFrom = Harness.CLIENT_ADDRESS;
        Set<String> delivered = new HashSet<>();
        int before = h.serverEvents.data.size();
        int moves = 0;
        for (Delivery d : schedule) {
            byte[] datagram = records.get(d.record());
            h.acceptor.receive(datagram, 0, datagram.length, ADDRESSES.get(d.from()), h.now);
            List<String> data = h.serverEvents.dataAsStrings();
            for (String s : data.subList(before, data.size())) {
                assertTrue(delivered.add(s), "delivered twice: " + s);
            }
            before = data.size();
            if (data.contains("r" + d.record()) && d.record() > newest) {
                newest = d.record();
                if (!newestFrom.equals(ADDRESSES.get(d.from()))) {
                    moves++;
                }
                newestFrom = ADDRESSES.get(d.from());
            }
            assertEquals(newestFrom, server.peer(), "the address is where the newest record came from");
        }
        assertEquals(moves, h.acceptor.addressChanges(), "one AddressChanged per move, none otherwise");
        assertEquals(moves, h.serverEvents.events.stream().filter(DtlsEvent.AddressChanged.class::isInstance).count());
    }
}
