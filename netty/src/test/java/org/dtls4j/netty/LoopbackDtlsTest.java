package org.dtls4j.netty;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.UDPTransport;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsServer;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.testkit.BcPeers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The handlers on real {@link NioDatagramChannel}s over loopback, against dtls4j's own socket adapters and
 * against Bouncy Castle. Waits are bounded by events (futures, queues), never by sleeping.
 */
class LoopbackDtlsTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        NettyLeaks.install();
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        NettyLeaks.assertNone();
    }

    /** Echoes every datagram to its sender; the server handler in front encrypts the reply for that peer. */
    static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ctx.write(new DatagramPacket(packet.content().retain(), packet.sender()));
        }
    }

    private static Channel nettyEchoServer(DtlsServerHandler handler) throws InterruptedException {
        return bind(() -> new ChannelInitializer<DatagramChannel>() {
            @Override
            protected void initChannel(DatagramChannel ch) {
                ch.pipeline().addLast(handler, new Echo());
            }
        });
    }

    private static Channel bind(Supplier<ChannelHandler> init) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(init.get())
                .bind(ANY_LOOPBACK).sync().channel();
    }

    @Test
    void nettyServerEchoesForTheSocketClient() throws Exception {
        DtlsServerHandler handler = new DtlsServerHandler(EmbeddedDtlsTest.pskServer());
        Channel server = nettyEchoServer(handler);
        try (DtlsClient client = DtlsClient.connect(EmbeddedDtlsTest.pskClient(),
                (InetSocketAddress) server.localAddress(), WAIT)) {
            for (String s : new String[] {"one", "two", "three"}) {
                client.send(s.getBytes(UTF_8));
                assertEquals(s, new String(client.receive(WAIT), UTF_8));
            }
            assertEquals(1, server.eventLoop().submit(handler::connectionCount).get());
            // At least one: a slow first handshake may retransmit its ClientHello and get a second.
            assertTrue(server.eventLoop().submit(handler::helloVerifyRequestsSent).get() >= 1);
        } finally {
            server.close().sync();
        }
    }

    @Test
    void nettyClientTalksToTheSocketServer() throws Exception {
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        try (DtlsServer server = DtlsServer.builder(EmbeddedDtlsTest.pskServer()).bind(ANY_LOOPBACK)
                .handler((srv, peer, data) -> srv.send(peer, data)).start()) {
            DtlsClientHandler handler = new DtlsClientHandler(EmbeddedDtlsTest.pskClient(), server.localAddress());
            Channel ch = bind(() -> new ChannelInitializer<DatagramChannel>() {
                @Override
                protected void initChannel(DatagramChannel c) {
                    c.pipeline().addLast(handler, new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                            replies.add(p.content().toString(UTF_8));
                        }
                    });
                }
            });
            try {
                assertTrue(handler.handshakeFuture().await(WAIT.toMillis()), "handshake in time");
                HandshakeResult result = handler.handshakeFuture().getNow();
                assertTrue(result.suite().keyExchange().usesPsk());
                ch.writeAndFlush(ByteBufAllocator.DEFAULT.buffer().writeBytes("hello".getBytes(UTF_8))).sync();
                assertEquals("hello", replies.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                assertEquals(1, server.stats().handshakesCompleted());
            } finally {
                ch.close().sync();
            }
        }
    }

    @Test
    void bouncyCastleClientOverUdpAgainstTheNettyServer() throws Exception {
        DtlsServerHandler handler = new DtlsServerHandler(EmbeddedDtlsTest.pskServer());
        Channel server = nettyEchoServer(handler);
        try (DatagramSocket socket = new DatagramSocket(ANY_LOOPBACK)) {
            socket.connect(server.localAddress());
            var bc = BcPeers.client(BcPeers.Setup.psk(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
                    EmbeddedDtlsTest.PSK_IDENTITY, EmbeddedDtlsTest.PSK_KEY), null);
            DTLSTransport dtls = new DTLSClientProtocol().connect(bc, new UDPTransport(socket, 1500));
            byte[] message = "from Bouncy Castle".getBytes(UTF_8);
            dtls.send(message, 0, message.length);
            byte[] buf = new byte[1500];
            int n = dtls.receive(buf, 0, buf.length, (int) WAIT.toMillis());
            assertEquals("from Bouncy Castle", new String(buf, 0, n, UTF_8));
            dtls.close();
        } finally {
            server.close().sync();
        }
    }
}
