package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.AgreedConnectionId;
import org.dtls4j.record.DropReason;
import org.junit.jupiter.api.Test;

/** RFC 9146 end to end between two engines: negotiation, tls12_cid records, routing by CID and address change. */
class ConnectionIdTest {
    private static final CipherSuite SUITE = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;
    private static final InetSocketAddress REBOUND = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40777);
    private static final InetSocketAddress ELSEWHERE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40999);
    private static final int TLS12_CID = 25;
    private static final int APPLICATION_DATA = 23;

    private static Harness handshake(int clientCid, int serverCid, int budget) {
        DtlsConfig.Builder c = TestConfigs.pskClient(SUITE);
        DtlsConfig.Builder s = TestConfigs.pskServer(SUITE).addressValidationBudget(budget);
        if (clientCid >= 0) {
            c.connectionIdLength(clientCid);
        }
        if (serverCid >= 0) {
            s.connectionIdLength(serverCid);
        }
        Harness h = new Harness(c.build(), s.build()).start();
        assertTrue(h.handshake());
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] last(List<byte[]> sent) {
        return sent.get(sent.size() - 1);
    }

    @Test
    void bothSidesAgreeAndWriteEachOthersCid() {
        Harness h = handshake(4, 8, 0);
        AgreedConnectionId client = h.clientEvents.completed.get(0).connectionId();
        AgreedConnectionId server = h.serverEvents.completed.get(0).connectionId();
        assertEquals(4, client.read().length);
        assertEquals(8, server.read().length);
        assertArrayEquals(client.read(), server.write());
        assertArrayEquals(server.read(), client.write());
        assertEquals(1, h.acceptor.connectionIdCount());

        h.client.send(utf8("up"), h.now);
        byte[] up = last(h.toServer.sent);
        assertEquals(TLS12_CID, up[0] & 0xff);
        assertArrayEquals(server.read(), java.util.Arrays.copyOfRange(up, 11, 19), "the server's CID in the header");
        h.drain();
        h.server().send(utf8("down"), h.now);
        byte[] down = last(h.toClient.sent);
        assertEquals(TLS12_CID, down[0] & 0xff);
        h.drain();
        assertEquals(List.of("up"), h.serverEvents.dataAsStrings());
        assertEquals(List.of("down"), h.clientEvents.dataAsStrings());
        DtlsEvent.HandshakeCompleted done = h.serverEvents.events.stream()
                .filter(DtlsEvent.HandshakeCompleted.class::isInstance).map(DtlsEvent.HandshakeCompleted.class::cast)
                .findFirst().orElseThrow();
        assertArrayEquals(server.read(), done.connectionId());
    }

    @Test
    void finishedIsAlreadyACidRecord() {
        Harness h = handshake(4, 8, 0);
        // The client's second flight: ClientKeyExchange, ChangeCipherSpec (epoch 0) and Finished (epoch 1).
        boolean cidFinished = h.toServer.sent.stream().anyMatch(d -> containsRecordOfType(d, TLS12_CID));
        assertTrue(cidFinished, "the epoch-1 Finished is a tls12_cid record (RFC 9146 §3)");
    }

    private static boolean containsRecordOfType(byte[] d, int type) {
        int pos = 0;
        while (pos + 13 <= d.length) {
            int t = d[pos] & 0xff;
            int cid = t == TLS12_CID ? 8 : 0;
            if (t == type) {
                return true;
            }
            int len = (d[pos + 11 + cid] & 0xff) << 8 | d[pos + 12 + cid] & 0xff;
            pos += 13 + cid + len;
        }
        return false;
    }

    @Test
    void clientWithoutCidConnectsToServerThatWantsOne() {
        Harness h = handshake(-1, 8, 0);
        assertNull(h.clientEvents.completed.get(0).connectionId());
        assertNull(h.serverEvents.completed.get(0).connectionId());
        assertEquals(0, h.acceptor.connectionIdCount(), "the unused CID left the routing table");
        h.client.send(utf8("plain"), h.now);
        assertEquals(APPLICATION_DATA, last(h.toServer.sent)[0] & 0xff);
        h.drain();
        assertEquals(List.of("plain"), h.serverEvents.dataAsStrings());
    }

    @Test
    void zeroLengthMeansPlainRecordsTowardsThatSide() {
        Harness h = handshake(0, 8, 0);
        AgreedConnectionId client = h.clientEvents.completed.get(0).connectionId();
        assertEquals(0, client.read().length);
        assertEquals(8, client.write().length);
        h.client.send(utf8("up"), h.now);
        assertEquals(TLS12_CID, last(h.toServer.sent)[0] & 0xff);
        h.drain();
        h.server().send(utf8("down"), h.now);
        assertEquals(APPLICATION_DATA, last(h.toClient.sent)[0] & 0xff);
        h.drain();
        assertEquals(List.of("down"), h.clientEvents.dataAsStrings());
    }

    @Test
    void serverWithoutCidIgnoresTheOffer() {
        Harness h = handshake(4, -1, 0);
        assertNull(h.clientEvents.completed.get(0).connectionId());
        h.client.send(utf8("plain"), h.now);
        assertEquals(APPLICATION_DATA, last(h.toServer.sent)[0] & 0xff);
    }

    @Test
    void aRebindingMovesTheConnectionAndRepliesFollow() {
        Harness h = handshake(4, 8, 0);
        DtlsConnection server = h.server();
        h.clientFrom = REBOUND;
        h.client.send(utf8("after rebinding"), h.now);
        h.drain();
        assertEquals(List.of("after rebinding"), h.serverEvents.dataAsStrings());
        assertEquals(REBOUND, server.peer());
        assertSame(server, h.acceptor.connection(REBOUND));
        assertNull(h.acceptor.connection(Harness.CLIENT_ADDRESS));
        assertEquals(1, h.acceptor.addressChanges());
        DtlsEvent.AddressChanged moved = h.serverEvents.events.stream()
                .filter(DtlsEvent.AddressChanged.class::isInstance).map(DtlsEvent.AddressChanged.class::cast)
                .findFirst().orElseThrow();
        assertEquals(REBOUND, moved.peer());
        assertEquals(Harness.CLIENT_ADDRESS, moved.previous());
        assertNotNull(moved.connectionId());
    }

    @Test
    void theAcceptorHasReFiledTheAddressWhenTheListenerHearsOfTheMove() {
        // DtlsServer's workers re-claim the new address and release the old one from this event, asking the
        // acceptor which addresses it still holds: the table must already have moved.
        Harness h = handshake(4, 8, 0);
        List<String> seen = new ArrayList<>();
        h.serverEvents.onEventHook = (c, e) -> {
            if (e instanceof DtlsEvent.AddressChanged moved) {
                seen.add((h.acceptor.connection(moved.peer()) == c) + " " + (h.acceptor.connection(moved.previous()) == null)
                        + " " + c.peer().equals(moved.peer()) + " " + h.acceptor.addressChanges());
            }
        };
        h.clientFrom = REBOUND;
        h.client.send(utf8("after rebinding"), h.now);
        h.drain();
        assertEquals(List.of("true true true 1"), seen, "new address filed, old one free, peer moved, counted");
    }

    @Test
    void aReplayedRecordFromANewAddressMovesNothing() {
        Harness h = handshake(4, 8, 0);
        h.client.send(utf8("once"), h.now);
        byte[] captured = last(h.toServer.sent);
        h.drain();
        DtlsConnection server = h.server();
        long replays = server.drops(DropReason.REPLAY);
        h.acceptor.receive(captured, 0, captured.length, ELSEWHERE, h.now);
        assertEquals(replays + 1, server.drops(DropReason.REPLAY));
        assertEquals(Harness.CLIENT_ADDRESS, server.peer());
        assertEquals(0, h.acceptor.addressChanges());
        assertEquals(List.of("once"), h.serverEvents.dataAsStrings());
    }

    @Test
    void anOlderRecordFromANewAddressIsDeliveredButMovesNothing() {
        Harness h = handshake(4, 8, 0);
        h.client.send(utf8("first"), h.now);
        byte[] first = last(h.toServer.sent);
        h.client.send(utf8("second"), h.now);
        byte[] second = last(h.toServer.sent);
        h.toServer.clear();
        h.acceptor.receive(second, 0, second.length, Harness.CLIENT_ADDRESS, h.now);
        h.acceptor.receive(first, 0, first.length, ELSEWHERE, h.now);
        DtlsConnection server = h.acceptor.connection(Harness.CLIENT_ADDRESS);
        assertEquals(Harness.CLIENT_ADDRESS, server.peer(), "reordered, not newer: the address stays");
        assertEquals(List.of("second", "first"), h.serverEvents.dataAsStrings());
    }

    /** A handshake, then the client rebinds and says "hi" from {@link #REBOUND}; the server has moved there. */
    private static Harness rebound(int budget) {
        Harness h = handshake(4, 8, budget);
        h.clientFrom = REBOUND;
        h.client.send(utf8("hi"), h.now);
        h.drain();
        assertEquals(REBOUND, h.server().peer());
        return h;
    }

    @Test
    void aMovedAddressIsSentNoMoreThanItSentUntilItAnswers() {
        Harness h = rebound(0);
        DtlsConnection server = h.server();
        int before = h.toClient.sent.size();
        server.send(new byte[1000], h.now);
        assertEquals(before, h.toClient.sent.size(), "1000 bytes to an address that sent a few dozen: held back");
        server.send(utf8("ok"), h.now);
        assertEquals(before + 1, h.toClient.sent.size(), "a reply no larger than the request goes out");
        h.client.send(utf8("still here"), h.now);
        h.drain();
        server.send(new byte[1000], h.now);
        assertEquals(before + 2, h.toClient.sent.size(), "validated by a newer record after our reply");
    }

    @Test
    void aBudgetLetsLargerRepliesThrough() {
        Harness h = rebound(2000);
        DtlsConnection server = h.server();
        int before = h.toClient.sent.size();
        server.send(new byte[1000], h.now);
        assertEquals(before + 1, h.toClient.sent.size());
    }

    @Test
    void aCidTheServerNeverIssuedIsACountedDrop() {
        Harness h = handshake(4, 8, 0);
        DtlsConnection server = h.server();
        h.client.send(utf8("x"), h.now);
        byte[] d = last(h.toServer.sent).clone();
        h.toServer.clear();
        d[11] ^= 1; // another CID: not in the routing table, so it goes by address, where the record layer refuses it
        long before = server.drops(DropReason.CID_MISMATCH);
        h.acceptor.receive(d, 0, d.length, Harness.CLIENT_ADDRESS, h.now);
        assertEquals(before + 1, server.drops(DropReason.CID_MISMATCH));
        h.acceptor.receive(d, 0, d.length, ELSEWHERE, h.now);
        assertNull(h.acceptor.connection(ELSEWHERE), "from an unknown address it reaches no connection at all");
        assertTrue(h.serverEvents.dataAsStrings().isEmpty());
    }

    @Test
    void aCidRecordToAConnectionWithoutCidsIsACountedDrop() {
        Harness h = handshake(-1, -1, 0);
        DtlsConnection server = h.server();
        h.client.send(utf8("x"), h.now);
        byte[] d = last(h.toServer.sent).clone();
        h.toServer.clear();
        d[0] = TLS12_CID;
        long before = server.drops(DropReason.CID_MISMATCH);
        h.acceptor.receive(d, 0, d.length, Harness.CLIENT_ADDRESS, h.now);
        assertEquals(before + 1, server.drops(DropReason.CID_MISMATCH));
    }

    @Test
    void anAbbreviatedHandshakeNegotiatesFreshCidsAndReplacesTheOldEntry() {
        Harness h = new Harness(TestConfigs.pskClient(SUITE).connectionIdLength(4).build(),
                TestConfigs.pskServer(SUITE).connectionIdLength(8)
                        .sessionCache(new org.dtls4j.handshake.session.SessionCache(4)).build()).start();
        assertTrue(h.handshake());
        byte[] firstCid = h.serverEvents.completed.get(0).connectionId().read();
        Recorder again = new Recorder();
        DtlsConnection second = h.newClient(h.client.handshakeResult().session(), again);
        second.start(h.now);
        assertTrue(h.runUntil(() -> again.isComplete() && h.serverEvents.completed.size() == 2));
        assertTrue(second.handshakeResult().resumed());
        AgreedConnectionId agreed = second.handshakeResult().connectionId();
        assertNotNull(agreed);
        assertFalse(java.util.Arrays.equals(firstCid, agreed.write()), "a new connection, a new CID");
        assertEquals(1, h.acceptor.connectionIdCount(), "the replaced connection's CID left the table");
        second.send(utf8("resumed"), h.now);
        assertEquals(TLS12_CID, last(h.toServer.sent)[0] & 0xff);
        h.drain();
        assertEquals("resumed", h.serverEvents.dataAsStrings().get(h.serverEvents.dataAsStrings().size() - 1));
    }

    @Test
    void aCidLeavesTheTableWithItsConnection() {
        Harness h = handshake(4, 8, 0);
        assertEquals(1, h.acceptor.connectionIdCount());
        h.clientFrom = REBOUND;
        h.client.send(utf8("moved"), h.now);
        h.drain();
        h.client.close(h.now);
        h.drain();
        assertTrue(h.serverEvents.isClosed());
        assertEquals(0, h.acceptor.connectionIdCount(), "bounded like the address table: gone with its connection");
        assertEquals(0, h.acceptor.connectionCount());
    }
}
