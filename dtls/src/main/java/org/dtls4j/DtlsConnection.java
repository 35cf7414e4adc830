package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.dtls4j.cookie.CookieResult;
import org.dtls4j.crypto.ExporterSecret;
import org.dtls4j.handshake.machine.ClientHandshaker;
import org.dtls4j.handshake.PlannedDatagram;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.machine.HandshakeStep;
import org.dtls4j.handshake.machine.Handshaker;
import org.dtls4j.handshake.machine.ServerHandshaker;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.record.ContentType;
import org.dtls4j.record.DropReason;
import org.dtls4j.record.layer.RecordCursor;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.record.SequenceNumberExhaustedException;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Hex;

/**
 * One DTLS 1.2 connection as a sans-IO engine: datagrams and {@code nowNanos} go in through
 * {@link #receive} and {@link #onTimeout}; datagrams leave through a {@link DatagramSink} and events
 * through a {@link DtlsListener}. It owns no socket, thread or clock. Not thread-safe: confine each
 * connection to one thread (or lock around every call).
 *
 * <pre>
 *   DtlsConnection c = DtlsConnection.client(config, peer, sink, listener);
 *   c.start(now);                          // the first flight goes out through sink
 *   c.receive(datagram, 0, n, now);        // every datagram from the peer
 *   c.send(data, 0, len, now);             // after onHandshakeComplete
 *   long t = c.nextTimeoutNanos();         // call onTimeout(now) once now &gt;= t
 *   c.close(now);                          // close_notify
 * </pre>
 *
 * <p>Rules it enforces: application data is delivered only once the handshake completed and only from
 * epochs above 0 (RFC 6347 §4.1); a received close_notify is answered with one and ends the connection
 * cleanly; a received fatal alert ends it with {@link DtlsException#fromPeerAlert}; a warning is reported
 * and the connection goes on; every failure sends its fatal alert, wipes the keys and leaves the connection
 * {@link ConnectionState#FAILED} for good; after the end, input is ignored and {@link #send} throws.
 * Invalid records are dropped silently and counted (RFC 6347 §4.1.2.7), except that during the handshake a
 * record of the new epoch that fails authentication fails the handshake with bad_record_mac, because it
 * means the two sides derived different keys (a wrong PSK).
 *
 * <p>Unauthenticated (epoch-0) alerts during the handshake are believed only when they could be the peer's
 * answer to a flight this side sent: something has been sent, no keyed epoch is readable yet, and the
 * record's sequence number is newer than every epoch-0 record seen from the peer and at most
 * {@value #ALERT_SEQUENCE_WINDOW} beyond the latest epoch-0 sequence number of either side (the peer's
 * own, or ours, which a server mirrors). Anything else is counted
 * ({@link EngineDropReason#UNTRUSTED_ALERT}) and ignored, so a blind forger cannot end a handshake
 * with one datagram of made-up numbers, while a real refusal still ends it at once (see
 * {@code dtls/docs/engine.md}).
 *
 * <p>Containment: an unchecked exception while processing input, a timer or the start (a dtls4j bug, or a
 * listener that throws) never leaves {@link #receive}, {@link #onTimeout} or {@link #start}: the connection
 * fails with internal_error, is logged once through {@link System.Logger}, and {@link #internalError()}
 * keeps the exception. When the connection ends it drops its handshake state and buffers at once.
 *
 * <p>One conductor: the connection pulls each datagram's records from its {@link RecordLayer} one at a
 * time, hands handshake records to the handshaker, and applies the steps it returns (send a flight, install
 * keys, complete, fail) before the next record; listener calls are queued and made once the public call is
 * done, so no application code runs in the middle of a datagram.
 *
 * <p>Memory: besides the record layer and handshake bounds of {@link DtlsConfig}, it keeps no buffer of its
 * own: records are sealed into a buffer borrowed from a small process-wide pool for the length of one send
 * (see {@code SendBuffers}), and received records are opened in place in the caller's datagram. The application-data path allocates
 * nothing per record beyond what the record cipher allocates inside.
 */
public final class DtlsConnection {
    /**
     * How far past the latest epoch-0 sequence number an epoch-0 alert may be: room for the records of a
     * peer's flights we never saw (lost, or retransmitted with new numbers), no room for a guess.
     */
    static final long ALERT_SEQUENCE_WINDOW = 64;
    private static final System.Logger LOG = System.getLogger(DtlsConnection.class.getName());
    /** Cached: {@code values()} clones its array, and a connection is made per handshake. */
    private static final int ENGINE_DROP_REASONS = EngineDropReason.values().length;

    private final DtlsConfig config;
    /** Moves only with a server's {@link PeerPath} (RFC 9146 §6). */
    private InetSocketAddress peer;
    /** RFC 9146 §6: a server connection's path, told of every newest authenticated record; null otherwise. */
    private PeerPath path;
    /** (epoch, sequence number) of the newest authenticated record, as epoch << 48 | seq; -1 before any. */
    private long newestRecord = -1;
    /** Established from a {@link ConnectionSnapshot}: its handshaker never ran, so handshake records are dropped. */
    private boolean restoredFromSnapshot;
    private final DatagramSink sink;
    private final DtlsListener listener;
    private final RecordLayer records;
    /** Null once established or ended: transcript, reassembly state and state machine go with it. */
    private Handshaker handshaker;
    /** What the established connection keeps of its handshake (the last flight, for a while); else null. */
    private AfterHandshake afterHandshake;
    /** Set once the end was settled: keys wiped, state dropped, onClosed queued. */
    private boolean released;
    private final boolean client;
    /**
     * The size of the buffer application data, flights and alerts are sealed in: room for the largest record
     * and for a whole datagram. The buffer itself is borrowed from {@link SendBuffers} for each send.
     */
    private final int sendBufferSize;
    private final PendingEvents events = new PendingEvents();
    private final PendingEvents.Target delivery = new Delivery();
    /** Records the engine dropped, by reason; made at the first drop (most connections never drop one). */
    private long[] engineDrops;
    /** A server's view of the ClientHello.random that started it, to tell a duplicate from a new handshake. */
    private final byte[] clientHelloRandom;

