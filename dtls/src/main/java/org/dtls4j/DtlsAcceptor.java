package org.dtls4j;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.SecretKey;
import org.dtls4j.cookie.CookieResult;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.handshake.session.AgreedConnectionId;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.record.DropReason;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.ClientHelloPeek;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.RecordPeek;

/**
 * The sans-IO front of a DTLS server: one {@link CookieVerifier} in front of a map from peer address to
 * {@link DtlsConnection}. A datagram from a known peer goes to its connection; anything else goes to the
 * verifier, which answers with a HelloVerifyRequest, drops it, or verifies a ClientHello, which then
 * creates a connection. The socket server ({@link DtlsServer}) wraps it; tests drive it directly.
 *
 * <p>Bounds: at most {@code maxConnections} connections (established and half-open together) and at most
 * {@code maxHalfOpen} of them still handshaking; a verified ClientHello beyond either cap is dropped and
 * counted. Each connection is bounded by the {@link DtlsConfig}. Creating a connection needs a verified
 * cookie, so a spoofer cannot fill the table from addresses it cannot receive at, and the verifier keeps
 * no per-peer state. Connections leave the table as soon as they close or fail. Idle connections stay
 * until closed (the idle timeout belongs to {@link DtlsServer}).
 *
 * <p>Fairness: one source holds at most {@code maxHalfOpenPerAddress} of the half-open slots (default a
 * quarter of {@code maxHalfOpen}), so a client that proves one address from many ports cannot lock
 * everyone else out; a source is an IPv4 address or an IPv6 /64 (what one host usually gets). A verified
 * ClientHello beyond its source's share is dropped and counted ({@link #halfOpenPerAddressRefused()}).
 *
 * <p>Containment: {@link #receive} never throws for a datagram. A connection contains its own failures
 * ({@link DtlsConnection#internalError()}); an unchecked exception in the acceptor itself, or from the
 * listener's {@code onClosed}, is logged once and counted in {@link #internalErrors()}, and the datagram
 * is dropped.
 *
 * <p>A new handshake from the address of an established connection (RFC 6347 §4.2.8): an epoch-0
 * ClientHello from such a peer goes to the verifier, not to the live connection. Without a valid cookie
 * it gets a HelloVerifyRequest and nothing else, and the live connection is untouched. With one, a
 * <em>pending</em> connection starts beside the live one: epoch-0 datagrams from the address go to it,
 * later-epoch datagrams go to the live connection first and to the pending one only when the live one
 * could not authenticate them. The live connection keeps working until the pending handshake verifies the
 * client's Finished; only then is it ended silently (its listener hears {@code onClosed(null)}) and the
 * new connection takes its place. A pending handshake that fails leaves the live connection as it was. A
 * verified ClientHello with the same random as the live connection's is a late duplicate and is dropped;
 * one with the pending connection's random is that client's retransmission and goes to the pending one.
 *
 * <p>Timers: one heap ({@link DeadlineHeap}) holding each live connection once, by its deadline: the earlier
 * of its retransmission timer and, when {@link #idleTimeouts} are set, its idle deadline. A connection joins
 * the heap when it first has a deadline and leaves it as soon as it ends, so nothing keeps a closed connection
 * reachable; {@link #nextTimeoutNanos()} reads the first entry and a reschedule costs O(log n), with no scan
 * and no allocation. An entry
 * moves only when a deadline comes <em>earlier</em>; a deadline that moves later (a record refreshed the idle
 * clock, a flight was acknowledged) is found when the old one fires, so a busy connection costs nothing per
 * datagram here. Drive connections through the acceptor ({@link #receive}, {@link #onTimeout}); a caller that
 * drives one directly (sends on it) calls {@link #reschedule} after. Not thread-safe: one thread owns an
 * acceptor and all its connections ({@link DtlsServer} runs one acceptor per worker thread).
 */
public final class DtlsAcceptor {
    private static final System.Logger LOG = System.getLogger(DtlsAcceptor.class.getName());
    private final DtlsConfig config;
    private final CookieVerifier verifier;
    private final PeerDatagramSink sink;
    private final DtlsListener listener;
    private final int maxConnections;
    private final int maxHalfOpen;
    private final int maxHalfOpenPerAddress;
    /** Half-open connections per source (IPv4 address or IPv6 /64); entries leave at zero. */
    private final Map<InetAddress, Integer> halfOpenBySource = new HashMap<>();
    private final Map<InetSocketAddress, DtlsConnection> connections = new HashMap<>();
    /** New handshakes from the address of an established connection, not yet past the client's Finished. */
    private final Map<InetSocketAddress, DtlsConnection> pending = new HashMap<>();
    private final byte[] helloVerifyRequest;
    /** Each live connection's timer entry (its tracker), for the connections routing hands back. */
    private final Map<DtlsConnection, Tracker> trackers = new IdentityHashMap<>();
    /** The live connections by deadline; ties in creation order. */
    private final DeadlineHeap timers = new DeadlineHeap();
    /** The entries {@link #onTimeout} is firing, collected first so a timer that re-arms at once runs once. */
    private final List<Tracker> due = new ArrayList<>();
    private long idleTimeoutNanos = Long.MAX_VALUE;
    private long halfOpenTimeoutNanos = Long.MAX_VALUE;
    private long trackerOrder;
    /** The half-open connection being expired right now (its abandonment is a timeout), or null. */
    private DtlsConnection expiring;
    private long idleClosed;
    /** RFC 9146 §6: connections by the CID they read with; null when the config asks for no non-empty CID. */
    private final ConnectionIdTable cids;
    /** What this acceptor writes into its CIDs as their owner (a worker index), for generators that encode one. */
    private int connectionIdOwner;
    private long addressChanges;

