package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.record.DropReason;
import org.dtls4j.wire.AlertDescription;
import org.junit.jupiter.api.Test;

/**
 * {@link DtlsAcceptor#restAfter}: a quiet established connection is kept as its {@link ConnectionAtRest} form and
 * woken by its next datagram exactly where it was — sequence numbers, replay window, keys, exporter, CIDs, the
 * bad-MAC count and a snapshot's cap — without the peer noticing.
 */
class ConnectionAtRestTest {
    private static final long REST = 2_000_000_000L;
    private static final String LABEL = "EXPERIMENTAL-at-rest";

    private static Harness established(CipherSuite suite, int cid, DtlsConfig.Builder server) {
        DtlsConfig.Builder c = TestConfigs.pskClient(suite);
        if (cid >= 0) {
            c.connectionIdLength(cid);
            server.connectionIdLength(cid);
        }
        Harness h = new Harness(c.build(), server.build());
        h.acceptor.restAfter(REST);
        h.start();
        assertTrue(h.handshake());
        return h;
    }

    private static Harness established(CipherSuite suite, int cid) {
        return established(suite, cid, TestConfigs.pskServer(suite));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The client sends a record (so the server lets its last flight go); returns the server's connection. */
    private static DtlsConnection clientTalked(Harness h) {
        h.client.send(utf8("hello"), h.now);
        h.drain();
        return h.server();
    }

    /** The client talks, the server answers, then both stay quiet until the rest. */
    private static DtlsConnection talkThenRest(Harness h) {
        DtlsConnection live = clientTalked(h);
        live.send(utf8("hello back"), h.now);
        h.drain();
        passes(h, REST);
        assertEquals(1, h.acceptor.restingCount(), "quiet for restAfter: at rest");
        return live;
    }

    /** Time passes without a datagram; the acceptor's timers run. */
    private static void passes(Harness h, long nanos) {
        h.now += nanos;
        h.acceptor.onTimeout(h.now);
    }

    private static void deliverToServer(Harness h, byte[] d) {
        h.acceptor.receive(d.clone(), 0, d.length, h.clientFrom, h.now);
    }

    @Test
    void aQuietConnectionRestsAndWakesWhereItWas() {
        for (CipherSuite suite : new CipherSuite[] {CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256,
                CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256}) {
            for (int cid : new int[] {-1, 6}) {
                restAndWake(suite, cid);
            }
        }
    }

    private void restAndWake(CipherSuite suite, int cid) {
        String what = suite + " cid=" + cid;
        Harness h = established(suite, cid);
        h.client.send(utf8("hello"), h.now);
        h.drain();
        DtlsConnection live = h.server();
        live.send(utf8("hello back"), h.now);
        h.drain();
        long nextWrite = live.recordLayer().nextWriteSequence();
        byte[] exported = live.exportKeyingMaterial(LABEL, null, 32);
        int sentBefore = h.toClient.sent.size();

        passes(h, REST);
        assertEquals(1, h.acceptor.restingCount(), what);
        assertEquals(1, h.acceptor.connectionCount(), "a connection at rest still counts");
        assertEquals(cid > 0 ? 1 : 0, h.acceptor.connectionIdCount(), "its CID still routes");
        assertTrue(live.isClosed(), "the live object is retired: it can never write again");
        assertEquals(0, h.serverEvents.closedCount, "resting is no end: nobody hears onClosed");
        assertEquals(sentBefore, h.toClient.sent.size(), "and the peer hears nothing");
        assertTrue(h.acceptor.holds(h.clientFrom));

        h.client.send(utf8("after the rest"), h.now);
        h.drain();
        assertEquals(List.of("hello", "after the rest"), h.serverEvents.dataAsStrings(), what);
        assertEquals(0, h.acceptor.restingCount());
        assertEquals(1, h.acceptor.wakes());
        DtlsConnection woken = h.server();
        assertNotSame(live, woken);
        assertEquals(nextWrite, woken.recordLayer().nextWriteSequence(), "the write sequence goes on exactly");
        assertEquals(suite, woken.handshakeResult().suite());
        assertArrayEquals(TestConfigs.PSK_IDENTITY, woken.handshakeResult().pskIdentity());
        assertArrayEquals(exported, woken.exportKeyingMaterial(LABEL, null, 32), "the exporter is the same");
        woken.send(utf8("from the woken server"), h.now);
        h.drain();
        assertEquals("from the woken server", last(h.clientEvents.dataAsStrings()), what);
        assertFalse(h.client.isClosed());
    }

    @Test
    void theReplayWindowIsKeptExactly() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, -1);
        h.client.send(utf8("one"), h.now);
        byte[] one = h.toServer.poll();
        h.client.send(utf8("two"), h.now);
        byte[] two = h.toServer.poll();
        h.client.send(utf8("three"), h.now);
        byte[] three = h.toServer.poll();
        deliverToServer(h, one);
        deliverToServer(h, three);
        passes(h, REST);
        assertEquals(1, h.acceptor.restingCount());