    private ConnectionState state = ConnectionState.NEW;
    private HandshakeResult result;
    /**
     * A woken connection's peer chain or raw public key as its {@link ConnectionAtRest} form kept it, until
     * {@link #handshakeResult} first decodes it into {@link #result}: a wake for a datagram that authenticates
     * nothing, or one that rests again unasked, never pays for certificate parsing.
     */
    private byte[] identityAtRest;
    /** What exportKeyingMaterial needs; from the handshake's completion until the connection ends, then wiped. */
    private ExporterSecret exporterSecret;
    private DtlsException failure;
    private boolean closeNotifySent;
    private long now;
    private long lastProgress;
    /** The highest epoch-0 record sequence number seen from the peer, or -1. */
    private long peerEpoch0Sequence = -1;
    private RuntimeException internalError;
    /** Asked once: drop events cost an allocation per datagram, so they exist only on request. */
    private final boolean dropEvents;
    /** {@link DtlsListener#wantsTraces()}, asked once: false builds no trace line here or in the handshaker. */
    private final boolean traces;
    /** The drop counters before the current datagram, while someone watches drops (else null). */
    private DropWatch dropWatch;
    private final boolean offersResumption;
    private long startNanos;
    private int retransmissions;
    /** The failure came from the retransmission limit, for {@link DtlsEvent.FailureKind#TIMED_OUT}. */
    private boolean timedOut;
    private boolean eventListenerFailed;

    private long datagramsIn;
    private long bytesIn;
    private long datagramsOut;
    private long bytesOut;
    private long applicationRecordsIn;
    private long applicationBytesIn;
    private long applicationRecordsOut;
    private long applicationBytesOut;

    private DtlsConnection(DtlsConfig config, InetSocketAddress peer, DatagramSink sink, DtlsListener listener,
                           boolean client, Session resume, CookieResult.Verified hello, boolean rebuilt) {
        this.config = Objects.requireNonNull(config, "config");
        this.peer = peer;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.client = client;
        this.dropEvents = listener.wantsDropEvents();
        this.traces = listener.wantsTraces();
        this.offersResumption = resume != null;
        this.clientHelloRandom = hello != null ? hello.random() : null;
        if (hello != null) {
            peerEpoch0Sequence = hello.recordSequenceNumber();
        }
        this.records = new RecordLayer(config.recordLayerConfig());
        this.sendBufferSize = Math.max(SendBuffers.SIZE, config.maxDatagramSize() + 1024);
        if (rebuilt) {
            this.handshaker = null; // keys come from a snapshot or the at-rest form: no handshake runs
        } else if (client) {
            this.handshaker = new ClientHandshaker(new ConfigSettings(config), records::maxRecordOverhead, resume);
        } else if (hello != null) {
            // RFC 6347 §4.2.1: our epoch-0 records continue from the verified ClientHello's sequence number.
            records.continueEpoch0WriteSequenceAfterHello(hello.recordSequenceNumber());
            this.handshaker = new ServerHandshaker(new ConfigSettings(config), records::maxRecordOverhead, hello);
        } else {
            this.handshaker = new ServerHandshaker(new ConfigSettings(config), records::maxRecordOverhead);
        }
        if (handshaker != null) {
            handshaker.traces(traces);
        }
    }

    /**
     * A client connection to {@code peer} that runs a full handshake. Call {@link #start} next.
     *
     * @param config the configuration: suites, credentials, timers, bounds
     * @param peer the peer's address; informational (traces, key of the server's table), the sink decides
     *        where datagrams go
     * @param sink where the connection's datagrams go, called on the caller's thread
     * @param listener hears the connection's events, on the caller's thread
     * @return the connection, not yet started
     * @throws IllegalStateException when the config has no suite a client can offer
     */
    public static DtlsConnection client(DtlsConfig config, InetSocketAddress peer, DatagramSink sink,
                                        DtlsListener listener) {
        return client(config, peer, sink, listener, null);
    }

    /**
     * A client connection that offers {@code resume} (from an earlier {@link HandshakeResult#session()}) for
     * an abbreviated handshake; null or a session that may not be offered (invalidated by a fatal alert, made
     * for another server_name, or without a required extended master secret; see
     * {@link org.dtls4j.handshake.machine.ClientHandshaker}) means a full handshake. Call {@link #start} next.
     *
     * @param config the configuration: suites, credentials, timers, bounds
     * @param peer the peer's address; informational (traces, key of the server's table), the sink decides
     *        where datagrams go
     * @param sink where the connection's datagrams go, called on the caller's thread
     * @param listener hears the connection's events, on the caller's thread
     * @param resume the session to offer, or null
     * @return the connection, not yet started
     * @throws IllegalStateException when the config has no suite a client can offer
     */
    public static DtlsConnection client(DtlsConfig config, InetSocketAddress peer, DatagramSink sink,
                                        DtlsListener listener, Session resume) {
        config.checkClientRole();
        return new DtlsConnection(config, peer, sink, listener, true, resume, null, false);
    }

    /**
     * A server connection continuing from a ClientHello whose cookie the {@link org.dtls4j.cookie.CookieVerifier}
     * accepted: the normal server path (see {@link DtlsAcceptor}). Call {@link #start} next.
     *
     * @param config the configuration: suites, credentials, timers, bounds
     * @param peer the client's address; informational, the sink decides where datagrams go
     * @param hello the verified ClientHello, not null; the handshake starts from it
     * @param sink where the connection's datagrams go, called on the caller's thread
     * @param listener hears the connection's events, on the caller's thread
     * @return the connection, not yet started
     * @throws IllegalStateException when the config cannot serve its suites as a server
     */
    public static DtlsConnection server(DtlsConfig config, InetSocketAddress peer, CookieResult.Verified hello,
                                        DatagramSink sink, DtlsListener listener) {
        Objects.requireNonNull(hello, "hello");
        config.checkServerRole();
        return new DtlsConnection(config, peer, sink, listener, false, null, hello, false);
    }

    /**
     * A server connection without the cookie exchange: its first input must be the ClientHello. Allowed only
     * when {@link DtlsConfig#requireCookieExchange()} is false, because answering an unverified ClientHello
     * with a whole flight lets a spoofer aim that flight at a victim (amplification, RFC 6347 §4.2.1).
     *
     * @param config the configuration: suites, credentials, timers, bounds
     * @param peer the peer's address; informational (traces, key of the server's table), the sink decides
     *        where datagrams go
     * @param sink where the connection's datagrams go, called on the caller's thread
     * @param listener hears the connection's events, on the caller's thread
     * @return the connection, not yet started
     * @throws IllegalStateException when the config requires the cookie exchange or cannot serve its suites
     */
    public static DtlsConnection serverWithoutCookie(DtlsConfig config, InetSocketAddress peer, DatagramSink sink,
                                                     DtlsListener listener) {
        if (config.requireCookieExchange()) {
            throw new IllegalStateException("the config requires the cookie exchange (requireCookieExchange(false) to opt out)");
        }
        config.checkServerRole();
        return new DtlsConnection(config, peer, sink, listener, false, null, null, false);
    }