    /** Quiet established connections kept as {@link ConnectionAtRest} forms ({@link #restAfter}); they count as connections. */
    private final RestingTable resting = new RestingTable();
    private long restAfterNanos = Long.MAX_VALUE;
    /** When forms are next looked at for the idle limit; MAX_VALUE while none rests or no limit is set. */
    private long nextRestSweep = Long.MAX_VALUE;
    private long rests;
    private long wakes;
    private long atRestDrops;
    /** The latest {@code nowNanos} a caller gave (sans-IO: the acceptor has no clock of its own). */
    private long clock;
    /** What {@link #adopt} is told the CID table holds for a woken connection when there is no CID table. */
    private static final Object REST_FORM = new Object();
    /** Forms closed by the idle limit per timer call, so a mass expiry does not stall the caller's thread. */
    private static final int REST_SWEEP_BATCH = 256;

    private int halfOpen;
    private long helloVerifyRequestsSent;
    private long cookieDrops;
    private long connectionsRefused;
    private long halfOpenRefused;
    private long connectionsReplaced;
    private long duplicateHellos;
    private long halfOpenPerAddressRefused;
    private long internalErrors;

    /**
     * An acceptor whose half-open cap equals {@code maxConnections}.
     *
     * @param config the server configuration every connection runs with
     * @param verifier the stateless cookie exchange in front of the table (RFC 6347 §4.2.1)
     * @param sink where every connection's datagrams, and the verifier's HelloVerifyRequests, go
     * @param listener hears every connection's events
     * @param maxConnections the most live connections at once, at least 1
     * @throws IllegalArgumentException when {@code maxConnections} is below 1
     * @throws IllegalStateException when the config cannot serve its suites as a server
     */
    public DtlsAcceptor(DtlsConfig config, CookieVerifier verifier, PeerDatagramSink sink, DtlsListener listener,
                        int maxConnections) {
        this(config, verifier, sink, listener, maxConnections, maxConnections);
    }

    /**
     * An acceptor whose per-source share of the half-open slots is the default, a quarter of
     * {@code maxHalfOpen} (rounded up).
     *
     * @param config the server configuration every connection runs with
     * @param verifier the stateless cookie exchange in front of the table (RFC 6347 §4.2.1)
     * @param sink where every connection's datagrams, and the verifier's HelloVerifyRequests, go
     * @param listener hears every connection's events
     * @param maxConnections the most connections at once, established and half-open together
     * @param maxHalfOpen the most connections still handshaking (pending replacements included)
     * @throws IllegalArgumentException when a bound is below 1
     * @throws IllegalStateException when the config cannot serve its suites as a server
     */
    public DtlsAcceptor(DtlsConfig config, CookieVerifier verifier, PeerDatagramSink sink, DtlsListener listener,
                        int maxConnections, int maxHalfOpen) {
        this(config, verifier, sink, listener, maxConnections, maxHalfOpen, defaultHalfOpenPerAddress(maxHalfOpen));
    }

    /**
     * An acceptor with every bound given.
     *
     * @param config the server configuration every connection runs with
     * @param verifier the stateless cookie exchange in front of the table (RFC 6347 §4.2.1)
     * @param sink where every connection's datagrams, and the verifier's HelloVerifyRequests, go
     * @param listener hears every connection's events
     * @param maxConnections the most connections at once, established and half-open together
     * @param maxHalfOpen the most connections still handshaking (pending replacements included)
     * @param maxHalfOpenPerAddress the most of those from one source (IPv4 address or IPv6 /64), 1 to
     *     {@code maxHalfOpen}
     * @throws IllegalArgumentException when a bound is below 1 or the per-source share exceeds {@code maxHalfOpen}
     * @throws IllegalStateException when the config cannot serve its suites as a server
     */
    public DtlsAcceptor(DtlsConfig config, CookieVerifier verifier, PeerDatagramSink sink, DtlsListener listener,
                        int maxConnections, int maxHalfOpen, int maxHalfOpenPerAddress) {
        if (maxHalfOpenPerAddress < 1 || maxHalfOpenPerAddress > maxHalfOpen) {
            throw new IllegalArgumentException("maxHalfOpenPerAddress " + maxHalfOpenPerAddress
                    + " must be 1.." + maxHalfOpen);
        }
        this.maxHalfOpenPerAddress = maxHalfOpenPerAddress;
        this.config = Objects.requireNonNull(config, "config");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (maxConnections < 1 || maxHalfOpen < 1) {
            throw new IllegalArgumentException("maxConnections " + maxConnections + ", maxHalfOpen " + maxHalfOpen);
        }
        this.maxConnections = maxConnections;
        this.maxHalfOpen = maxHalfOpen;
        config.checkServerRole();
        this.helloVerifyRequest = new byte[verifier.helloVerifyRequestLength()];
        this.cids = config.connectionIdLength() > 0 ? new ConnectionIdTable(config.connectionIdLength()) : null;
    }

    /** A quarter of the half-open slots, rounded up: the default share of one source. */
    static int defaultHalfOpenPerAddress(int maxHalfOpen) {
        return Math.max(1, (maxHalfOpen + 3) / 4);
    }