        deliverToServer(h, two);
        assertEquals(List.of("one", "three", "two"), h.serverEvents.dataAsStrings(),
                "a late record inside the window is still taken after a rest (a snapshot would drop it)");
        DtlsConnection woken = h.server();
        deliverToServer(h, one);
        assertEquals(1, woken.drops(DropReason.REPLAY), "a replay is dropped after the rest too");

        passes(h, REST);
        assertEquals(1, h.acceptor.restingCount());
        long rests = h.acceptor.rests();
        deliverToServer(h, three);
        assertEquals(3, h.serverEvents.dataAsStrings().size(), "a replay that wakes it is still a replay");
        assertEquals(1, h.acceptor.restingCount(), "a wake that authenticated nothing goes straight back to rest");
        assertEquals(rests + 1, h.acceptor.rests());
    }

    @Test
    void datagramsThatCannotBeItsDoNotWakeIt() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, -1);
        talkThenRest(h);
        byte[] epoch0 = {23, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 9, 0, 3, 1, 2, 3};
        h.acceptor.receive(epoch0, 0, epoch0.length, h.clientFrom, h.now);
        assertEquals(1, h.acceptor.atRestDrops());
        assertEquals(0, h.acceptor.wakes());
        assertEquals(1, h.acceptor.restingCount());
        byte[] empty = new byte[0];
        h.acceptor.receive(empty, 0, 0, h.clientFrom, h.now);
        assertEquals(0, h.acceptor.wakes(), "an empty datagram wakes nothing either");
    }

    @Test
    void aConnectionKeepingItsLastFlightRestsOnlyOnceThePeerHasIt() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, -1);
        passes(h, REST);
        assertEquals(0, h.acceptor.restingCount(), "the client has not shown it got our Finished: keep the flight");
        h.client.send(utf8("got it"), h.now);
        h.drain();
        passes(h, REST);
        assertEquals(1, h.acceptor.restingCount(), "its first record proved it: now it rests");
    }

    @Test
    void aSilentPeerLetsTheFlightGoAfterTheRetentionAndThenRests() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, -1);
        passes(h, REST);
        assertEquals(0, h.acceptor.restingCount());
        passes(h, TestConfigs.pskServer().build().recordLayerConfig().previousEpochRetentionNanos() + REST);
        assertEquals(1, h.acceptor.restingCount());
    }

    @Test
    void theIdleLimitClosesAConnectionAtRest() {
        Harness h = new Harness(TestConfigs.pskClient().build(), TestConfigs.pskServer().build());
        h.acceptor.restAfter(REST);
        h.acceptor.idleTimeouts(10 * REST, 10 * REST);
        h.start();
        assertTrue(h.handshake());
        talkThenRest(h);
        assertTrue(h.acceptor.nextTimeoutNanos() < Long.MAX_VALUE, "the idle limit still has a timer");
        assertTrue(h.runUntil(() -> h.client.isClosed()), "the client heard close_notify");
        assertNull(h.client.failure());
        assertEquals(1, h.serverEvents.closedCount);
        assertNull(h.serverEvents.closedCause);
        assertEquals(1, h.acceptor.idleClosed());
        assertEquals(0, h.acceptor.connectionCount());
        assertEquals(0, h.acceptor.restingCount());
        assertEquals(Long.MAX_VALUE, h.acceptor.nextTimeoutNanos());
    }

    @Test
    void aNewHandshakeFromItsAddressWakesItOnlyOnceTheCookieIsVerified() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, -1);
        talkThenRest(h);
        Recorder second = new Recorder();
        h.newClient(null, second).start(h.now);
        long verifyRequests = h.acceptor.helloVerifyRequestsSent();
        deliverToServer(h, h.toServer.poll());
        assertEquals(verifyRequests + 1, h.acceptor.helloVerifyRequestsSent());
        assertEquals(0, h.acceptor.wakes(), "a ClientHello without a cookie wakes nothing");
        assertTrue(h.runUntil(second::isComplete));
        assertEquals(1, h.acceptor.wakes(), "the verified one woke it, to be replaced (RFC 6347 §4.2.8)");
        assertEquals(1, h.acceptor.connectionsReplaced());
        assertEquals(1, h.acceptor.connectionCount());
        assertEquals(0, h.acceptor.restingCount());
    }

    @Test
    void aCidPeerWakesFromANewAddress() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, 6);
        talkThenRest(h);
        InetSocketAddress before = h.clientFrom;
        h.clientFrom = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40999);
        h.client.send(utf8("from elsewhere"), h.now);
        h.drain();
        assertEquals("from elsewhere", last(h.serverEvents.dataAsStrings()));
        assertEquals(1, h.acceptor.addressChanges());
        assertNotNull(h.acceptor.connection(h.clientFrom));
        assertFalse(h.acceptor.holds(before));
    }

    @Test
    void theBadMacCountSpansRests() {
        DtlsConfig.Builder server = TestConfigs.pskServer(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).badMacLimit(3);
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, -1, server);
        talkThenRest(h);
        h.client.send(utf8("to forge"), h.now);
        byte[] genuine = h.toServer.poll();
        for (int i = 0; i < 3; i++) {
            byte[] forged = genuine.clone();
            forged[forged.length - 1 - i] ^= 1;
            deliverToServer(h, forged);
            if (i < 2) {
                assertEquals(1, h.acceptor.restingCount(), "a forgery wakes it, and it rests again");
            }
        }
        assertEquals(0, h.acceptor.connectionCount(), "the third forgery across rests reached the limit");
        assertEquals(1, h.serverEvents.closedCount);
        assertEquals(AlertDescription.BAD_RECORD_MAC, h.serverEvents.closedCause.alert());
    }

    @Test
    void aConnectionWokenByALookupRestsAgainWhenQuiet() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, -1);
        talkThenRest(h);
        assertNotNull(h.server(), "connection(peer) wakes it");
        assertEquals(0, h.acceptor.restingCount());
        assertTrue(h.acceptor.nextTimeoutNanos() <= h.now + REST, "its rest deadline is set, whoever woke it");
        passes(h, REST);
        assertEquals(1, h.acceptor.restingCount());
    }

    @Test
    void aSnapshotsCapSurvivesARest() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, -1);
        DtlsConnection live = clientTalked(h);
        long next = live.recordLayer().nextWriteSequence();
        ConnectionSnapshot.take(live, new SecretKeySpec(new byte[16], "AES"), 3, 1);
        passes(h, REST);
        assertEquals(1, h.acceptor.restingCount());
        DtlsConnection woken = h.server();
        assertEquals(next + 3, woken.recordLayer().writeSequenceLimit(),
                "the block a snapshot reserved stays out of the woken copy's reach");
    }

    @Test
    void closeAllWakesThemToSayGoodbye() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, -1);
        talkThenRest(h);
        h.acceptor.closeAll(h.now);
        h.drain();
        assertTrue(h.client.isClosed(), "the client heard close_notify from the connection at rest");
        assertEquals(1, h.serverEvents.closedCount);
        assertEquals(0, h.acceptor.connectionCount());
    }

    @Test
    void aPskConnectionAtRestIsAFewHundredBytes() {
        Harness h = established(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, -1);
        DtlsConnection live = clientTalked(h);
        assertTrue(live.canRest(h.now));
        byte[] form = ConnectionAtRest.freeze(live);
        assertTrue(form.length <= 200, "form of " + form.length + " bytes");
        assertTrue(ConnectionAtRest.isFor(form, h.clientFrom));
        assertEquals(live.lastProgressNanos(), ConnectionAtRest.lastProgress(form));
    }

    private static <T> T last(List<T> l) {
        return l.get(l.size() - 1);
    }
}