    /** A connection for {@link ConnectionSnapshot} or {@link ConnectionAtRest} to fill: it has no handshaker. */
    static DtlsConnection forRestore(DtlsConfig config, InetSocketAddress peer, DatagramSink sink, DtlsListener listener,
                                     boolean client) {
        return new DtlsConnection(config, peer, sink, listener, client, null, null, true);
    }

    // ---------------------------------------------------------------- driving the connection

    /**
     * Starts the handshake: a client sends its ClientHello, a server with a verified hello its first flight.
     * A failure here reaches the listener's {@code onClosed}, not the caller.
     *
     * @param nowNanos the caller's monotonic clock ({@link System#nanoTime()} scale); timers count from it
     * @throws IllegalStateException when the connection was already started
     */
    public void start(long nowNanos) {
        if (state != ConnectionState.NEW) {
            throw new IllegalStateException("already started: " + state);
        }
        state = ConnectionState.HANDSHAKING;
        now = nowNanos;
        lastProgress = nowNanos;
        startNanos = nowNanos;
        event(new DtlsEvent.HandshakeStarted(peer, client, offersResumption));
        try {
            apply(handshaker.start(nowNanos));
        } catch (DtlsException e) {
            fail(e);
        } catch (RuntimeException e) {
            failInternally(e);
        }
        settle();
    }

    /**
     * {@link #receive(byte[], int, int, long)} of the buffer's remaining bytes, which it consumes.
     *
     * @param datagram one whole datagram between position and limit; heap or direct
     * @param nowNanos the caller's monotonic clock
     * @throws IllegalStateException before {@link #start}, or when called from inside a listener callback
     */
    public void receive(ByteBuffer datagram, long nowNanos) {
        int len = datagram.remaining();
        if (datagram.hasArray()) {
            int off = datagram.arrayOffset() + datagram.position();
            datagram.position(datagram.limit());
            receive(datagram.array(), off, len, nowNanos);
            return;
        }
        // A direct buffer is copied to a borrowed array (records open in place there), returned after the call.
        byte[] scratch = SendBuffers.borrow(len);
        try {
            datagram.get(scratch, 0, len);
            receive(scratch, 0, len, nowNanos);
        } finally {
            SendBuffers.giveBack(scratch);
        }
    }

    /**
     * Processes one datagram from the peer: handshake progress, application data to the listener, alerts.
     * Never throws for anything the peer sent: records that do not parse or authenticate are dropped and
     * counted ({@link #drops(DropReason)}), and a handshake failure ends the connection with its alert,
     * reported to the listener. After the connection ended it ignores input.
     *
     * @param datagram the buffer holding the datagram, used only during the call; its protected records are
     *        decrypted in place, so its bytes change
     * @param off where the datagram starts
     * @param len the datagram length in bytes
     * @param nowNanos the caller's monotonic clock
     * @throws IllegalStateException before {@link #start}, or when called from inside a listener callback
     */
    public void receive(byte[] datagram, int off, int len, long nowNanos) {
        Objects.checkFromIndexSize(off, len, datagram.length);
        if (state == ConnectionState.NEW) {
            throw new IllegalStateException("start the connection before receiving");
        }
        if (events.isDelivering()) {
            throw new IllegalStateException("receive is not re-entrant: called from a listener callback");
        }
        boolean watchDrops = dropEvents || JfrEvents.dropsRecorded();
        if (isEnded()) {
            countDrop(EngineDropReason.AFTER_CLOSE);
            if (watchDrops) {
                event(new DtlsEvent.DatagramDropped(peer, EngineDropReason.AFTER_CLOSE, 1));
                settle();
            }
            return;
        }
        now = nowNanos;
        datagramsIn++;
        bytesIn += len;
        long authFailuresBefore = records.authenticationFailures();
        if (watchDrops) {
            if (dropWatch == null) {
                dropWatch = new DropWatch();
            }
            dropWatch.mark(this);
        }
        try {
            RecordCursor c = records.open(datagram, off, len, nowNanos);
            while (c.next()) {
                onRecord(c);
                if (records.hasReleasableHeld()) {
                    // The record's steps installed read keys: the records that arrived before them come next.
                    RecordCursor held = records.openHeld(nowNanos);
                    while (held.next()) {
                        onRecord(held);
                    }
                }
            }
            checkAuthenticationFailures(authFailuresBefore);
        } catch (DtlsException e) {
            fail(e);
        } catch (RuntimeException e) {
            failInternally(e);
        }
        if (watchDrops) {
            dropWatch.report(this, peer, this::event);
        }
        settle();
    }

    private void checkAuthenticationFailures(long before) throws DtlsException {
        if (records.isBadMacLimitExceeded()) {
            throw new DtlsException(AlertDescription.BAD_RECORD_MAC, "bad-MAC limit of "
                    + config.recordLayerConfig().badMacLimit() + " records reached");
        }
        if (state == ConnectionState.HANDSHAKING && records.readEpoch() > 0
                && records.authenticationFailures() > before) {
            throw new DtlsException(AlertDescription.BAD_RECORD_MAC,
                    "a record of the new epoch failed authentication during the handshake (keys differ: wrong PSK?)");
        }
    }

    /**
     * {@return when {@link #onTimeout} should next be called, on the {@code nowNanos} scale, or {@link Long#MAX_VALUE} when no timer runs}
     */
    public long nextTimeoutNanos() {
        // Established: the kept last flight sets no timer; it is let go on the next input past its time.
        if (state != ConnectionState.HANDSHAKING) {
            return Long.MAX_VALUE;
        }
        return handshaker.nextTimeoutNanos();
    }

    /**
     * Retransmits the handshake flight whose timer expired (with backoff), or fails the handshake with
     * handshake_failure once retransmissions are exhausted. Calling it early does nothing.
     *
     * @param nowNanos the caller's monotonic clock
     */
    public void onTimeout(long nowNanos) {
        if (state != ConnectionState.HANDSHAKING && state != ConnectionState.ESTABLISHED) {
            return;
        }
        now = nowNanos;
        if (state == ConnectionState.ESTABLISHED) {
            records.expire(nowNanos);
            releaseExpiredFlight();
            return;
        }
        try {
            records.expire(nowNanos);
            List<HandshakeStep> steps = handshaker.onTimeout(nowNanos);
            for (HandshakeStep s : steps) {
                if (s instanceof HandshakeStep.Send send && send.retransmission()) {
                    retransmissions++;
                } else if (s instanceof HandshakeStep.Failed) {
                    timedOut = true;
                }
            }
            apply(steps);
        } catch (DtlsException e) {
            fail(e);
        } catch (RuntimeException e) {
            failInternally(e);
        }
        settle();
    }

