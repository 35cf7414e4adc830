package org.dtls4j.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsConfig;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handlers on two {@link EmbeddedChannel}s wired together by hand: no sockets, time driven by the test. */
class EmbeddedDtlsTest {
    static final byte[] PSK_IDENTITY = "client-1".getBytes(UTF_8);
    static final byte[] PSK_KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    static final PskStore PSK_STORE = id -> java.util.Arrays.equals(id, PSK_IDENTITY) ? PSK_KEY.clone() : null;
    private static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4433);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);

    private final List<Object> serverEvents = new ArrayList<>();
    private final List<Object> clientEvents = new ArrayList<>();
    private DtlsServerHandler serverHandler;
    private DtlsClientHandler clientHandler;
    private EmbeddedChannel server;
    private EmbeddedChannel client;

    static DtlsConfig pskServer() {
        return DtlsConfig.builder().pskStore(PSK_STORE).build();
    }

    static DtlsConfig pskClient() {
        return DtlsConfig.builder().pskIdentity(PSK_IDENTITY, PSK_KEY).build();
    }

    @BeforeEach
    void wire() {
        NettyLeaks.install();
        serverHandler = new DtlsServerHandler(pskServer());
        clientHandler = new DtlsClientHandler(pskClient(), SERVER);
        // Only advanceTimeBy moves the clocks, so the timer assertions do not depend on the machine's speed.
        // Frozen before the handlers join: the client starts (and arms its 1 s timer) in handlerAdded, and a
        // clock frozen after that would already be some real milliseconds past the arming on a loaded machine.
        server = new EmbeddedChannel();
        client = new EmbeddedChannel();
        server.freezeTime();
        client.freezeTime();
        server.pipeline().addLast(serverHandler, recorder(serverEvents));
        client.pipeline().addLast(clientHandler, recorder(clientEvents));
    }

    @AfterEach
    void noLeaks() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
        NettyLeaks.assertNone();
    }

    private static ChannelInboundHandlerAdapter recorder(List<Object> events) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        };
    }

    /** Moves every datagram written on {@code from} into {@code to}; returns how many moved. */
    private static int deliver(EmbeddedChannel from, InetSocketAddress fromAddress, EmbeddedChannel to,
                               InetSocketAddress toAddress) {
        int n = 0;
        for (DatagramPacket p; (p = from.readOutbound()) != null; n++) {
            assertEquals(toAddress, p.recipient());
            DatagramPacket in = new DatagramPacket(p.content(), toAddress, fromAddress);
            to.writeInbound(in);
            assertEquals(0, in.refCnt(), "the handler releases every inbound datagram");
        }
        return n;
    }

    /** Runs both directions until nothing moves. */
    private void exchange() {
        for (int i = 0; i < 20; i++) {
            if (deliver(client, CLIENT, server, SERVER) + deliver(server, SERVER, client, CLIENT) == 0) {
                return;
            }
        }
        throw new AssertionError("the exchange did not settle");
    }

    private static ByteBuf text(String s) {
        return ByteBufAllocator.DEFAULT.buffer().writeBytes(s.getBytes(UTF_8));
    }

    private static String readText(DatagramPacket p) {
        try {
            return p.content().toString(UTF_8);
        } finally {
            p.release();
        }
    }

    @Test
    void handshakeThenDataBothWaysAsDatagramPackets() {
        exchange();
        assertTrue(clientHandler.handshakeFuture().isSuccess());
        assertTrue(clientHandler.handshakeFuture().getNow().suite().keyExchange().usesPsk());
        DtlsEvent.HandshakeCompleted atServer = assertInstanceOf(DtlsEvent.HandshakeCompleted.class,
                serverEvents.get(0));
        assertEquals(CLIENT, atServer.peer());
        assertInstanceOf(DtlsEvent.HandshakeCompleted.class, clientEvents.get(0));
        assertEquals(1, serverHandler.connectionCount());
        assertEquals(0, serverHandler.halfOpenCount());
        assertEquals(1, serverHandler.helloVerifyRequestsSent());

        ChannelFuture ping = client.writeOneOutbound(text("ping"));
        client.flushOutbound();
        assertTrue(ping.isSuccess());
        deliver(client, CLIENT, server, SERVER);
        DatagramPacket request = server.readInbound();
        assertEquals(CLIENT, request.sender());
        assertEquals("ping", readText(request));

        ChannelFuture reply = server.writeOneOutbound(new DatagramPacket(text("pong"), CLIENT));
        server.flushOutbound();
        assertTrue(reply.isSuccess());
        deliver(server, SERVER, client, CLIENT);
        DatagramPacket answer = client.readInbound();
        assertEquals(SERVER, answer.sender());
        assertEquals("pong", readText(answer));
    }

    @Test
    void aQuietPeerRestsOnTheEventLoopTimerAndWakesByItsDatagramAndByAWrite() {
        serverHandler.restAfter(Duration.ofSeconds(2));
        exchange();
        assertTrue(clientHandler.handshakeFuture().isSuccess());
        client.writeOneOutbound(text("ping"));
        client.flushOutbound();
        deliver(client, CLIENT, server, SERVER);
        assertEquals("ping", readText(server.readInbound()));
        byte[] exported = serverHandler.connection(CLIENT).exportKeyingMaterial("EXPERIMENTAL-netty", null, 16);

        server.advanceTimeBy(1999, TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertEquals(0, serverHandler.restingCount(), "quiet for less than restAfter: still live");
        server.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertEquals(1, serverHandler.restingCount(), "the handler's timer put it to rest");
        assertEquals(1, serverHandler.connectionCount(), "at rest is still connected");
        assertArrayEquals(PSK_IDENTITY, serverHandler.handshakeResult(CLIENT).pskIdentity(), "who it is, read at rest");
        assertArrayEquals(exported, serverHandler.exportKeyingMaterial(CLIENT, "EXPERIMENTAL-netty", null, 16),
                "the same keying material, exported at rest");
        assertEquals(1, serverHandler.restingCount(), "reading who it is does not wake it");
        assertEquals(0, serverHandler.wakes());
        assertNull(serverHandler.handshakeResult(new InetSocketAddress("192.0.2.1", 5684)), "no such peer");
        assertNull(server.readOutbound(), "the peer hears nothing of it");

        client.writeOneOutbound(text("wake up"));
        client.flushOutbound();
        deliver(client, CLIENT, server, SERVER);
        assertEquals("wake up", readText(server.readInbound()));
        assertEquals(0, serverHandler.restingCount());
        assertEquals(1, serverHandler.wakes());
        assertArrayEquals(PSK_IDENTITY, serverHandler.connection(CLIENT).handshakeResult().pskIdentity());
        assertArrayEquals(exported, serverHandler.connection(CLIENT).exportKeyingMaterial("EXPERIMENTAL-netty", null, 16));

        server.advanceTimeBy(2001, TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertEquals(1, serverHandler.restingCount(), "woken, then quiet again: back at rest");
        ChannelFuture pushed = server.writeOneOutbound(new DatagramPacket(text("pushed"), CLIENT));
        server.flushOutbound();
        assertTrue(pushed.isSuccess(), "a write finds the connection at rest and wakes it");
        assertEquals(2, serverHandler.wakes());
        deliver(server, SERVER, client, CLIENT);
        assertEquals("pushed", readText(client.readInbound()));
    }

    @Test
    void restAfterRefusesANonPositiveTime() {
        assertThrows(IllegalArgumentException.class, () -> serverHandler.restAfter(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> serverHandler.restAfter(Duration.ofSeconds(-1)));
    }

    @Test
    void lostHelloVerifyRequestIsRetransmittedWhenTheEventLoopClockAdvances() {
        deliver(client, CLIENT, server, SERVER);
        DatagramPacket lost = server.readOutbound();
        lost.release();
        assertTrue(clientHandler.timerArmed());
        assertNull(client.readOutbound());

        client.advanceTimeBy(999, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        assertNull(client.readOutbound(), "nothing before the 1 s initial timeout (RFC 6347 §4.2.4.1)");
        client.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        assertEquals(1, deliver(client, CLIENT, server, SERVER), "the ClientHello went out again");
        exchange();
        assertTrue(clientHandler.handshakeFuture().isSuccess());
    }

    @Test
    void serverRetransmitsItsFlightFromOneTimerTask() {
        deliver(client, CLIENT, server, SERVER);               // ClientHello
        deliver(server, SERVER, client, CLIENT);               // HelloVerifyRequest
        deliver(client, CLIENT, server, SERVER);               // ClientHello with cookie
        List<DatagramPacket> flight = drain(server);
        assertFalse(flight.isEmpty());
        flight.forEach(DatagramPacket::release);               // the server's flight is lost
        assertTrue(serverHandler.timerArmed());
        server.advanceTimeBy(1100, TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertEquals(flight.size(), deliver(server, SERVER, client, CLIENT), "the same flight, resent");
        exchange();
        assertTrue(clientHandler.handshakeFuture().isSuccess());
    }

    private static List<DatagramPacket> drain(EmbeddedChannel ch) {
        List<DatagramPacket> out = new ArrayList<>();
        for (DatagramPacket p; (p = ch.readOutbound()) != null; ) {
            out.add(p);
        }
        return out;
    }

    @Test
    void newPeersWaitWhileTheChannelIsNotWritable() {
        server.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertFalse(server.isWritable());
        deliver(client, CLIENT, server, SERVER);
        assertNull(server.readOutbound(), "no HelloVerifyRequest while unwritable");
        assertEquals(1, serverHandler.newPeersDeferred());
        assertEquals(0, serverHandler.connectionCount());

        server.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        client.advanceTimeBy(1100, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();                     // the client retransmits its ClientHello
        exchange();
        assertTrue(clientHandler.handshakeFuture().isSuccess());
    }

    @Test
    void writesWithoutAConnectionFailAndAreReleased() {
        DatagramPacket toStranger = new DatagramPacket(text("x"), CLIENT);
        ChannelFuture f = server.writeOneOutbound(toStranger);
        assertInstanceOf(IllegalStateException.class, f.cause());
        assertEquals(0, toStranger.refCnt());

        ByteBuf early = text("too early");
        ChannelFuture g = client.writeOneOutbound(early);
        assertInstanceOf(IllegalStateException.class, g.cause());
        assertEquals(0, early.refCnt());

        ByteBuf notADatagram = text("plain");
        assertInstanceOf(IllegalArgumentException.class, server.writeOneOutbound(notADatagram).cause());
        assertEquals(0, notADatagram.refCnt());
    }

    @Test
    void tooLargeRecordFailsTheWrite() {
        exchange();
        ByteBuf big = ByteBufAllocator.DEFAULT.buffer().writeZero(clientHandler.connection().maxSendPlaintext() + 1);
        ChannelFuture f = client.writeOneOutbound(big);
        assertInstanceOf(IllegalArgumentException.class, f.cause());
        assertEquals(0, big.refCnt());
        ByteBuf max = ByteBufAllocator.DEFAULT.buffer().writeZero(clientHandler.connection().maxSendPlaintext());
        client.writeOneOutbound(max);
        client.flushOutbound();
        deliver(client, CLIENT, server, SERVER);
        DatagramPacket got = server.readInbound();
        assertEquals(clientHandler.connection().maxSendPlaintext(), got.content().readableBytes());
        got.release();
    }

    @Test
    void garbageFromStrangersAndTheWrongSenderIsDropped() {
        DatagramPacket junk = new DatagramPacket(text("not a DTLS record"), SERVER, CLIENT);
        server.writeInbound(junk);
        assertEquals(0, junk.refCnt());
        assertNull(server.readOutbound());
        assertEquals(0, serverHandler.connectionCount());

        InetSocketAddress stranger = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        DatagramPacket foreign = new DatagramPacket(text("hello"), CLIENT, stranger);
        client.writeInbound(foreign);
        assertEquals(0, foreign.refCnt());
        assertEquals(1, clientHandler.foreignDatagrams());
    }

    @Test
    void closingTheServerChannelSendsCloseNotifyToEachPeer() {
        exchange();
        server.close();
        assertTrue(deliver(server, SERVER, client, CLIENT) > 0);
        DtlsEvent.Closed closed = assertInstanceOf(DtlsEvent.Closed.class, clientEvents.get(clientEvents.size() - 1));
        assertNull(closed.cause(), "close_notify is a clean end");
        assertTrue(clientHandler.connection().isClosed());
        assertInstanceOf(DtlsEvent.Closed.class, serverEvents.get(serverEvents.size() - 1));
    }

    @Test
    void channelClosingBeforeTheHandshakeFailsTheFuture() {
        client.close();
        assertFalse(clientHandler.handshakeFuture().isSuccess());
        assertInstanceOf(DtlsException.class, clientHandler.handshakeFuture().cause());
        assertFalse(clientHandler.timerArmed());
    }
}