    /**
     * Routes one datagram from {@code from}. Never throws for anything the peer sent.
     *
     * @param datagram the buffer holding the datagram; read only during the call
     * @param off where the datagram starts
     * @param len the datagram length in bytes
     * @param from the peer's address, the key of its connection
     * @param nowNanos the caller's monotonic clock ({@link System#nanoTime()} scale)
     * @return the connection that took the datagram (possibly one it just created, or one that just ended),
     *     or null when the cookie verifier answered or dropped it
     * @throws IndexOutOfBoundsException when the range lies outside {@code datagram} (a caller bug)
     */
    public DtlsConnection receive(byte[] datagram, int off, int len, InetSocketAddress from, long nowNanos) {
        Objects.checkFromIndexSize(off, len, datagram.length);
        try {
            clock = nowNanos;
            long wokenBefore = wakes;
            DtlsConnection c = route(datagram, off, len, from, nowNanos);
            if (wakes != wokenBefore && c != null) {
                restAgainIfIdle(c, nowNanos); // the connection this datagram woke, unless it moved on
            }
            reschedule(c, nowNanos);
            if (!pending.isEmpty()) {
                // Routing may have fed both the live connection and the pending one of this address.
                reschedule(connections.get(from), nowNanos);
                reschedule(pending.get(from), nowNanos);
            }
            return c;
        } catch (RuntimeException e) {
            // A bug here must not reach the caller's loop (and every other peer): drop the datagram.
            internalError("routing a datagram from " + from, e);
            return null;
        }
    }

    /** A connection woken for a datagram that authenticated nothing goes straight back to rest. */
    private void restAgainIfIdle(DtlsConnection c, long nowNanos) {
        Tracker t = trackers.get(c);
        if (t != null && !c.isClosed() && c.lastProgressNanos() - nowNanos < 0) {
            rest(t, nowNanos);
        }
    }

    private DtlsConnection route(byte[] datagram, int off, int len, InetSocketAddress from, long nowNanos) {
        Object hint = cids != null ? cids.find(datagram, off, len) : null;
        DtlsConnection byCid = hint instanceof byte[] form ? wakeFor(form, datagram, off, len, nowNanos)
                : (DtlsConnection) hint;
        if (hint != null && byCid == null) {
            return null;
        }
        if (byCid != null) {
            // RFC 9146 §6: the CID, not the address, names the connection; the path may move if it authenticates.
            deliver(byCid, datagram, off, len, from, nowNanos);
            return byCid;
        }
        DtlsConnection live = connections.get(from);
        boolean newHello = ClientHelloPeek.startsClientHello(datagram, off, len);
        if (live == null && !newHello && resting.size() > 0) {
            // A new ClientHello goes to the verifier first: a connection at rest wakes for it only in accept().
            byte[] form = resting.get(from);
            if (form != null) {
                live = wakeFor(form, datagram, off, len, nowNanos);
                if (live == null) {
                    return null;
                }
            }
        }
        if (live != null && !(live.isEstablished() && newHello)) {
            DtlsConnection next = pending.get(from);
            if (next == null || RecordPeek.epoch(datagram, off, len) != 0) {
                // Records open in place, and a cipher that rejects a record may already have written over it
                // (CCM, CBC): the pending connection must get the datagram as it arrived. Rare: a restart only.
                byte[] asReceived = next == null ? null : java.util.Arrays.copyOfRange(datagram, off, off + len);
                long authFailures = live.drops(DropReason.AUTH_FAILED);
                deliver(live, datagram, off, len, from, nowNanos);
                if (next == null || live.drops(DropReason.AUTH_FAILED) == authFailures) {
                    return live;
                }
                next.receive(asReceived, 0, len, nowNanos);
                return next;
            }
            // The pending handshake's records: epoch 0, or a later epoch the live connection could not open.
            deliver(next, datagram, off, len, from, nowNanos);
            return next;
        }
        CookieResult r = verifier.verify(datagram, off, len, from, nowNanos, helloVerifyRequest, 0);
        if (r instanceof CookieResult.SendHelloVerifyRequest hvr) {
            helloVerifyRequestsSent++;
            sink.send(hvr.buffer(), hvr.offset(), hvr.length(), from);
            return null;
        }
        if (r instanceof CookieResult.Verified hello) {
            DtlsConnection next = pending.get(from);
            if (next != null && next.startedFrom(hello)) {
                // The pending handshake's client retransmitted its ClientHello: the server flight was lost.
                duplicateHellos++;
                deliver(next, datagram, off, len, from, nowNanos);
                return next;
            }
            return accept(hello, live, from, nowNanos);
        }
        cookieDrops++;
        return null;
    }

    private DtlsConnection accept(CookieResult.Verified hello, DtlsConnection live, InetSocketAddress from,
                                  long nowNanos) {
        if (live == null && resting.size() > 0) {
            // The cookie proved the address: the new handshake starts beside the woken connection (§4.2.8).
            byte[] form = resting.get(from);
            live = form != null ? wake(form, nowNanos) : null;
        }
        DtlsConnection earlier = pending.get(from);
        if (live != null && live.startedFrom(hello)) {
            duplicateHellos++;
            return null;
        }
        if (earlier != null) {
            // A third handshake from the address supersedes the unfinished second one.
            pending.remove(from);
            earlier.replaced();
        }
        if (live == null && connectionCount() >= maxConnections) {
            connectionsRefused++;
            return null;
        }
        if (halfOpen >= maxHalfOpen) {
            halfOpenRefused++;
            return null;
        }
        InetAddress source = source(from);
        int fromSource = halfOpenBySource.getOrDefault(source, 0);
        if (fromSource >= maxHalfOpenPerAddress) {
            halfOpenPerAddressRefused++;
            return null;
        }
        halfOpenBySource.put(source, fromSource + 1);
        Tracker tracker = new Tracker(source, trackerOrder++);
        PeerPath path = new PeerPath(sink, from, config.addressValidationBudget());
        DtlsConnection c = DtlsConnection.server(config, from, hello, path, tracker);
        tracker.connection = c;
        tracker.path = path;
        trackers.put(c, tracker);
        c.attachPath(path);
        tracker.cid = reserveConnectionId(c);
        halfOpen++;
        (live != null ? pending : connections).put(from, c);
        c.start(nowNanos);
        return c;
    }

