package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.record.DropReason;
import org.junit.jupiter.api.Test;

/** {@link ConnectionSnapshot}: a server restored in a "new process" carries on with a client that never restarted. */
class ConnectionSnapshotTest {
    private static final SecretKey KEY = new SecretKeySpec(new byte[16], "AES");
    private static final int APPLICATION_DATA = 23;
    private static final int TLS12_CID = 25;

    private static Harness established(CipherSuite suite, int cid) {
        DtlsConfig.Builder c = TestConfigs.pskClient(suite);
        DtlsConfig.Builder s = TestConfigs.pskServer(suite);
        if (cid >= 0) {
            c.connectionIdLength(cid);
            s.connectionIdLength(cid);
        }
        Harness h = new Harness(c.build(), s.build()).start();
        assertTrue(h.handshake());
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The record sequence number of a datagram's first record. */
    private static long sequence(byte[] d) {
        long seq = 0;
        for (int i = 5; i < 11; i++) {
            seq = seq << 8 | d[i] & 0xff;
        }
        return seq;
    }

    private static <T> T last(List<T> l) {
        return l.get(l.size() - 1);
    }

    @Test
    void aRestoredServerCarriesOnWithTheSameClient() {
        for (CipherSuite suite : new CipherSuite[] {CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256}) {
            for (int cid : new int[] {-1, 6}) {
                carryOn(suite, cid);
            }
        }
    }

    private void carryOn(CipherSuite suite, int cid) {
        Harness h = established(suite, cid);
        h.client.send(utf8("before"), h.now);
        byte[] beforeRecord = last(h.toServer.sent);
        h.drain();
        DtlsConnection original = h.server();
        original.send(utf8("reply"), h.now);
        h.drain();
        byte[] snapshot = ConnectionSnapshot.take(original, KEY, 1000, 7);
        assertEquals(7, ConnectionSnapshot.generation(snapshot, KEY));

        // The "new process": a new acceptor with the same configuration, the old one gone.
        List<byte[]> fromRestored = new ArrayList<>();
        Recorder events = new Recorder();
        DtlsAcceptor restarted = new DtlsAcceptor(serverConfig(suite, cid), CookieVerifier.create(),
                (buf, off, len, peer) -> {
                    fromRestored.add(java.util.Arrays.copyOfRange(buf, off, off + len));
                    h.toClient.send(buf, off, len);
                }, events, 16);
        DtlsConnection restored = restarted.restore(snapshot, KEY, h.now);
        assertTrue(restored.isEstablished());
        assertEquals(suite, restored.handshakeResult().suite());
        assertEquals(cid > 0 ? 1 : 0, restarted.connectionIdCount());

        h.client.send(utf8("after restart"), h.now);
        byte[] d = h.toServer.poll();
        restarted.receive(d, 0, d.length, Harness.CLIENT_ADDRESS, h.now);
        assertEquals(List.of("after restart"), events.dataAsStrings(), suite + " cid=" + cid);

        restored.send(utf8("from the restored server"), h.now);
        byte[] out = last(fromRestored);
        assertEquals(cid > 0 ? TLS12_CID : APPLICATION_DATA, out[0] & 0xff);
        assertTrue(sequence(out) >= 1000, "never a sequence number the original could have used");
        h.drain();
        assertEquals("from the restored server", last(h.clientEvents.dataAsStrings()), suite + " cid=" + cid);

        long replays = restored.drops(DropReason.REPLAY) + restored.drops(DropReason.TOO_OLD);
        restarted.receive(beforeRecord, 0, beforeRecord.length, Harness.CLIENT_ADDRESS, h.now);
        assertEquals(replays + 1, restored.drops(DropReason.REPLAY) + restored.drops(DropReason.TOO_OLD),
                "a record from before the snapshot is not taken again");
        assertEquals(List.of("after restart"), events.dataAsStrings());
    }

    private static DtlsConfig serverConfig(CipherSuite suite, int cid) {
        DtlsConfig.Builder s = TestConfigs.pskServer(suite);
        if (cid >= 0) {
            s.connectionIdLength(cid);
        }
        return s.build();
    }

    @Test
    void theLiveConnectionStopsBeforeTheReservedBlock() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, -1);
        DtlsConnection live = h.server();
        long next = live.recordLayer().nextWriteSequence();
        ConnectionSnapshot.take(live, KEY, 3, 1);
        for (int i = 0; i < 3; i++) {
            live.send(utf8("ok " + i), h.now);
            assertTrue(sequence(last(h.toClient.sent)) < next + 3);
        }
        int sent = h.toClient.sent.size();
        assertThrows(IllegalStateException.class, () -> live.send(utf8("one too many"), h.now));
        assertTrue(live.isClosed());
        assertEquals(sent, h.toClient.sent.size(), "nothing went out with a reserved sequence number");
    }

    @Test
    void aSnapshotOpensOnlyUnderItsKeyAndUnaltered() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, 4);
        byte[] snapshot = ConnectionSnapshot.take(h.server(), KEY, 100, 1);
        SecretKey other = new SecretKeySpec(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, "AES");
        DtlsConfig config = serverConfig(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, 4);
        assertThrows(IllegalArgumentException.class,
                () -> ConnectionSnapshot.restore(snapshot, other, config, (b, o, l) -> { }, new Recorder(), h.now));
        for (int i = 0; i < snapshot.length; i += 7) {
            byte[] altered = snapshot.clone();
            altered[i] ^= 0x40;
            assertThrows(IllegalArgumentException.class,
                    () -> ConnectionSnapshot.restore(altered, KEY, config, (b, o, l) -> { }, new Recorder(), h.now));
        }
        assertThrows(IllegalArgumentException.class, () -> ConnectionSnapshot.restore(new byte[0], KEY, config,
                (b, o, l) -> { }, new Recorder(), h.now));
        assertFalse(new String(snapshot, StandardCharsets.ISO_8859_1).contains(new String(TestConfigs.PSK_IDENTITY,
                StandardCharsets.ISO_8859_1)), "sealed: not even the PSK identity shows");
    }

    @Test
    void onlyAnEstablishedConnectionIsSnapshot() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build()).start();
        assertThrows(IllegalStateException.class, () -> ConnectionSnapshot.take(h.client, KEY, 10, 1));
        assertTrue(h.handshake());
        assertThrows(IllegalArgumentException.class, () -> ConnectionSnapshot.take(h.client, KEY, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ConnectionSnapshot.take(h.client, new SecretKeySpec(new byte[10], "AES"), 10, 1));
        byte[] clientSnapshot = ConnectionSnapshot.take(h.client, KEY, 10, 1);
        DtlsConnection c = ConnectionSnapshot.restore(clientSnapshot, KEY, TestConfigs.pskClient().build(),
                (b, o, l) -> { }, new Recorder(), h.now);
        assertTrue(c.isClient() && c.isEstablished());
        assertArrayEquals(h.client.exportKeyingMaterial("EXPERIMENTAL x", null, 16),
                c.exportKeyingMaterial("EXPERIMENTAL x", null, 16), "the same master secret");
    }
}