    /**
     * Sends one record of application data.
     *
     * @param data the buffer holding the plaintext; read only during the call
     * @param off where the plaintext starts
     * @param len the plaintext length, 0 to {@link #maxSendPlaintext()}
     * @param nowNanos the caller's monotonic clock
     * @throws IllegalStateException before the handshake completed or after the connection ended (also when
     *     the sequence numbers just ran out: the connection then closed, and the listener heard why)
     * @throws IllegalArgumentException when {@code len} exceeds {@link #maxSendPlaintext()}
     */
    public void send(byte[] data, int off, int len, long nowNanos) {
        Objects.checkFromIndexSize(off, len, data.length);
        if (state != ConnectionState.ESTABLISHED) {
            throw new IllegalStateException("cannot send application data while " + state);
        }
        if (len > records.maxSendPlaintext()) {
            throw new IllegalArgumentException(len + " bytes exceed the record limit " + records.maxSendPlaintext());
        }
        now = nowNanos;
        byte[] out = SendBuffers.borrow(sendBufferSize);
        try {
            int n;
            try {
                n = records.protect(ContentType.APPLICATION_DATA, data, off, len, out, 0);
            } catch (SequenceNumberExhaustedException e) {
                // RFC 6347 §4.1: sequence numbers must not wrap, and DTLS 1.2 cannot rekey: the connection ends.
                end(ConnectionState.CLOSED, e);
                settle();
                throw new IllegalStateException("sequence numbers exhausted; the connection closed", e);
            }
            applicationRecordsOut++;
            applicationBytesOut += len;
            emit(out, 0, n);
        } finally {
            SendBuffers.giveBack(out);
        }
    }

    /**
     * {@link #send(byte[], int, int, long)} of the whole array.
     *
     * @param data the plaintext, at most {@link #maxSendPlaintext()} bytes
     * @param nowNanos the caller's monotonic clock
     * @throws IllegalStateException before the handshake completed or after the connection ended
     * @throws IllegalArgumentException when the data exceed {@link #maxSendPlaintext()}
     */
    public void send(byte[] data, long nowNanos) {
        send(data, 0, data.length, nowNanos);
    }

    /**
     * Sends close_notify and ends the connection cleanly (RFC 5246 §7.2.1: no need to wait for the peer's).
     * Does nothing once the connection has ended.
     *
     * @param nowNanos the caller's monotonic clock
     */
    public void close(long nowNanos) {
        if (isEnded()) {
            return;
        }
        now = nowNanos;
        if (state != ConnectionState.NEW) {
            sendCloseNotify();
        }
        end(ConnectionState.CLOSED, null);
        settle();
    }