    /**
     * Adds a connection restored from a {@link ConnectionSnapshot} (taken by this server before a restart, or
     * by another node) to the tables, by its address and its CID, as if its handshake had just completed
     * here. An established connection at the same address is replaced. See {@link ConnectionSnapshot} for
     * why a snapshot must be restored at most once.
     *
     * @param sealed the snapshot
     * @param sealingKey the key it was sealed with
     * @param nowNanos the caller's clock
     * @return the restored connection, established
     * @throws IllegalArgumentException when the snapshot does not open, holds no peer address, or is a client's
     * @throws IllegalStateException when {@code maxConnections} connections are live
     */
    public DtlsConnection restore(byte[] sealed, SecretKey sealingKey, long nowNanos) {
        InetSocketAddress peer = ConnectionSnapshot.peerOf(sealed, sealingKey);
        if (peer == null) {
            throw new IllegalArgumentException("the snapshot holds no peer address");
        }
        DtlsConnection old = connections.get(peer);
        if (old == null && resting.get(peer) == null && connectionCount() >= maxConnections) {
            throw new IllegalStateException("maxConnections (" + maxConnections + ") live");
        }
        Tracker tracker = new Tracker(source(peer), trackerOrder++);
        PeerPath path = new PeerPath(sink, peer, config.addressValidationBudget());
        DtlsConnection c = ConnectionSnapshot.restore(sealed, sealingKey, config, path, tracker, nowNanos);
        if (c.isClient()) {
            throw new IllegalArgumentException("a client connection's snapshot");
        }
        byte[] atRest = resting.get(peer);
        if (atRest != null) {
            old = wake(atRest, nowNanos); // replaced below like a live one
        }
        adopt(c, tracker, path, null);
        if (old != null) {
            connectionsReplaced++;
            old.replaced();
        }
        reschedule(c, nowNanos); // its idle limit runs from the restore
        return c;
    }

    /**
     * Files an established connection rebuilt outside a handshake (a snapshot, or a form at rest) under its
     * address and its CID. {@code cidHolder} is null for a restore (its CID is added, it takes the address) and
     * the form (or {@link #REST_FORM}) for a wake (the CID entry is re-pointed, the address taken if free).
     */
    private void adopt(DtlsConnection c, Tracker tracker, PeerPath path, Object cidHolder) {
        tracker.counted = false; // established at once: never half-open
        tracker.established = true;
        c.attachPath(path);
        tracker.connection = c;
        tracker.path = path;
        trackers.put(c, tracker);
        AgreedConnectionId agreed = c.resultSoFar().connectionId();
        if (cids != null && agreed != null && agreed.read().length == cids.cidLength()) {
            if (cidHolder != null) {
                cids.replace(agreed.read(), cidHolder, c);
                tracker.cid = agreed.read();
            } else if (cids.add(agreed.read(), c)) {
                tracker.cid = agreed.read();
            }
        }
        if (cidHolder == null) {
            connections.put(path.address(), c); // a restore replaces what holds the address (the caller ends it)
        } else {
            // A woken connection takes its address back unless a CID peer moved there meanwhile (as in moved()).
            connections.putIfAbsent(path.address(), c);
        }
    }

    /** Hands a datagram to a connection through its path, which may move to {@code from} (RFC 9146 §6). */
    private static void deliver(DtlsConnection c, byte[] datagram, int off, int len, InetSocketAddress from,
                                long nowNanos) {
        PeerPath path = c.path();
        path.beginDatagram(from, len);
        try {
            c.receive(datagram, off, len, nowNanos);
        } finally {
            path.endDatagram();
        }
    }

    /**
     * Wakes the connection at rest a datagram is for, unless the datagram cannot be its: a connection at rest
     * reads epoch 1 only, so anything else is dropped here without the cost of a wake (counted).
     */
    private DtlsConnection wakeFor(byte[] form, byte[] datagram, int off, int len, long nowNanos) {
        if (RecordPeek.epoch(datagram, off, len) != 1) {
            atRestDrops++;
            return null;
        }
        return wake(form, nowNanos);
    }

    /**
     * Rebuilds a connection at rest and files it as live again; the form is wiped (it held the master secret).
     * A woken connection that takes no authenticated record goes back to rest when its datagram is done
     * ({@link #receive}), so a stream of junk under a resting peer's address or CID costs CPU, never memory.
     */
    private DtlsConnection wake(byte[] form, long nowNanos) {
        resting.remove(form);
        InetSocketAddress peer = ConnectionAtRest.peer(form);
        Tracker tracker = new Tracker(source(peer), trackerOrder++);
        PeerPath path = new PeerPath(sink, peer, config.addressValidationBudget());
        try {
            DtlsConnection c;
            try {
                c = ConnectionAtRest.wake(form, config, path, tracker, nowNanos);
            } catch (RuntimeException e) {
                if (cids != null) {
                    cids.removeValue(form); // a bug: the connection is lost, and nothing may route to its form
                }
                throw e;
            }
            adopt(c, tracker, path, cids != null ? form : REST_FORM);
            wakes++;
            reschedule(c, nowNanos); // its rest and idle deadlines, whoever woke it
            return c;
        } finally {
            java.util.Arrays.fill(form, (byte) 0);
        }
    }

