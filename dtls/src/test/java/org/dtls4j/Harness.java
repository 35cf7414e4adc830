package org.dtls4j;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.handshake.session.Session;

/**
 * Two dtls4j engines in one thread: a client {@link DtlsConnection} and a server {@link DtlsAcceptor},
 * joined by two {@link SimLink}s, with a manual clock. {@link #runUntil} delivers queued datagrams and,
 * when the network is quiet, jumps the clock to the next timer: a minute of backoff takes microseconds.
 */
final class Harness {
    static final InetSocketAddress CLIENT_ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001);
    static final InetSocketAddress SERVER_ADDRESS = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4433);

    final SimLink toServer;
    final SimLink toClient;
    final Recorder clientEvents = new Recorder();
    final Recorder serverEvents = new Recorder();
    final DtlsAcceptor acceptor;
    final DtlsConfig clientConfig;
    DtlsConnection client;
    /** Where the client's datagrams come from as the server sees them; a test moves it to rebind a NAT. */
    InetSocketAddress clientFrom = CLIENT_ADDRESS;
    long now = 1_000_000_000L;
    int steps;

    Harness(DtlsConfig clientConfig, DtlsConfig serverConfig, long seed, double drop, double duplicate,
            double reorder) {
        this.clientConfig = clientConfig;
        this.toServer = new SimLink(seed, drop, duplicate, reorder);
        this.toClient = new SimLink(seed * 31 + 7, drop, duplicate, reorder);
        this.acceptor = new DtlsAcceptor(serverConfig, CookieVerifier.create(),
                (buf, off, len, peer) -> toClient.send(buf, off, len), serverEvents, 16);
        this.client = DtlsConnection.client(clientConfig, SERVER_ADDRESS, toServer::send, clientEvents);
    }

    /** A harness with a perfect network. */
    Harness(DtlsConfig clientConfig, DtlsConfig serverConfig) {
        this(clientConfig, serverConfig, 1, 0, 0, 0);
    }

    /** Replaces the client with a new one (same config) offering {@code resume}; the server stays. */
    DtlsConnection newClient(Session resume, Recorder events) {
        client = DtlsConnection.client(clientConfig, SERVER_ADDRESS, toServer::send, events, resume);
        return client;
    }

    DtlsConnection server() {
        return acceptor.connection(clientFrom);
    }

    Harness start() {
        client.start(now);
        return this;
    }

    /** Runs until both sides completed the handshake (or the step budget ends); returns whether they did. */
    boolean handshake() {
        return runUntil(() -> clientEvents.isComplete() && serverEvents.isComplete());
    }

    /** Delivers one datagram, or, when none is queued, advances the clock to the next timer. False when idle. */
    boolean step() {
        steps++;
        byte[] d = toServer.poll();
        if (d != null) {
            acceptor.receive(d, 0, d.length, clientFrom, now);
            return true;
        }
        d = toClient.poll();
        if (d != null) {
            client.receive(d, 0, d.length, now);
            return true;
        }
        long next = Math.min(client.nextTimeoutNanos(), acceptor.nextTimeoutNanos());
        if (next == Long.MAX_VALUE) {
            return false;
        }
        now = Math.max(now, next);
        client.onTimeout(now);
        acceptor.onTimeout(now);
        return true;
    }

    boolean runUntil(BooleanSupplier done) {
        for (int i = 0; i < 20_000; i++) {
            if (done.getAsBoolean()) {
                return true;
            }
            if (!step()) {
                return done.getAsBoolean();
            }
        }
        return done.getAsBoolean();
    }

    /** Delivers everything queued without advancing the clock. */
    void drain() {
        while (!toServer.isEmpty() || !toClient.isEmpty()) {
            byte[] d = toServer.poll();
            if (d != null) {
                acceptor.receive(d, 0, d.length, clientFrom, now);
            }
            d = toClient.poll();
            if (d != null) {
                client.receive(d, 0, d.length, now);
            }
        }
    }

    void heal() {
        toServer.healed = true;
        toClient.healed = true;
    }
}