    /**
     * RFC 5705 §4 keying material exporter: {@code length} bytes of PRF(master_secret, label, client_random
     * || server_random [|| uint16 context length || context]) for this connection, the same bytes on both
     * sides. A null {@code context} means "no context" and gives other bytes than an empty one. For SRTP
     * (RFC 5764 §4.2) use {@link org.dtls4j.crypto.SrtpKeys#derive}{@code (connection::exportKeyingMaterial,
     * profile)}. Available from {@link DtlsListener#onHandshakeComplete} until the connection ends: the
     * master secret copy it needs is wiped with the record keys when the connection closes or fails.
     *
     * @param label the exporter label, e.g. {@code EXTRACTOR-dtls_srtp}
     * @param context the context, at most 65535 bytes, or null for none
     * @param length how many bytes to export, at least 0
     * @return a fresh array of {@code length} bytes
     * @throws IllegalStateException before the handshake completed, or after the connection ended
     * @throws IllegalArgumentException for a label TLS reserves ("client finished", "server finished",
     *     "master secret", "extended master secret", "key expansion", or one starting with them), a context
     *     over 65535 bytes, or a negative length
     */
    public byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        if (state != ConnectionState.ESTABLISHED || exporterSecret == null) {
            throw new IllegalStateException("no keying material to export while " + state);
        }
        return exporterSecret.exportKeyingMaterial(label, context, length);
    }

    /** True when {@code hello} carries the ClientHello.random this server connection started from. */
    boolean startedFrom(CookieResult.Verified hello) {
        return clientHelloRandom != null && java.util.Arrays.equals(clientHelloRandom, hello.random());
    }

    /**
     * Test hook: protects {@code payload} as one record of {@code type} in the current write epoch and sends
     * it, so tests can make a peer say what the state machines never would (renegotiation, odd alerts).
     */
    void sendRecordForTest(int type, byte[] payload) throws DtlsException {
        byte[] out = SendBuffers.borrow(sendBufferSize);
        try {
            emit(out, 0, records.protect(type, payload, 0, payload.length, out, 0));
        } finally {
            SendBuffers.giveBack(out);
        }
    }

    /** Ends the connection without a word to the peer: its address started a new verified handshake. */
    void replaced() {
        end(ConnectionState.CLOSED, null);
        settle();
    }

    // ---------------------------------------------------------------- records in

    private void onRecord(RecordCursor c) throws DtlsException {
        if (isEnded()) {
            // A close_notify earlier in this datagram ended the connection: ignore the rest.
            countDrop(EngineDropReason.AFTER_CLOSE);
            return;
        }
        int epoch = c.epoch();
        if (epoch > 0) {
            // Authenticated by the record layer: proof of a live peer, so it counts for the idle timers.
            lastProgress = now;
            noteAuthenticated(epoch, c.sequenceNumber());
        }
        switch (c.type()) {
            case ContentType.HANDSHAKE, ContentType.CHANGE_CIPHER_SPEC -> onHandshakeRecord(c);
            case ContentType.APPLICATION_DATA -> onApplicationData(c.buffer(), c.offset(), c.length());
            case ContentType.ALERT -> onAlert(epoch, c.sequenceNumber(), c.buffer(), c.offset(), c.length());
            default -> countDrop(EngineDropReason.UNHANDLED_CONTENT_TYPE);
        }
    }

    /** RFC 9146 §6: only a record newer than all before it may move the path, before anything answers it. */
    private void noteAuthenticated(int epoch, long seq) {
        long position = (long) epoch << 48 | seq;
        if (position > newestRecord) {
            newestRecord = position;
            InetSocketAddress previous = path == null ? null : path.onNewestRecord();
            if (previous != null) {
                movedTo(path.address(), previous);
            }
        }
    }

    /** The acceptor's path for this server connection (RFC 9146 §6), given before {@link #start}. */
    void attachPath(PeerPath p) {
        this.path = p;
    }

    /** {@return the acceptor's path of this server connection, or null} */
    PeerPath path() {
        return path;
    }

    /** The server's CID for this connection, picked unique by the acceptor, given before {@link #start}. */
    void useConnectionId(byte[] cid) {
        ((ServerHandshaker) handshaker).useConnectionId(cid);
    }

    /** {@return the record layer, for {@link ConnectionSnapshot}} */
    RecordLayer recordLayer() {
        return records;
    }

    /** {@return the exporter's secret (master secret and randoms) while established, for {@link ConnectionSnapshot}} */
    ExporterSecret exporterSecret() {
        return exporterSecret;
    }

    /**
     * Makes this fresh connection established from a snapshot whose keys {@link ConnectionSnapshot} installed:
     * no handshake runs, and handshake records from the peer are dropped (no renegotiation, no retransmitted
     * Finished to answer), which {@link #restoredFromSnapshot} marks.
     */
    void restoreEstablished(HandshakeResult r, ExporterSecret secret, long nowNanos) {
        establishRebuilt(r, secret, nowNanos, nowNanos);
        restoredFromSnapshot = true;
    }

    /** What every connection rebuilt from bytes (snapshot or at-rest form) starts with: established, no handshaker. */
    private void establishRebuilt(HandshakeResult r, ExporterSecret secret, long progressNanos, long nowNanos) {
        state = ConnectionState.ESTABLISHED;
        result = r;
        exporterSecret = secret;
        now = nowNanos;
        startNanos = nowNanos;
        lastProgress = progressNanos;
        handshaker = null;
    }

    // ---------------------------------------------------------------- at rest (DtlsAcceptor#restAfter)

    /**
     * Whether this server connection can be put away as a {@link ConnectionAtRest} form without losing anything a
     * peer may still need: established with epoch 1 both ways, no handshaker, no timer, no record held for a later
     * epoch, its path validated, no last flight kept to resend (one whose keep time has passed is let go here), and
     * a peer identity no larger than {@link ConnectionAtRest#MAX_IDENTITY_BYTES}.
     * The epoch-0 read state is not kept: what the peer could still send in epoch 0 is a retransmission of a
     * flight it has our answer to, or a new ClientHello, which the acceptor's verifier takes.
     *
     * @param nowNanos the caller's clock
     * @return true when {@link ConnectionAtRest#freeze} may take it
     */
    boolean canRest(long nowNanos) {
        if (state != ConnectionState.ESTABLISHED || released || handshaker != null || client || exporterSecret == null
                || events.isDelivering()) {
            return false;
        }
        now = Math.max(now, nowNanos);
        releaseExpiredFlight();
        return (afterHandshake == null || !afterHandshake.keepsFlight())
                && records.readEpoch() == 1 && records.writeEpoch() == 1 && records.heldRecordCount() == 0
                && (path == null || path.isValidated()) && ConnectionAtRest.identityFits(result, identityAtRest);
    }

    /** {@return the message_seq the peer's next handshake message would carry, for the at-rest form} */
    int nextPeerMessageSeq() {
        return afterHandshake != null ? afterHandshake.nextPeerSeq() : 0;
    }

    /** {@return whether handshake records are dropped unanswered (rebuilt from a snapshot)} */
    boolean restoredFromSnapshot() {
        return restoredFromSnapshot;
    }

    /**
     * {@return the {@code nowNanos} of the latest call that drove this connection (a datagram, a send, a timer)},
     * which the acceptor counts a connection's quiet time from.
     */
    long lastActivityNanos() {
        return now;
    }

    /**
     * Ends this object after {@link ConnectionAtRest#freeze} copied its state: keys wiped and state dropped, but no
     * close_notify and no event, because the connection itself goes on in the form (a woken copy continues its
     * sequence numbers). Anything still holding this object finds it closed, so it can never write a record
     * the woken copy will write too.
     */
    void retireForRest() {
        state = ConnectionState.CLOSED;
        dropLiveState();
    }

    /**
     * Makes this fresh connection (from {@link #forRestore}) the woken copy of one put away at rest, whose keys,
     * sequence numbers and window {@link ConnectionAtRest} installed: it answers late handshake records as the
     * original would have (no flight kept), and its idle clock goes on from the original's.
     */
    void wakeEstablished(HandshakeResult r, ExporterSecret secret, int nextPeerSeq, boolean fromSnapshot,
                         long progressNanos, long nowNanos, byte[] peerIdentity) {
        establishRebuilt(r, secret, progressNanos, nowNanos);
        identityAtRest = peerIdentity;
        restoredFromSnapshot = fromSnapshot;
        long edge = records.readRightEdge();
        newestRecord = edge >= 0 ? 1L << 48 | edge : -1;
        afterHandshake = new AfterHandshake(false, List.of(), nextPeerSeq, config.retransmitConfig(), 0, nowNanos);
    }

    /** The path moved: the connection's address follows it and the move is reported (the acceptor re-files on it). */
    private void movedTo(InetSocketAddress next, InetSocketAddress previous) {
        peer = next;
        byte[] cid = result != null && result.connectionId() != null ? result.connectionId().read() : null;
        event(new DtlsEvent.AddressChanged(next, previous, cid));
        trace("peer moved from " + previous + " to " + next);
    }

    private void onHandshakeRecord(RecordCursor c) throws DtlsException {
        if (restoredFromSnapshot) {
            countDrop(EngineDropReason.UNHANDLED_CONTENT_TYPE);
            return;
        }
        if (handshaker == null) {
            releaseExpiredFlight();
            afterHandshake(c);
            return;
        }
        // Records of an older epoch (epoch 0 is unauthenticated) are the peer's retransmissions: the
        // handshaker answers them without parsing, so a forged one cannot end a keyed connection.
        long handled = handshaker.messagesHandled();
        List<HandshakeStep> steps = handshaker.onRecord(c.type(), c.epoch(), c.buffer(), c.offset(), c.length(), now);
        if (handshaker.messagesHandled() != handled) {
            lastProgress = now;
            if (c.epoch() == 0) {
                // Only records that moved the handshake anchor the alert check: junk with a made-up number cannot.
                peerEpoch0Sequence = Math.max(peerEpoch0Sequence, c.sequenceNumber());
            }
        }
        apply(steps);
    }

    /** A handshake record after establishment: resend the kept last flight, refuse renegotiation, or fail. */
    private void afterHandshake(RecordCursor c) throws DtlsException {
        switch (afterHandshake.onRecord(c.type(), c.epoch(), records.readEpoch(), c.buffer(), c.offset(),
                c.length(), now)) {
            case RESEND -> {
                trace("peer retransmitted its flight: resending ours");
                sendPlanned(afterHandshake.lastFlight());
            }
            case REFUSE_RENEGOTIATION -> {
                trace("renegotiation attempt refused");
                sendAlertRecord(AlertLevel.WARNING, AlertDescription.NO_RENEGOTIATION);
            }
            case NONE -> {
            }
        }
    }

    /**
     * The handshake completed: keep only the last flight (when this side sent it) and drop the handshaker;
     * with no flight to resend, the previous epoch's write state goes too.
     */
    private void retireHandshaker() {
        afterHandshake = new AfterHandshake(client, handshaker.lastFlight(), handshaker.nextReceiveSeq(),
                config.retransmitConfig(), config.recordLayerConfig().previousEpochRetentionNanos(), now);
        handshaker = null;
        if (!afterHandshake.keepsFlight()) {
            retireEpoch0();
        }
    }

    private void releaseExpiredFlight() {
        if (afterHandshake != null && afterHandshake.flightExpired(now)) {
            releaseLastFlight();
        }
    }

    /** The peer has our Finished, or the keep time passed: nothing will be resent in the old epoch. */
    private void releaseLastFlight() {
        afterHandshake.releaseFlight();
        retireEpoch0();
    }

    /**
     * With no last flight to resend we write nothing in the previous epoch. Its read side stays until the
     * record layer's retention ends, so the peer's late epoch-0 records keep their own drop reasons.
     */
    private void retireEpoch0() {
        records.retirePreviousWriteEpoch();
    }

    // ---------------------------------------------------------------- the handshake's steps

    /** Applies the handshaker's steps in order, between two records (or after a timer or the start). */
    private void apply(List<HandshakeStep> steps) throws DtlsException {
        for (HandshakeStep s : steps) {
            if (s instanceof HandshakeStep.Send send) {
                sendPlanned(send.datagrams());
            } else if (s instanceof HandshakeStep.InstallReadKeys k) {
                records.installReadEpoch(k.epoch(), k.cipher(), now);
            } else if (s instanceof HandshakeStep.InstallWriteKeys k) {
                records.installWriteEpoch(k.epoch(), k.cipher());
            } else if (s instanceof HandshakeStep.UseConnectionIds u) {
                records.setReadConnectionId(u.cids().read());
                records.setWriteConnectionId(u.cids().write());
            } else if (s instanceof HandshakeStep.PeerRecordSizeLimit l) {
                records.setPeerRecordSizeLimit(l.limit());
            } else if (s instanceof HandshakeStep.KeyLog k) {
                keyLog(k.clientRandom(), k.masterSecret());
            } else if (s instanceof HandshakeStep.WarningAlert w) {
                sendAlertRecord(AlertLevel.WARNING, w.description());
            } else if (s instanceof HandshakeStep.Trace t) {
                trace(t.event());
            } else if (s instanceof HandshakeStep.Established e) {
                established(e);
            } else if (s instanceof HandshakeStep.Failed f) {
                throw f.failure();
            }
        }
    }

    /** Protects each planned record with its epoch's keys (fresh sequence numbers every time) and sends. */
    private void sendPlanned(List<PlannedDatagram> datagrams) throws SequenceNumberExhaustedException {
        byte[] out = SendBuffers.borrow(sendBufferSize);
        try {
            for (PlannedDatagram d : datagrams) {
                emit(out, 0, d.protect(records, out));
            }
        } finally {
            SendBuffers.giveBack(out);
        }
    }

    private void keyLog(byte[] clientRandom, byte[] masterSecret) {
        var sinkForKeys = config.keyLog();
        if (sinkForKeys != null) {
            sinkForKeys.accept("CLIENT_RANDOM " + Hex.encode(clientRandom) + " " + Hex.encode(masterSecret));
        }
    }

    private void established(HandshakeStep.Established e) {
        if (state != ConnectionState.HANDSHAKING) {
            e.exporterSecret().destroy();
            return;
        }
        state = ConnectionState.ESTABLISHED;
        result = e.result();
        exporterSecret = e.exporterSecret();
        retireHandshaker();
        event(new DtlsEvent.HandshakeCompleted(peer, result.suite(), Duration.ofNanos(now - startNanos),
                retransmissions, result.resumed(),
                result.connectionId() == null ? null : result.connectionId().read()));
        events.handshakeComplete(result);
    }

    private void onApplicationData(byte[] payload, int off, int len) {
        // Epoch-0 application data never gets here: the record layer drops it (CLEARTEXT_APPLICATION_DATA).
        if (state != ConnectionState.ESTABLISHED) {
            countDrop(EngineDropReason.EARLY_APPLICATION_DATA);
            return;
        }
        if (afterHandshake != null && afterHandshake.keepsFlight()) {
            // An authenticated application record: the peer completed, so it has our last flight.
            releaseLastFlight();
        }
        applicationRecordsIn++;
        applicationBytesIn += len;
        events.applicationData(payload, off, len);
    }

    private void onAlert(int epoch, long seq, byte[] payload, int off, int len) throws DtlsException {
        if (epoch < records.readEpoch()) {
            // Once keys exist, an alert in an older (epoch 0: unauthenticated) epoch could be forged by anyone.
            countDrop(EngineDropReason.STALE_EPOCH_ALERT);
            return;
        }
        if (epoch == 0 && !couldAnswerOurFlight(seq)) {
            countDrop(EngineDropReason.UNTRUSTED_ALERT);
            trace("epoch-0 alert with sequence number " + seq + " ignored: it cannot answer our flight");
            return;
        }
        if (len != 2) {
            throw new DtlsException(AlertDescription.DECODE_ERROR, "alert record of " + len + " bytes");
        }
        AlertLevel level = AlertLevel.of(payload[off] & 0xff);
        if (level == null) {
            throw new DtlsException(AlertDescription.DECODE_ERROR, "alert level " + (payload[off] & 0xff));
        }
        AlertDescription description = AlertDescription.of(payload[off + 1] & 0xff);
        event(new DtlsEvent.AlertReceived(peer, level, description));
        if (description.equals(AlertDescription.CLOSE_NOTIFY)) {
            // RFC 5246 §7.2.1: answer with our own close_notify and discard pending writes.
            sendCloseNotify();
            end(ConnectionState.CLOSED, null);
        } else if (level == AlertLevel.FATAL) {
            throw DtlsException.fromPeerAlert(description);
        } else {
            events.alert(level, description);
        }
    }

    /**
     * Whether an epoch-0 alert (no keys readable yet, so nothing authenticates it) can be the peer's reply
     * to what we sent: we sent something, and its sequence number follows the latest epoch-0 record seen
     * from the peer within {@link #ALERT_SEQUENCE_WINDOW} of the latest number either side used. The peer's
     * address is already exact: the acceptor routes by the full address and a client's socket is connected.
     */
    private boolean couldAnswerOurFlight(long seq) {
        if (datagramsOut == 0 || seq <= peerEpoch0Sequence) {
            return false;
        }
        long ours = records.writeEpoch() == 0 ? records.nextWriteSequence() - 1 : -1;
        return seq <= Math.max(peerEpoch0Sequence, ours) + ALERT_SEQUENCE_WINDOW;
    }

    // ---------------------------------------------------------------- records out

    private void emit(byte[] buf, int off, int len) {
        datagramsOut++;
        bytesOut += len;
        sink.send(buf, off, len);
    }

    private void sendAlertRecord(AlertLevel level, AlertDescription description)
            throws SequenceNumberExhaustedException {
        // Alerts are rare: their two bytes and the buffer are made or borrowed per alert, not kept.
        byte[] alert = {(byte) level.code(), (byte) description.code()};
        byte[] out = SendBuffers.borrow(sendBufferSize);
        try {
            emit(out, 0, records.protect(ContentType.ALERT, alert, 0, 2, out, 0));
        } finally {
            SendBuffers.giveBack(out);
        }
        event(new DtlsEvent.AlertSent(peer, level, description));
    }

    private void sendCloseNotify() {
        if (closeNotifySent) {
            return;
        }
        closeNotifySent = true;
        try {
            sendAlertRecord(AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY);
        } catch (SequenceNumberExhaustedException e) {
            // No sequence number is left to carry it; the connection ends all the same.
            trace("close_notify not sent: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- the end

    /** Sends the failure's fatal alert (unless the peer sent it), then ends the connection as FAILED. */
    private void fail(DtlsException e) {
        if (isEnded()) {
            return;
        }
        if (!e.receivedFromPeer() && !(e instanceof SequenceNumberExhaustedException)) {
            try {
                sendAlertRecord(AlertLevel.FATAL, e.alert());
            } catch (SequenceNumberExhaustedException exhausted) {
                // Nothing can be sent any more; the failure itself is what the listener must hear.
                trace("fatal alert not sent: " + exhausted.getMessage());
            }
        }
        trace("failed: " + e.getMessage());
        invalidateSession();
        end(ConnectionState.FAILED, e);
    }

    /**
     * RFC 5246 §7.2.2: a fatal alert makes the session non-resumable. While handshaking the handshaker knows
     * which session is at stake; once established it is the result's, and a server drops it from its cache.
     */
    private void invalidateSession() {
        if (handshaker != null) {
            for (HandshakeStep s : handshaker.invalidateSession()) {
                if (s instanceof HandshakeStep.Trace t) {
                    trace(t.event());
                }
            }
            return;
        }
        Session s = result != null ? result.session() : null;
        if (s == null) {
            return;
        }
        s.invalidate();
        if (!client && config.sessionCache() != null) {
            config.sessionCache().remove(s.sessionId());
        }
        trace("session " + s + " invalidated after a fatal alert");
    }

    /**
     * An unchecked exception escaped the processing of this connection: a bug in dtls4j or in a listener.
     * The connection fails with internal_error (RFC 5246 §7.2.2) and the exception is logged once.
     */
    void failInternally(RuntimeException e) {
        if (internalError == null) {
            internalError = e;
            LOG.log(System.Logger.Level.ERROR, "DTLS connection " + this + " failed on an internal error", e);
        }
        DtlsException failure = new DtlsException(AlertDescription.INTERNAL_ERROR,
                "internal error: " + e.getClass().getName(), e);
        try {
            fail(failure);
        } catch (RuntimeException again) {
            // Even the alert could not be sent: end without it.
            e.addSuppressed(again);
            end(ConnectionState.FAILED, failure);
        }
        settle();
    }

    private void end(ConnectionState finalState, DtlsException cause) {
        if (isEnded()) {
            return;
        }
        boolean handshaking = state == ConnectionState.HANDSHAKING;
        state = finalState;
        failure = cause;
        if (handshaking) {
            event(handshakeFailed(cause));
        }
    }

    /**
     * Ends every public call: once the connection ended, wipes the keys and drops what only a live connection
     * needs (after the record walk, never in it), then hands the queued events to the listener.
     */
    private void settle() {
        if (isEnded() && !released) {
            finishEnd();
        }
        events.deliver(delivery);
    }

    private void finishEnd() {
        dropLiveState();
        events.closed(failure);
    }

    /** Wipes the keys and releases at once what only a live connection needs: flight, reassembly state. */
    private void dropLiveState() {
        records.destroy();
        if (exporterSecret != null) {
            exporterSecret.destroy();
            exporterSecret = null;
        }
        released = true;
        handshaker = null;
        afterHandshake = null;
    }

    private boolean isEnded() {
        return state == ConnectionState.CLOSED || state == ConnectionState.FAILED;
    }

    private void trace(String event) {
        if (traces) {
            events.trace(event);
        }
    }

    private DtlsEvent.HandshakeFailed handshakeFailed(DtlsException cause) {
        DtlsEvent.FailureKind kind;
        if (cause == null) {
            kind = DtlsEvent.FailureKind.ABANDONED;
        } else if (timedOut) {
            kind = DtlsEvent.FailureKind.TIMED_OUT;
        } else if (cause.receivedFromPeer()) {
            kind = DtlsEvent.FailureKind.ALERT_RECEIVED;
        } else {
            kind = DtlsEvent.FailureKind.ALERT_SENT;
        }
        return new DtlsEvent.HandshakeFailed(peer, kind, cause != null ? cause.alert() : null,
                Duration.ofNanos(now - startNanos), retransmissions, cause != null ? cause.getMessage() : null);
    }

    /**
     * Mirrors {@code e} to JFR and the listener. Observing must not change what the connection does, so a
     * listener that throws here is logged once and otherwise ignored (unlike the other callbacks).
     */
    private void event(DtlsEvent e) {
        JfrEvents.emit(this, e);
        events.event(e);
    }

    /** How queued events reach the listener, and what a listener that throws does to the connection. */
    private final class Delivery implements PendingEvents.Target {
        @Override
        public DtlsConnection connection() {
            return DtlsConnection.this;
        }

        @Override
        public DtlsListener listener() {
            return listener;
        }

        @Override
        public void listenerFailed(RuntimeException e) {
            failInternally(e);
        }

        @Override
        public void observerFailed(RuntimeException e, boolean closing) {
            if (closing) {
                if (internalError == null) {
                    internalError = e;
                    LOG.log(System.Logger.Level.ERROR, "DTLS connection " + DtlsConnection.this
                            + ": listener failed in onClosed", e);
                }
            } else if (!eventListenerFailed) {
                eventListenerFailed = true;
                LOG.log(System.Logger.Level.WARNING, "DTLS connection " + DtlsConnection.this
                        + ": listener failed in onEvent", e);
            }
        }

        @Override
        public void undelivered() {
            countDrop(EngineDropReason.AFTER_CLOSE);
        }
    }

    // ---------------------------------------------------------------- state and counters

    /** {@return where the connection is in its life: new, handshaking, established, closed or failed} */
    public ConnectionState state() {
        return state;
    }

    /** {@return true once the handshake completed and until the connection ends} */
    public boolean isEstablished() {
        return state == ConnectionState.ESTABLISHED;
    }

    /** {@return true once the connection ended, cleanly or not} */
    public boolean isClosed() {
        return isEnded();
    }

    /** {@return true for a client connection, false for a server one} */
    public boolean isClient() {
        return client;
    }

    /** {@return the peer's address as given at creation (may be null for a client that does not know it)} */
    public InetSocketAddress peer() {
        return peer;
    }

    /**
     * {@return what the handshake agreed, or null before it completed} A connection woken from rest
     * ({@link DtlsAcceptor#restAfter}) reports the same result as before its rest, the peer's certificates or raw
     * public key and the session included; it decodes the peer's credential at the first call after the wake.
     */
    public HandshakeResult handshakeResult() {
        byte[] identity = identityAtRest;
        if (identity != null) {
            // A benign race between threads: each would decode the same immutable result.
            result = ConnectionAtRest.withPeer(result, identity);
            identityAtRest = null;
        }
        return result;
    }

    /** {@return the result without decoding a woken connection's peer credential: for the engine's own use} */
    HandshakeResult resultSoFar() {
        return result;
    }

    /** {@return the identity section of the form this connection woke from while not yet decoded, else null} */
    byte[] identityAtRest() {
        return identityAtRest;
    }

    /**
     * {@return the unchecked exception (a bug in dtls4j or in a listener) that failed this connection with internal_error, or null}
     */
    public RuntimeException internalError() {
        return internalError;
    }

    /**
     * When input last moved this connection forward: the start, a handshake message the state machine
     * took, or any record of a keyed epoch (authenticated). Junk, replays, retransmitted or unparsable
     * handshake records and dropped alerts do not count, so they cannot keep an idle or half-open
     * connection alive.
     *
     * @return the {@code nowNanos} of that call
     */
    public long lastProgressNanos() {
        return lastProgress;
    }

    /**
     * {@return the failure that ended the connection, carrying the alert sent or received, or null (still running, or closed cleanly)}
     */
    public DtlsException failure() {
        return failure;
    }

    /**
     * {@return the largest application-data payload one {@link #send} accepts (2^14 or the peer's record_size_limit)}
     */
    public int maxSendPlaintext() {
        return records.maxSendPlaintext();
    }

    /**
     * Counts the records the record layer dropped for one reason.
     *
     * @param reason why they were dropped
     * @return the count since the connection was made
     */
    public long drops(DropReason reason) {
        return records.drops(reason);
    }

    /**
     * Counts the records the engine dropped for one reason.
     *
     * @param reason why they were dropped
     * @return the count since the connection was made
     */
    public long drops(EngineDropReason reason) {
        return engineDrops == null ? 0 : engineDrops[reason.ordinal()];
    }

    private void countDrop(EngineDropReason reason) {
        if (engineDrops == null) {
            engineDrops = new long[ENGINE_DROP_REASONS];
        }
        engineDrops[reason.ordinal()]++;
    }

    /**
     * {@return how many times this side resent a flight on its retransmission timer (RFC 6347 §4.2.4)}
     */
    public int retransmissions() {
        return retransmissions;
    }

    /** {@return every record dropped, by the record layer or the engine} */
    public long totalDrops() {
        long sum = records.totalDrops();
        for (int i = 0; engineDrops != null && i < engineDrops.length; i++) {
            sum += engineDrops[i];
        }
        return sum;
    }

    /** {@return the datagrams handed to {@link #receive} while the connection was open, dropped ones included} */
    public long datagramsReceived() {
        return datagramsIn;
    }

    /** {@return the bytes of those datagrams} */
    public long bytesReceived() {
        return bytesIn;
    }

    /** {@return the datagrams given to the sink: flights, retransmissions, alerts and application data} */
    public long datagramsSent() {
        return datagramsOut;
    }

    /** {@return the bytes of those datagrams} */
    public long bytesSent() {
        return bytesOut;
    }

    /** {@return the application-data records opened and passed to the listener} */
    public long applicationRecordsReceived() {
        return applicationRecordsIn;
    }

    /** {@return the plaintext bytes of those records} */
    public long applicationBytesReceived() {
        return applicationBytesIn;
    }

    /** {@return the application-data records sent} */
    public long applicationRecordsSent() {
        return applicationRecordsOut;
    }

    /** {@return the plaintext bytes of those records} */
    public long applicationBytesSent() {
        return applicationBytesOut;
    }

    @Override
    public String toString() {
        return "DtlsConnection[" + (client ? "client" : "server") + (peer != null ? " " + peer : "") + ", " + state
                + (result != null ? ", " + result.suite().name() : "") + "]";
    }
}