    /**
     * Puts a quiet established connection away as its {@link ConnectionAtRest} form, if nothing it holds is
     * still needed ({@link DtlsConnection#canRest}) and it is the one filed under its address.
     *
     * @return true when it rests now
     */
    private boolean rest(Tracker t, long nowNanos) {
        DtlsConnection c = t.connection;
        InetSocketAddress peer = t.path.address();
        // Another connection at rest under this address (one that moved away under its CID left it there)
        // keeps its place: two forms cannot share a key.
        if (connections.get(peer) != c || pending.containsKey(peer) || resting.get(peer) != null
                || !c.canRest(nowNanos)) {
            return false;
        }
        if (listener instanceof RestObserver o) {
            o.beforeRest(c); // its counters start again from zero when it wakes
        }
        byte[] form = ConnectionAtRest.freeze(c);
        unschedule(t);
        connections.remove(peer, c);
        if (t.cid != null) {
            cids.replace(t.cid, c, form);
        }
        resting.put(form);
        c.retireForRest();
        rests++;
        if (nextRestSweep == Long.MAX_VALUE && idleTimeoutNanos != Long.MAX_VALUE) {
            nextRestSweep = saturatedAdd(nowNanos, restSweepPeriod());
        }
        return true;
    }

    /** How often forms are checked against the idle limit: an eighth of it, between 1 ms and 1 s. */
    private long restSweepPeriod() {
        return Math.max(1_000_000L, Math.min(1_000_000_000L, idleTimeoutNanos / 8));
    }

    /** Closes connections at rest that passed the idle limit (woken to send close_notify), a batch per call. */
    private void sweepResting(long nowNanos) {
        if (nowNanos - nextRestSweep < 0) {
            return;
        }
        List<byte[]> idle = resting.idleSince(nowNanos - idleTimeoutNanos, REST_SWEEP_BATCH);
        for (byte[] form : idle) {
            idleClosed++;
            wake(form, nowNanos).close(nowNanos);
        }
        boolean more = idle.size() == REST_SWEEP_BATCH;
        nextRestSweep = resting.size() == 0 ? Long.MAX_VALUE
                : more ? nowNanos : saturatedAdd(nowNanos, restSweepPeriod());
    }

    /** A CID unique in the table for a new connection, given to it; null when CIDs are off (or all collided). */
    private byte[] reserveConnectionId(DtlsConnection c) {
        if (cids == null) {
            return null;
        }
        for (int attempt = 0; attempt < 4; attempt++) {
            byte[] cid = config.connectionIdGenerator().newConnectionId(connectionIdOwner);
            if (cids.add(cid, c)) {
                c.useConnectionId(cid);
                return cid;
            }
        }
        LOG.log(System.Logger.Level.WARNING, "DTLS acceptor: no free CID after 4 attempts; check the generator");
        return null;
    }

    /**
     * Sets the owner this acceptor writes into its CIDs (a worker's index, 0 to 255), for a
     * {@link org.dtls4j.handshake.config.ConnectionIdGenerator} that encodes one; ignored by others.
     */
    void connectionIdOwner(int owner) {
        if (owner < 0 || owner > 255) {
            throw new IllegalArgumentException("owner must be 0..255: " + owner);
        }
        this.connectionIdOwner = owner;
    }

    /** The source a half-open share is counted for: the IPv4 address, or the /64 of an IPv6 one. */
    static InetAddress source(InetSocketAddress peer) {
        InetAddress a = peer.getAddress();
        if (a == null || a instanceof Inet4Address) {
            return a;
        }
        byte[] prefix = Arrays.copyOf(a.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }

    private void internalError(String what, RuntimeException e) {
        internalErrors++;
        LOG.log(System.Logger.Level.ERROR, "DTLS acceptor: internal error " + what, e);
    }

    /**
     * Sets the idle limits the timers enforce (default: none). An established connection that makes no
     * progress ({@link DtlsConnection#lastProgressNanos()}: junk, replays and unauthenticated records do not
     * count) for {@code idleNanos} is closed with close_notify; a half-open one that makes none for
     * {@code halfOpenNanos} is dropped silently, since its address may be anyone's (RFC 6347 §4.2.1).
     * Applies to deadlines computed from now on.
     *
     * @param idleNanos the established connections' limit, positive; {@link Long#MAX_VALUE} for none
     * @param halfOpenNanos the handshaking connections' limit, positive; {@link Long#MAX_VALUE} for none
     * @throws IllegalArgumentException when a limit is zero or negative
     */
    public void idleTimeouts(long idleNanos, long halfOpenNanos) {
        if (idleNanos <= 0 || halfOpenNanos <= 0) {
            throw new IllegalArgumentException("idle limits must be positive: " + idleNanos + ", " + halfOpenNanos);
        }
        this.idleTimeoutNanos = idleNanos;
        this.halfOpenTimeoutNanos = halfOpenNanos;
    }

    /**
     * Keeps established connections that stay quiet for {@code nanos} (no datagram, send or timer) as a
     * compact form of about 200 bytes (PSK; a raw public key adds ~90, a certificate chain its DER) instead of
     * their ~1.9 KB (PSK) to ~8 KB (X.509) of live objects, until their next datagram wakes them (default: never;
     * {@link DtlsServer} sets it). Waking costs a key derivation, tens of microseconds, and loses nothing the
     * records or the application need: {@link DtlsConnection#handshakeResult()} is the same, peer credential and
     * session included — see {@link ConnectionAtRest} for the little that is not kept (the connection's traffic
     * counters, which count from the wake). A
     * connection still holding its last flight for the peer, or moving to a new address, rests later.
     *
     * <p>A connection at rest has no live object: {@link #connection} wakes it, {@link #connections()} does
     * not list it, and a {@link DtlsConnection} kept from before it rested reads as closed (it must never
     * write again: its copy at rest continues its sequence numbers). So an application that keeps
     * {@code DtlsConnection} references must not turn this on; one that finds connections by address
     * ({@link #connection}) can.
     *
     * @param nanos the quiet time, positive; {@link Long#MAX_VALUE} for never
     * @throws IllegalArgumentException when not positive
     */
    public void restAfter(long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("restAfter must be positive: " + nanos);
        }
        restAfterNanos = nanos;
    }

