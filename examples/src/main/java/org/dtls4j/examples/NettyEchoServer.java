package org.dtls4j.examples;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.dtls4j.DtlsConfig;
import org.dtls4j.netty.DtlsEvent;
import org.dtls4j.netty.DtlsServerHandler;

/**
 * A DTLS echo server on Netty: {@link DtlsServerHandler} decrypts each peer's datagrams and hands the
 * application {@code DatagramPacket}s whose sender is the peer; writing a {@code DatagramPacket} back to that
 * peer encrypts it for that peer's connection.
 *
 * <pre>
 *   java -cp ... org.dtls4j.examples.NettyEchoServer 4433 client-1 0102030405060708090a0b0c0d0e0f10
 * </pre>
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    /** The application: echo every datagram to its sender, and log handshakes and closures. */
    static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            // retain(): SimpleChannelInboundHandler releases the packet after this method.
            ctx.write(new DatagramPacket(packet.content().retain(), packet.sender()));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof DtlsEvent.HandshakeCompleted done) {
                System.out.println(done.peer() + " connected with " + done.result().suite());
            } else if (event instanceof DtlsEvent.Closed closed) {
                System.out.println(closed.peer() + " closed" + (closed.cause() == null ? "" : ": " + closed.cause()));
            }
            ctx.fireUserEventTriggered(event);
        }
    }

    /** Binds a datagram channel on {@code address} with the DTLS handler and the echo behind it. */
    public static Channel start(EventLoopGroup group, InetSocketAddress address, DtlsConfig config)
            throws InterruptedException {
        return new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DtlsServerHandler(config), new Echo());
                    }
                })
                .bind(address).sync().channel();
    }

    /** Arguments: port, PSK identity, PSK key in hex. Runs until killed. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 4433;
        byte[] identity = (args.length > 1 ? args[1] : "client-1").getBytes(StandardCharsets.UTF_8);
        byte[] key = HexFormat.of().parseHex(args.length > 2 ? args[2] : "0102030405060708090a0b0c0d0e0f10");
        DtlsConfig config = DtlsConfig.builder()
                .pskStore(id -> MessageDigest.isEqual(id, identity) ? key.clone() : null)
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = start(group, new InetSocketAddress(port), config);
            System.out.println("echoing on " + channel.localAddress());
            channel.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
