package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.dtls4j.crypto.CipherSuite;

/**
 * Hostile datagrams against established connections: random records, and captured datagrams with bytes
 * flipped, cut or replayed. Nothing may throw, nothing forged may be delivered, and the connection must
 * go on (no bad-MAC limit is configured, and nothing unauthenticated may end it).
 */
class HostileInputPropertiesTest {
    private static final CipherSuite SUITE = CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256;

    private static Harness established() {
        Harness h = new Harness(TestConfigs.pskClient(SUITE).build(), TestConfigs.pskServer(SUITE).build()).start();
        assertTrue(h.handshake());
        h.client.send("captured".getBytes(StandardCharsets.UTF_8), h.now);
        h.server().send("captured".getBytes(StandardCharsets.UTF_8), h.now);
        h.drain();
        h.clientEvents.data.clear();
        h.serverEvents.data.clear();
        return h;
    }

    /** Delivers {@code d} to both ends (the server through the acceptor), then checks both still work. */
    private static void assertSurvives(Harness h, List<byte[]> datagrams) {
        DtlsConnection server = h.server();
        for (byte[] d : datagrams) {
            h.client.receive(d, 0, d.length, h.now);
            h.acceptor.receive(d, 0, d.length, Harness.CLIENT_ADDRESS, h.now);
            server.receive(d, 0, d.length, h.now);
        }
        h.drain();
        assertEquals(List.of(), h.clientEvents.data, "nothing forged is delivered");
        assertEquals(List.of(), h.serverEvents.data, "nothing forged is delivered");
        assertTrue(h.client.isEstablished(), () -> "client: " + h.client.failure());
        assertTrue(server.isEstablished(), () -> "server: " + server.failure());
        h.client.send("real".getBytes(StandardCharsets.UTF_8), h.now);
        server.send("real".getBytes(StandardCharsets.UTF_8), h.now);
        h.drain();
        assertEquals(List.of("real"), h.serverEvents.dataAsStrings());
        assertEquals(List.of("real"), h.clientEvents.dataAsStrings());
    }

    Arbitrary<byte[]> records() {
        Arbitrary<Integer> type = Arbitraries.oneOf(Arbitraries.of(20, 21, 22, 23, 25), Arbitraries.integers().between(0, 255));
        Arbitrary<Integer> epoch = Arbitraries.integers().between(0, 3);
        Arbitrary<Long> seq = Arbitraries.longs().between(0, 200);
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(120);
        return Combinators.combine(type, epoch, seq, body).as((t, e, s, b) -> Records.record(t, e, s, b));
    }

    @Provide
    Arbitrary<List<byte[]>> recordLists() {
        return records().list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 60)
    void randomRecordsNeverBreakAnEstablishedConnection(@ForAll("recordLists") List<byte[]> records) {
        Harness h = established();
        assertSurvives(h, List.of(Records.concat(records.toArray(new byte[0][]))));
    }

    @Property(tries = 60)
    void randomBytesNeverBreakAnEstablishedConnection(@ForAll @Size(max = 300) List<@Size(max = 200) byte[]> datagrams) {
        Harness h = established();
        assertSurvives(h, datagrams);
    }

    @Property(tries = 80)
    void mutatedCapturedDatagramsNeverBreakAnEstablishedConnection(
            @ForAll @IntRange(min = 0, max = 1000) int pick,
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 5000) Integer> positions,
            @ForAll byte xor, @ForAll @IntRange(min = 0, max = 3) int cut) {
        Harness h = established();
        List<byte[]> captured = new java.util.ArrayList<>(h.toServer.sent);
        captured.addAll(h.toClient.sent);
        byte[] d = captured.get(pick % captured.size()).clone();
        for (int p : positions) {
            d[p % d.length] ^= (xor == 0 ? 1 : xor);
        }
        byte[] cutDown = java.util.Arrays.copyOf(d, Math.max(1, d.length - cut * 7));
        assertSurvives(h, List.of(d, cutDown));
    }

    @Property(tries = 20)
    void replayedCapturedDatagramsDeliverNothingTwice(@ForAll @IntRange(min = 0, max = 1000) int pick) {
        Harness h = established();
        List<byte[]> captured = new java.util.ArrayList<>(h.toServer.sent);
        captured.addAll(h.toClient.sent);
        assertSurvives(h, List.of(captured.get(pick % captured.size())));
    }
}