    /**
     * {@return no later than the earliest deadline of any connection (retransmission or idle limit), or
     * {@link Long#MAX_VALUE} when none is set} It may be earlier when a deadline moved later since; calling
     * {@link #onTimeout} then just finds the new one.
     */
    public long nextTimeoutNanos() {
        return Math.min(timers.isEmpty() ? Long.MAX_VALUE : timers.first().deadline, nextRestSweep);
    }

    /**
     * Runs every expired connection timer and idle limit; connections that end leave the table. Costs
     * O(log n) per expired entry; connections whose deadline has not come are not visited.
     *
     * @param nowNanos the caller's monotonic clock, on the scale of {@link #nextTimeoutNanos()}
     */
    public void onTimeout(long nowNanos) {
        clock = nowNanos;
        while (!timers.isEmpty() && timers.first().deadline <= nowNanos) {
            due.add((Tracker) timers.pollFirst()); // its deadline is MAX_VALUE now: out of the heap
        }
        try {
            for (Tracker t : due) {
                try {
                    fire(t, nowNanos);
                } catch (RuntimeException e) {
                    // A bug while timing one connection out costs that connection, not the others; it logs
                    // the error, and its end counts it (Tracker.onClosed).
                    t.connection.failInternally(e);
                }
            }
        } finally {
            due.clear();
        }
        try {
            sweepResting(nowNanos);
        } catch (RuntimeException e) {
            internalError("closing idle connections at rest", e);
        }
    }

    private void fire(Tracker t, long now) {
        DtlsConnection c = t.connection;
        if (c.isClosed()) {
            return;
        }
        long limit = t.established ? idleTimeoutNanos : halfOpenTimeoutNanos;
        if (limit != Long.MAX_VALUE && now - c.lastProgressNanos() >= limit) {
            idleClosed++;
            if (t.established) {
                c.close(now);
            } else {
                expiring = c;
                try {
                    c.replaced();
                } finally {
                    expiring = null;
                }
            }
            return;
        }
        if (c.nextTimeoutNanos() <= now) {
            c.onTimeout(now);
        }
        if (t.established && restAfterNanos != Long.MAX_VALUE && now - c.lastActivityNanos() >= restAfterNanos
                && rest(t, now)) {
            return;
        }
        reschedule(c, now);
    }

