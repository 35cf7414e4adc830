package org.dtls4j.examples;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.wire.DtlsException;

/**
 * The sans-IO engine over a channel the application owns: {@link DtlsConnection} never touches a socket, a
 * thread or a clock. The application hands it every datagram it reads ({@code receive}), sends what it emits
 * (the sink), tells it the time, and calls {@code onTimeout} when {@code nextTimeoutNanos()} comes. Here the
 * channel is a plain {@link DatagramChannel} with a selector loop; the same four calls fit any transport
 * (a message queue, a radio link, a test's in-memory network).
 *
 * <pre>
 *   java -cp ... org.dtls4j.examples.SansIoClient localhost 4433 client-1 0102030405060708090a0b0c0d0e0f10 hello
 * </pre>
 */
public final class SansIoClient {
    private SansIoClient() {
    }

    /** Handshakes with {@code server} over an own channel, sends {@code message}, returns the first reply. */
    public static String exchange(InetSocketAddress server, DtlsConfig config, String message, long timeoutMillis)
            throws IOException, DtlsException {
        try (DatagramChannel channel = DatagramChannel.open(); Selector selector = Selector.open()) {
            channel.connect(server);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer out = ByteBuffer.allocate(65_535);
            String[] reply = new String[1];
            DtlsListener listener = new DtlsListener() {
                @Override
                public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
                    reply[0] = new String(buf, off, len, StandardCharsets.UTF_8);   // copy: the bytes are reused
                }
            };
            DtlsConnection connection = DtlsConnection.client(config, server, (buf, off, len) -> {
                out.clear();
                out.put(buf, off, len).flip();
                try {
                    channel.write(out);
                } catch (IOException e) {
                    // A datagram that cannot be sent is a lost datagram: the handshake retransmits.
                }
            }, listener);

            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            connection.start(System.nanoTime());
            boolean sent = false;
            ByteBuffer in = ByteBuffer.allocate(65_535);
            while (reply[0] == null) {
                if (connection.failure() != null) {
                    throw connection.failure();
                }
                if (connection.isEstablished() && !sent) {
                    connection.send(message.getBytes(StandardCharsets.UTF_8), System.nanoTime());
                    sent = true;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0 || connection.isClosed()) {
                    throw new SocketTimeoutException("no reply from " + server);
                }
                // Sleep in select until a datagram comes, the engine's timer is due, or the deadline passes.
                long until = Math.min(deadline, connection.nextTimeoutNanos());
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - now)));
                selector.selectedKeys().clear();
                in.clear();
                while (channel.receive(in) != null) {
                    connection.receive(in.array(), 0, in.position(), System.nanoTime());
                    in.clear();
                }
                if (connection.nextTimeoutNanos() <= System.nanoTime()) {
                    connection.onTimeout(System.nanoTime());
                }
            }
            connection.close(System.nanoTime());
            return reply[0];
        }
    }

    /** Arguments: host, port, PSK identity, PSK key in hex, message. */
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args.length > 0 ? args[0] : "localhost",
                args.length > 1 ? Integer.parseInt(args[1]) : 4433);
        byte[] identity = (args.length > 2 ? args[2] : "client-1").getBytes(StandardCharsets.UTF_8);
        byte[] key = HexFormat.of().parseHex(args.length > 3 ? args[3] : "0102030405060708090a0b0c0d0e0f10");
        DtlsConfig config = DtlsConfig.builder().pskIdentity(identity, key).build();
        System.out.println(exchange(server, config, args.length > 4 ? args[4] : "hello", 10_000));
    }
}
