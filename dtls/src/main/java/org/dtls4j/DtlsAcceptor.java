package org.dtls4j;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.dtls4j.cookie.CookieResult;
import org.dtls4j.cookie.CookieVerifier;

/**
 * The sans-IO front of a DTLS server: one {@link CookieVerifier} in front of a map from peer address to
 * {@link DtlsConnection}. A datagram from a known peer goes to its connection; anything else goes to the
 * verifier, which answers with a HelloVerifyRequest, drops it, or verifies a ClientHello, which then
 * creates a connection. The socket server wraps it; tests drive it directly.
 *
 * <p>Bounds: at most {@code maxConnections} live connections (a verified ClientHello beyond that is dropped
 * and counted); each connection is bounded by the {@link DtlsConfig}. Creating a connection needs a
 * verified cookie, so a spoofer cannot fill the table from addresses it cannot receive at. Connections are
 * removed once they close or fail. Idle established connections stay until closed (an idle timeout
 * belongs to the socket server).
 *
 * <p>A new handshake from the address of an established connection (RFC 6347 §4.2.8): an epoch-0
 * ClientHello from such a peer goes to the verifier, not to the live connection. Without a valid cookie
 * it gets a HelloVerifyRequest and the live connection is untouched; with one, the peer has proved it
 * owns the address, so the old connection is ended silently (its listener hears {@code onClosed(null)})
 * and the new handshake takes its place. A verified ClientHello with the same random as the one the live
 * connection started from is a late duplicate and is dropped.
 *
 * <p>Timers: {@link #nextTimeoutNanos()} and {@link #onTimeout} scan every connection (fine for hundreds;
 * the socket server will keep a timer queue). Not thread-safe.
 */
public final class DtlsAcceptor {
    private final DtlsConfig config;
    private final CookieVerifier verifier;
    private final PeerDatagramSink sink;
    private final DtlsListener listener;
    private final int maxConnections;
    private final Map<InetSocketAddress, DtlsConnection> connections = new HashMap<>();
    private final byte[] helloVerifyRequest;

    private long helloVerifyRequestsSent;
    private long cookieDrops;
    private long connectionsRefused;
    private long connectionsReplaced;
    private long duplicateHellos;

    /**
     * @param maxConnections the most live connections at once
     * @throws IllegalStateException when the config cannot serve its suites as a server
     */
    public DtlsAcceptor(DtlsConfig config, CookieVerifier verifier, PeerDatagramSink sink, DtlsListener listener,
                        int maxConnections) {
        this.config = Objects.requireNonNull(config, "config");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections " + maxConnections);
        }
        this.maxConnections = maxConnections;
        config.checkServerRole();
        this.helloVerifyRequest = new byte[verifier.helloVerifyRequestLength()];
    }

    /** Routes one datagram from {@code from}. Never throws for anything the peer sent. */
    public void receive(byte[] datagram, int off, int len, InetSocketAddress from, long nowNanos) {
        Objects.checkFromIndexSize(off, len, datagram.length);
        DtlsConnection existing = connections.get(from);
        if (existing != null && existing.isClosed()) {
            connections.remove(from);
            existing = null;
        }
        if (existing != null && !(existing.isEstablished() && isEpoch0ClientHello(datagram, off, len))) {
            existing.receive(datagram, off, len, nowNanos);
            if (existing.isClosed()) {
                connections.remove(from);
            }
            return;
        }
        CookieResult r = verifier.verify(datagram, off, len, from, nowNanos, helloVerifyRequest, 0);
        if (r instanceof CookieResult.SendHelloVerifyRequest hvr) {
            helloVerifyRequestsSent++;
            sink.send(hvr.buffer(), hvr.offset(), hvr.length(), from);
        } else if (r instanceof CookieResult.Verified hello) {
            accept(hello, existing, from, nowNanos);
        } else {
            cookieDrops++;
        }
    }

    private void accept(CookieResult.Verified hello, DtlsConnection existing, InetSocketAddress from, long nowNanos) {
        if (existing != null) {
            if (existing.startedFrom(hello)) {
                duplicateHellos++;
                return;
            }
            connectionsReplaced++;
            connections.remove(from);
            existing.replaced();
        }
        if (connections.size() >= maxConnections) {
            connectionsRefused++;
            return;
        }
        DtlsConnection c = DtlsConnection.server(config, from, hello,
                (buf, o, l) -> sink.send(buf, o, l, from), listener);
        connections.put(from, c);
        c.start(nowNanos);
        if (c.isClosed()) {
            connections.remove(from);
        }
    }

    /**
     * True when the datagram's first record is an epoch-0 handshake record starting a ClientHello. The one
     * place of index arithmetic here: a peek at fixed offsets (record header 13 bytes, then msg_type).
     */
    static boolean isEpoch0ClientHello(byte[] b, int off, int len) {
        return len > 13 && b[off] == 22 && b[off + 3] == 0 && b[off + 4] == 0 && b[off + 13] == 1;
    }

    /** The earliest timer of any connection, or {@link Long#MAX_VALUE}. */
    public long nextTimeoutNanos() {
        long next = Long.MAX_VALUE;
        for (DtlsConnection c : connections.values()) {
            next = Math.min(next, c.nextTimeoutNanos());
        }
        return next;
    }

    /** Runs every expired connection timer and removes connections that ended. */
    public void onTimeout(long nowNanos) {
        Iterator<DtlsConnection> it = connections.values().iterator();
        while (it.hasNext()) {
            DtlsConnection c = it.next();
            if (c.nextTimeoutNanos() <= nowNanos) {
                c.onTimeout(nowNanos);
            }
            if (c.isClosed()) {
                it.remove();
            }
        }
    }

    /** Sends close_notify on every connection and forgets them. */
    public void closeAll(long nowNanos) {
        for (DtlsConnection c : connections.values().toArray(new DtlsConnection[0])) {
            c.close(nowNanos);
        }
        connections.clear();
    }

    /** The live connection of {@code peer}, or null. */
    public DtlsConnection connection(InetSocketAddress peer) {
        DtlsConnection c = connections.get(peer);
        return c == null || c.isClosed() ? null : c;
    }

    /** A read-only view of the connections (some may have just ended; they go at the next call). */
    public Collection<DtlsConnection> connections() {
        return Collections.unmodifiableCollection(connections.values());
    }

    public int connectionCount() {
        return connections.size();
    }

    public CookieVerifier cookieVerifier() {
        return verifier;
    }

    public long helloVerifyRequestsSent() {
        return helloVerifyRequestsSent;
    }

    /** Datagrams from unknown peers that the verifier dropped (reasons: {@link CookieVerifier#dropCount}). */
    public long cookieDrops() {
        return cookieDrops;
    }

    /** Verified ClientHellos dropped because {@code maxConnections} were live. */
    public long connectionsRefused() {
        return connectionsRefused;
    }

    /** Established connections ended because their address completed a new cookie exchange (RFC 6347 §4.2.8). */
    public long connectionsReplaced() {
        return connectionsReplaced;
    }

    /** Verified ClientHellos that repeated a live connection's own ClientHello. */
    public long duplicateHellos() {
        return duplicateHellos;
    }
}
