package org.dtls4j.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsServer;

/**
 * A DTLS echo server with a pre-shared key: every datagram a client sends comes back to it.
 *
 * <pre>
 *   java -cp ... org.dtls4j.examples.PskEchoServer 4433 client-1 0102030405060708090a0b0c0d0e0f10
 * </pre>
 */
public final class PskEchoServer {
    private PskEchoServer() {
    }

    /** Binds {@code address} and serves until the server is closed; the one identity it knows is {@code identity}. */
    public static DtlsServer start(InetSocketAddress address, byte[] identity, byte[] key) throws IOException {
        DtlsConfig config = DtlsConfig.builder()
                // The store answers null for an identity it does not know; the handshake then fails.
                .pskStore(id -> MessageDigest.isEqual(id, identity) ? key.clone() : null)
                .build();
        return DtlsServer.builder(config)
                .bind(address)
                .handler((server, peer, data) -> server.send(peer, data))
                .start();
    }

    /** Arguments: port, PSK identity, PSK key in hex. Runs until killed (close_notify to every peer). */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 4433;
        byte[] identity = (args.length > 1 ? args[1] : "client-1").getBytes(StandardCharsets.UTF_8);
        byte[] key = HexFormat.of().parseHex(args.length > 2 ? args[2] : "0102030405060708090a0b0c0d0e0f10");
        DtlsServer server = start(new InetSocketAddress(port), identity, key);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("echoing on " + server.localAddress());
        Thread.currentThread().join();
    }
}
