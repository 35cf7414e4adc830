package org.dtls4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsServer;
import org.dtls4j.testkit.TestPki;
import org.junit.jupiter.api.Test;

/** Each example completes one exchange on loopback, the way its main would. */
class ExamplesTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final byte[] IDENTITY = "client-1".getBytes(UTF_8);
    private static final byte[] KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    @Test
    void pskEchoServerAndClient() throws Exception {
        try (DtlsServer server = PskEchoServer.start(ANY_LOOPBACK, IDENTITY, KEY)) {
            assertEquals("hello", PskEchoClient.echo(server.localAddress(), IDENTITY, KEY, "hello"));
        }
    }

    @Test
    void certificateServerGreetsTheClientByItsCertificate() throws Exception {
        TestPki.Identity serverId = TestPki.chain(TestPki.KeyType.EC_P256, "server.example", 2, 0);
        TestPki.Identity clientId = TestPki.chain(TestPki.KeyType.EC_P256, "client.example", 2, 0);
        try (DtlsServer server = CertificateServerWithClientAuth.start(ANY_LOOPBACK, serverId.key(),
                serverId.chainWithoutRoot(), clientId.root())) {
            DtlsConfig client = DtlsConfig.builder()
                    .trustedCertificates(serverId.root()).serverName("server.example")
                    .certificate(clientId.key(), clientId.chainWithoutRoot())
                    .build();
            try (DtlsClient c = DtlsClient.connect(client, server.localAddress(), Duration.ofSeconds(10))) {
                c.send("hi".getBytes(UTF_8));
                String reply = new String(c.receive(Duration.ofSeconds(10)), UTF_8);
                assertEquals("hello, " + clientId.leaf().getSubjectX500Principal().getName() + ": hi", reply);
            }
        }
    }

    @Test
    void sansIoClientOverItsOwnChannel() throws Exception {
        try (DtlsServer server = PskEchoServer.start(ANY_LOOPBACK, IDENTITY, KEY)) {
            DtlsConfig config = DtlsConfig.builder().pskIdentity(IDENTITY, KEY).build();
            assertEquals("sans-io", SansIoClient.exchange(server.localAddress(), config, "sans-io", 10_000));
        }
    }

    @Test
    void nettyEchoServer() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            DtlsConfig config = DtlsConfig.builder()
                    .pskStore(id -> MessageDigest.isEqual(id, IDENTITY) ? KEY.clone() : null).build();
            Channel channel = NettyEchoServer.start(group, ANY_LOOPBACK, config);
            assertEquals("via netty", PskEchoClient.echo((InetSocketAddress) channel.localAddress(), IDENTITY, KEY,
                    "via netty"));
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