    /**
     * Brings {@code c}'s timer entry up to date after the caller drove it directly (sent on it): the entry
     * moves when the connection's deadline came earlier. Cheap when nothing changed; does nothing for a
     * connection that ended or is not this acceptor's.
     *
     * @param c the connection, or null (ignored)
     * @param nowNanos the caller's monotonic clock
     */
    public void reschedule(DtlsConnection c, long nowNanos) {
        Tracker t = c == null ? null : trackers.get(c);
        if (t == null || c.isClosed()) {
            return;
        }
        long limit = t.established ? idleTimeoutNanos : halfOpenTimeoutNanos;
        long idle = limit == Long.MAX_VALUE ? Long.MAX_VALUE : saturatedAdd(c.lastProgressNanos(), limit);
        long deadline = Math.min(c.nextTimeoutNanos(), idle);
        if (t.established && restAfterNanos != Long.MAX_VALUE) {
            // A connection that could not rest yet has had its activity clock moved to that try (canRest).
            deadline = Math.min(deadline, saturatedAdd(c.lastActivityNanos(), restAfterNanos));
        }
        if (deadline >= t.deadline) {
            return; // found when the earlier entry fires
        }
        timers.schedule(t, deadline);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private void unschedule(Tracker t) {
        trackers.remove(t.connection);
        timers.remove(t);
    }

    /** {@return the half-open connection being expired by its idle limit right now, or null} For metrics. */
    DtlsConnection expiring() {
        return expiring;
    }

    /** {@return connections ended by an idle limit ({@link #idleTimeouts}): closed, or dropped while half-open} */
    public long idleClosed() {
        return idleClosed;
    }

    /** {@return the entries in the timer heap: never more than the live connections} */
    int timerCount() {
        return timers.size();
    }

    /** {@return the live connections (pending replacements included), for metrics} */
    Collection<DtlsConnection> liveConnections() {
        return trackers.keySet();
    }

    /** {@return the connections holding a timer entry: the live ones} */
    int trackedCount() {
        return trackers.size();
    }

    /**
     * Sends close_notify on every connection (pending ones included) and forgets them.
     *
     * @param nowNanos the caller's monotonic clock
     */
    public void closeAll(long nowNanos) {
        for (byte[] form : resting.all()) {
            wake(form, nowNanos); // so its peer hears close_notify too
        }
        nextRestSweep = Long.MAX_VALUE;
        for (DtlsConnection c : all()) {
            c.close(nowNanos);
        }
        connections.clear();
        pending.clear();
        trackers.clear();
        timers.clear();
        if (cids != null) {
            cids.clear();
        }
        halfOpenBySource.clear();
        halfOpen = 0;
    }

    private List<DtlsConnection> all() {
        List<DtlsConnection> out = new ArrayList<>(connections.values());
        out.addAll(pending.values());
        return out;
    }

    /**
     * Looks up the connection of a peer, waking it when it is at rest ({@link #restAfter}; the wake takes the
     * clock of the latest {@link #receive} or {@link #onTimeout}).
     *
     * @param peer the peer's address
     * @return its connection, or null when it has none or the connection ended
     */
    public DtlsConnection connection(InetSocketAddress peer) {
        DtlsConnection c = connections.get(peer);
        if (c == null && resting.size() > 0) {
            byte[] form = resting.get(peer);
            c = form == null ? null : wake(form, clock); // the latest time the caller gave us
        }
        return c == null || c.isClosed() ? null : c;
    }

    /**
     * Who {@code peer} is: the {@link DtlsConnection#handshakeResult()} of its established connection. Wakes
     * nothing: a connection at rest is read from its form ({@link ConnectionAtRest#result}, no keys derived, its
     * chain or raw key decoded on each call) and stays at rest.
     *
     * @param peer the peer's address
     * @return the result, or null when it has no established connection (none, still handshaking, or ended)
     */
    public HandshakeResult handshakeResult(InetSocketAddress peer) {
        DtlsConnection c = connections.get(peer);
        if (c != null) {
            return c.isEstablished() && !c.isClosed() ? c.handshakeResult() : null;
        }
        byte[] form = resting.size() > 0 ? resting.get(peer) : null;
        return form == null ? null : ConnectionAtRest.result(form, config);
    }

    /**
     * RFC 5705 keying material of {@code peer}'s established connection ({@link DtlsConnection#exportKeyingMaterial}).
     * Wakes nothing: a connection at rest exports from its form ({@link ConnectionAtRest#exportKeyingMaterial},
     * the same bytes, no record keys derived) and stays at rest, so this is a read a server may answer for
     * another thread between datagrams.
     *
     * @param peer the peer's address
     * @param label the exporter label, not a reserved one
     * @param context the context, at most 65535 bytes, or null for none
     * @param length how many bytes to export, at least 0
     * @return a fresh array of {@code length} bytes
     * @throws IllegalStateException when {@code peer} has no established connection
     * @throws IllegalArgumentException for a reserved label, a context over 65535 bytes, a negative length
     */
    public byte[] exportKeyingMaterial(InetSocketAddress peer, String label, byte[] context, int length) {
        DtlsConnection c = connections.get(peer);
        if (c != null && !c.isClosed()) {
            return c.exportKeyingMaterial(label, context, length);
        }
        byte[] form = c == null && resting.size() > 0 ? resting.get(peer) : null;
        if (form == null) {
            throw new IllegalStateException("no connection with " + peer);
        }
        return ConnectionAtRest.exportKeyingMaterial(form, label, context, length);
    }

    /**
     * Looks up a new handshake from {@code peer} waiting to replace its established connection
     * (RFC 6347 §4.2.8).
     *
     * @param peer the peer's address
     * @return the pending connection, or null
     */
    public DtlsConnection pendingConnection(InetSocketAddress peer) {
        return pending.get(peer);
    }

    /**
     * {@return whether {@code peer} has a connection here, live, pending or at rest} Wakes nothing: for a
     * caller that only asks who owns an address.
     *
     * @param peer the peer's address
     */
    public boolean holds(InetSocketAddress peer) {
        return connections.containsKey(peer) || pending.containsKey(peer) || resting.get(peer) != null;
    }

    /** {@return a read-only view of the live connections (pending replacements and connections at rest not included)} */
    public Collection<DtlsConnection> connections() {
        return Collections.unmodifiableCollection(connections.values());
    }

    /** {@return the connections in the table, established and half-open (pending replacements and those at rest included)} */
    public int connectionCount() {
        return connections.size() + pending.size() + resting.size();
    }

    /** {@return the established connections kept at rest now ({@link #restAfter})} */
    public int restingCount() {
        return resting.size();
    }

    /** {@return times a connection was put to rest} */
    public long rests() {
        return rests;
    }

    /** {@return times a connection at rest was woken (by a datagram, a send, a new handshake or the idle limit)} */
    public long wakes() {
        return wakes;
    }

    /** {@return datagrams for a connection at rest that could not be its (not epoch 1), dropped without waking it} */
    public long atRestDrops() {
        return atRestDrops;
    }

    /** {@return the connections whose handshake has not completed (pending replacements included)} */
    public int halfOpenCount() {
        return halfOpen;
    }

    /** {@return the most connections at once, established and half-open together} */
    public int maxConnections() {
        return maxConnections;
    }

    /** {@return the most connections still handshaking at once} */
    public int maxHalfOpen() {
        return maxHalfOpen;
    }

    /** {@return the cookie verifier in front of the table, for its counters} */
    public CookieVerifier cookieVerifier() {
        return verifier;
    }

    /** {@return the HelloVerifyRequests sent to ClientHellos without a valid cookie} */
    public long helloVerifyRequestsSent() {
        return helloVerifyRequestsSent;
    }

    /** {@return datagrams from unknown peers that the verifier dropped (reasons: {@link CookieVerifier#dropCount})} */
    public long cookieDrops() {
        return cookieDrops;
    }

    /** {@return verified ClientHellos dropped because {@code maxConnections} were live} */
    public long connectionsRefused() {
        return connectionsRefused;
    }

    /** {@return verified ClientHellos dropped because {@code maxHalfOpen} handshakes were running} */
    public long halfOpenRefused() {
        return halfOpenRefused;
    }

    /**
     * {@return established connections ended because a new handshake from their address completed (RFC 6347 §4.2.8)}
     */
    public long connectionsReplaced() {
        return connectionsReplaced;
    }

    /** {@return the most half-open connections one source (IPv4 address or IPv6 /64) may hold} */
    public int maxHalfOpenPerAddress() {
        return maxHalfOpenPerAddress;
    }

    /** {@return verified ClientHellos dropped because their source already held its share of the half-open slots} */
    public long halfOpenPerAddressRefused() {
        return halfOpenPerAddressRefused;
    }

    /**
     * Unchecked exceptions contained: connections failed with internal_error (a dtls4j bug, or a listener
     * that threw), the listener's {@code onClosed} throwing, and failures of the acceptor's own routing.
     *
     * @return the count since the acceptor was made
     */
    public long internalErrors() {
        return internalErrors;
    }

    /** {@return times a connection's peer moved to a new address under its CID (RFC 9146 §6)} */
    public long addressChanges() {
        return addressChanges;
    }

    /** {@return CIDs in the routing table: one per connection that negotiated a non-empty one} */
    public int connectionIdCount() {
        return cids == null ? 0 : cids.size();
    }

    /** {@return verified ClientHellos that repeated a live or pending connection's own ClientHello} */
    public long duplicateHellos() {
        return duplicateHellos;
    }

    /**
     * Keeps the table in step with each connection's life, then passes every event on; it is also the
     * connection's entry in the timer heap (its deadline and slot there).
     */
    private final class Tracker extends DeadlineHeap.Entry implements DtlsListener {
        private final InetAddress source;
        private DtlsConnection connection;
        private PeerPath path;
        /** The CID the connection reads with, in {@link #cids}; null for none. */
        private byte[] cid;
        private boolean counted = true;
        private boolean established;

        Tracker(InetAddress source, long order) {
            super(order);
            this.source = source;
        }

        private void leaveHalfOpen() {
            if (counted) {
                counted = false;
                halfOpen--;
                halfOpenBySource.computeIfPresent(source, (k, n) -> n > 1 ? n - 1 : null);
            }
        }

        @Override
        public void onHandshakeComplete(DtlsConnection c, HandshakeResult result) {
            leaveHalfOpen();
            established = true;
            InetSocketAddress peer = path.address();
            if (cid != null && result.connectionId() == null) {
                cids.remove(cid, c); // the client offered no CID: nothing will carry this one
                cid = null;
            }
            if (pending.get(peer) == c) {
                // The new handshake verified the client's Finished: now it may take the address (§4.2.8).
                pending.remove(peer);
                DtlsConnection old = connections.put(peer, c);
                if (old != null) {
                    connectionsReplaced++;
                    old.replaced();
                }
            }
            listener.onHandshakeComplete(c, result);
        }

        @Override
        public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
            listener.onApplicationData(c, buf, off, len);
        }

        @Override
        public void onAlert(DtlsConnection c, AlertLevel level, AlertDescription description) {
            listener.onAlert(c, level, description);
        }

        @Override
        public void onClosed(DtlsConnection c, DtlsException cause) {
            leaveHalfOpen();
            unschedule(this); // out of the timer heap first: nothing may keep a closed connection reachable
            InetSocketAddress peer = path.address();
            connections.remove(peer, c);
            pending.remove(peer, c);
            if (cid != null) {
                cids.remove(cid, c);
            }
            if (c.internalError() != null) {
                internalErrors++; // the connection logged it
            }
            try {
                listener.onClosed(c, cause);
            } catch (RuntimeException e) {
                internalError("in the listener's onClosed for " + peer, e);
            }
        }

        @Override
        public void onTrace(DtlsConnection c, String event) {
            listener.onTrace(c, event);
        }

        @Override
        public void onEvent(DtlsConnection c, DtlsEvent event) {
            if (event instanceof DtlsEvent.AddressChanged moved) {
                moved(c, moved.previous(), moved.peer());
            }
            listener.onEvent(c, event);
        }

        /**
         * The connection's path moved (RFC 9146 §6). The address table follows before the listener hears of
         * it, unless another connection holds the new address (then the moved one is reached by CID only).
         * This runs from the connection's queued events, after the datagram's records are processed.
         */
        private void moved(DtlsConnection c, InetSocketAddress previous, InetSocketAddress next) {
            if (connections.remove(previous, c)) {
                connections.putIfAbsent(next, c);
            } else if (pending.remove(previous, c)) {
                pending.putIfAbsent(next, c);
            }
            addressChanges++;
        }

        @Override
        public boolean wantsDropEvents() {
            return listener.wantsDropEvents();
        }

        @Override
        public boolean wantsTraces() {
            return listener.wantsTraces();
        }
    }
}
