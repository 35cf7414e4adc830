package org.dtls4j.examples;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.dtls4j.DtlsClient;
import org.dtls4j.DtlsConfig;

/**
 * A DTLS client with a pre-shared key: sends one message and prints the reply.
 *
 * <pre>
 *   java -cp ... org.dtls4j.examples.PskEchoClient localhost 4433 client-1 0102030405060708090a0b0c0d0e0f10 hello
 * </pre>
 */
public final class PskEchoClient {
    private PskEchoClient() {
    }

    /** Handshakes with {@code server}, sends {@code message}, and returns the reply (null if none came in time). */
    public static String echo(InetSocketAddress server, byte[] identity, byte[] key, String message) throws Exception {
        DtlsConfig config = DtlsConfig.builder().pskIdentity(identity, key).build();
        try (DtlsClient client = DtlsClient.connect(config, server, Duration.ofSeconds(10))) {
            client.send(message.getBytes(StandardCharsets.UTF_8));
            // DTLS does not retransmit application data: a lost message or reply is simply lost.
            byte[] reply = client.receive(Duration.ofSeconds(5));
            return reply == null ? null : new String(reply, StandardCharsets.UTF_8);
        }
    }

    /** Arguments: host, port, PSK identity, PSK key in hex, message. */
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args.length > 0 ? args[0] : "localhost",
                args.length > 1 ? Integer.parseInt(args[1]) : 4433);
        byte[] identity = (args.length > 2 ? args[2] : "client-1").getBytes(StandardCharsets.UTF_8);
        byte[] key = HexFormat.of().parseHex(args.length > 3 ? args[3] : "0102030405060708090a0b0c0d0e0f10");
        System.out.println(echo(server, identity, key, args.length > 4 ? args[4] : "hello"));
    }
}
