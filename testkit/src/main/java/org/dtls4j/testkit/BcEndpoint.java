package org.dtls4j.testkit;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsClient;
import org.bouncycastle.tls.TlsServer;

/**
 * A Bouncy Castle DTLS endpoint running its blocking handshake on a daemon thread, so a test can
 * drive the dtls4j side on its own thread. {@link #close()} ends BC's thread whatever state it is in.
 */
public final class BcEndpoint implements AutoCloseable {
    public final QueueTransport transport;
    private final CompletableFuture<DTLSTransport> handshake = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean echo;
    /** Set when the BC server's receive loop saw the peer's close_notify. */
    public final CompletableFuture<Integer> echoed = new CompletableFuture<>();

    private BcEndpoint(QueueTransport transport, String name, HandshakeCall call) {
        this.transport = transport;
        this.thread = new Thread(() -> {
            DTLSTransport established;
            try {
                established = call.run();
                handshake.complete(established);
            } catch (Throwable t) {
                handshake.completeExceptionally(t);
                return;
            }
            if (echo) {
                echoUntilClosed(established);
            }
        }, name);
        thread.setDaemon(true);
    }

    @FunctionalInterface
    private interface HandshakeCall {
        DTLSTransport run() throws IOException;
    }

    /**
     * A BC server that, once its handshake completes, echoes every application datagram back until
     * the peer's close_notify or {@link #close()}: a server must keep reading, or it never answers
     * a client that retransmits its last flight.
     */
    public static BcEndpoint echoServer(TlsServer server, QueueTransport transport) {
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        BcEndpoint e = new BcEndpoint(transport, "bc-server", () -> protocol.accept(server, transport));
        e.echo = true;
        e.thread.start();
        return e;
    }

    public static BcEndpoint client(TlsClient client, QueueTransport transport) {
        DTLSClientProtocol protocol = new DTLSClientProtocol();
        BcEndpoint e = new BcEndpoint(transport, "bc-client", () -> protocol.connect(client, transport));
        e.thread.start();
        return e;
    }

    private void echoUntilClosed(DTLSTransport t) {
        byte[] buf = new byte[1 << 14];
        int count = 0;
        try {
            while (true) {
                int n = t.receive(buf, 0, buf.length, 100);
                if (n >= 0) {
                    t.send(buf, 0, n);
                    count++;
                }
            }
        } catch (IOException closedOrFailed) {
            // BC signals the peer's close_notify and a closed transport alike by throwing here.
            echoed.complete(count);
        }
    }

    /** BC's established transport, or the reason its handshake failed. */
    public DTLSTransport awaitHandshake(long seconds) throws IOException, TimeoutException, InterruptedException {
        try {
            return handshake.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("Bouncy Castle handshake failed: " + e.getCause(), e.getCause());
        }
    }

    public CompletableFuture<DTLSTransport> handshake() {
        return handshake;
    }

    @Override
    public void close() throws InterruptedException {
        transport.close();
        thread.join(5_000);
    }
}
