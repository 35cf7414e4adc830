package org.dtls4j.handshake.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntBiFunction;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.ExporterSecret;
import org.dtls4j.crypto.KeyBlock;
import org.dtls4j.crypto.KeySchedule;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.handshake.Flight;
import org.dtls4j.handshake.FlightMessage;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.handshake.RawMessage;
import org.dtls4j.handshake.Reassembler;
import org.dtls4j.handshake.TranscriptHash;
import org.dtls4j.handshake.message.HandshakeMessage;
import org.dtls4j.handshake.message.HandshakeMessages;
import org.dtls4j.handshake.session.AgreedConnectionId;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * One side of one DTLS 1.2 handshake: joins the peer's fragments into messages, hands them in order to
 * the side's state machine, and sends, times and retransmits this side's flights (RFC 6347 §4.2.4).
 * It owns no socket, record layer or clock: records come in through {@link #onRecord}, time through the
 * {@code nowNanos} arguments, and everything it wants done (send datagrams, install keys, report
 * completion or failure) leaves as the {@link HandshakeStep}s each call returns, for the connection to
 * apply in order before it reads the next record.
 *
 * <p>What a hostile peer can make it hold is bounded by the {@link org.dtls4j.handshake.config.ReassemblyLimits}
 * of the settings; everything else it keeps is this side's own flight.
 */
public abstract sealed class Handshaker permits ClientHandshaker, ServerHandshaker {
    final HandshakeSettings settings;
    final Flight flight;
    final TranscriptHash transcript = new TranscriptHash();
    Reassembler reassembler;
    int nextSendSeq;
    /** RFC 9146 connection_id: what this side offers or answers, and what the hellos agreed. */
    final ConnectionIdNegotiation connectionIds;
    private final ToIntBiFunction<RecordCipher, byte[]> recordOverhead;
    /** What the current call asks the connection to do; handed out and replaced when the call returns. */
    private List<HandshakeStep> steps = new ArrayList<>();
    /** The write epoch this side's records use now, and its cipher (null in epoch 0), to size records. */
    private int writeEpoch;
    private RecordCipher writeCipher;
    private int readEpoch;
    private long malformedRecords;
    private long messagesHandled;
    /** Whether anyone reads the trace lines; when not, none is built (each is a String put together per event). */
    boolean traces = true;

    /**
     * @param settings the configuration
     * @param recordOverhead the most bytes a record sealed with a cipher (null: epoch 0) and carrying a write
     *     CID (null or empty: none) adds to its plaintext, header and CID included; the connection gives its record layer's rule, so flights are
     *     cut to the datagram budget even for an epoch whose keys the connection has not installed yet
     * @param firstReceiveSeq the message_seq of the first message expected from the peer
     */
    Handshaker(HandshakeSettings settings, ToIntBiFunction<RecordCipher, byte[]> recordOverhead, int firstReceiveSeq) {
        this.settings = settings;
        this.recordOverhead = recordOverhead;
        this.connectionIds = new ConnectionIdNegotiation(settings);
        this.flight = new Flight(settings.retransmitConfig(), settings.maxDatagramSize(), this::overheadOf);
        this.reassembler = new Reassembler(settings.reassemblyLimits(), firstReceiveSeq);
    }

    private int overheadOf(int epoch) {
        if (epoch != 0 && epoch != writeEpoch) {
            throw new IllegalStateException("write epoch " + epoch + " is not available");
        }
        if (epoch == 0) {
            return recordOverhead.applyAsInt(null, null);
        }
        // The agreed write CID, not the record layer's: a flight planned in the call that agreed it (a resumed
        // server's) is sized before the connection applies the UseConnectionIds step.
        AgreedConnectionId cids = connectionIds.agreed();
        return recordOverhead.applyAsInt(writeCipher, cids == null ? null : cids.write());
    }

    /** Queues a step for the connection. */
    final void step(HandshakeStep s) {
        steps.add(s);
    }

    /** Queues a trace line for the connection's listener, when traces are wanted. */
    final void trace(String event) {
        if (traces) {
            steps.add(new HandshakeStep.Trace(event));
        }
    }

    /**
     * Stops or resumes the {@link HandshakeStep.Trace} steps. Off, the lines of every flight and of
     * completion are not even built: on a server nobody reads, they were a String put together per flight.
     *
     * @param wanted whether the connection hands trace lines to anyone
     */
    public final void traces(boolean wanted) {
        this.traces = wanted;
    }

    /** Hands out the queued steps, with the failure last when the call failed. */
    private List<HandshakeStep> done(DtlsException failure) {
        if (failure != null) {
            steps.add(new HandshakeStep.Failed(failure));
        }
        if (steps.isEmpty()) {
            return List.of();
        }
        List<HandshakeStep> out = steps;
        steps = new ArrayList<>();
        return out;
    }

    /** The work of one public call, which may fail with the handshake's alert. */
    @FunctionalInterface
    interface Work {
        void run() throws DtlsException;
    }

    /** Runs {@code work} and returns the steps it queued; a failure becomes a last {@link HandshakeStep.Failed}. */
    final List<HandshakeStep> run(Work work) {
        try {
            work.run();
            return done(null);
        } catch (DtlsException e) {
            return done(e);
        }
    }

    /**
     * Starts the handshake: a client sends its ClientHello; a server with a verified hello its first flight.
     *
     * @param nowNanos the caller's clock
     * @return the steps to apply, ending in {@link HandshakeStep.Failed} when the first flight cannot be built
     */
    public final List<HandshakeStep> start(long nowNanos) {
        return run(() -> begin(nowNanos));
    }

    /** The side's first move. */
    abstract void begin(long nowNanos) throws DtlsException;

    /** {@return true once the peer's Finished has verified (and, for the side that sends last, ours is sent)} */
    public abstract boolean isEstablished();

    /** {@return what the handshake agreed; only once {@link #isEstablished()}} */
    public abstract HandshakeResult result();

    /**
     * The handshake completed: queues {@link HandshakeStep.Established} with what the RFC 5705 exporter needs
     * (§4 exports from the master secret), which the connection keeps and destroys.
     */
    final void established(FinishedVerified proof, HandshakeResult result, Negotiated n, byte[] masterSecret) {
        step(new HandshakeStep.Established(proof, result,
                new ExporterSecret(n.suite().prf(), masterSecret, n.clientRandom(), n.serverRandom())));
    }

    /**
     * The connection ended in a fatal alert, sent or received (RFC 5246 §7.2.2): the session this handshake
     * resumed or established, or was offering to resume, becomes non-resumable, and a server drops it from
     * its cache. The engine calls it once, wherever the connection fails, before or after establishment.
     *
     * @return trace steps saying what was invalidated
     */
    public final List<HandshakeStep> invalidateSession() {
        return run(this::invalidate);
    }

    /** The side's part of {@link #invalidateSession()}. */
    abstract void invalidate();

    /** A state machine's reaction to one whole message from the peer, in message_seq order. */
    abstract void onMessage(RawMessage message, long nowNanos) throws DtlsException;

    /** A state machine's reaction to the peer's ChangeCipherSpec in the current read epoch. */
    abstract void onChangeCipherSpec(long nowNanos) throws DtlsException;

    /**
     * One authenticated handshake or ChangeCipherSpec record from the record layer.
     *
     * @param type the record's content type: handshake or change_cipher_spec
     * @param epoch the record's epoch
     * @param payload the plaintext's buffer (valid only during the call)
     * @param off where the plaintext starts
     * @param len its length
     * @param nowNanos the caller's clock
     * @return the steps to apply before the next record, ending in {@link HandshakeStep.Failed} when the
     *     handshake failed
     */
    public final List<HandshakeStep> onRecord(int type, int epoch, byte[] payload, int off, int len,
                                              long nowNanos) {
        if (type != ContentType.HANDSHAKE && type != ContentType.CHANGE_CIPHER_SPEC) {
            throw new IllegalArgumentException("not a handshake record: " + type);
        }
        return run(() -> record(type, epoch, payload, off, len, nowNanos));
    }

    private void record(int type, int epoch, byte[] payload, int off, int len, long nowNanos)
            throws DtlsException {
        if (epoch < readEpoch) {
            // A record from before the peer's epoch change: its flight is being resent, so ours may have
            // been lost. Nothing in it is parsed: epoch 0 is unauthenticated, and a forged one must not
            // be able to end a connection.
            peerRetransmitted(nowNanos);
            return;
        }
        if (type == ContentType.CHANGE_CIPHER_SPEC) {
            if (len != 1 || payload[off] != 1) {
                throw new DtlsException(AlertDescription.DECODE_ERROR, "malformed ChangeCipherSpec");
            }
            int before = readEpoch;
            onChangeCipherSpec(nowNanos);
            if (readEpoch != before) {
                flight.onPeerProgress(nowNanos);
            }
            return;
        }
        List<HandshakeFragment> fragments;
        try {
            fragments = HandshakeFragment.decodeAll(payload, off, len);
        } catch (DtlsException garbage) {
            // RFC 6347 4.1.2.7: an unparsable record is discarded, not fatal; only a whole message that does
            // not decode is the peer's error.
            malformedRecords++;
            return;
        }
        boolean sawOld = false;
        boolean sawNew = false;
        for (HandshakeFragment f : fragments) {
            Reassembler.Offer offer = reassembler.offer(f);
            sawOld |= offer == Reassembler.Offer.OLD_MESSAGE;
            sawNew |= offer == Reassembler.Offer.NEW_BYTES;
        }
        // Our timer keeps running until the peer's whole flight is in (we answer it, or the handshake
        // ends): if part of that flight is lost, our retransmission prompts the peer to resend it, so
        // recovery is bounded by our timer rather than by the peer's backed-off one.
        if (sawOld) {
            peerRetransmitted(nowNanos);
        }
        while (reassembler.hasMessage()) {
            onMessage(reassembler.poll(), nowNanos);
            messagesHandled++;
        }
        if (sawNew) {
            // Part of the peer's next flight is in; if we are still waiting for the rest, wait briefly.
            flight.onPeerProgress(nowNanos);
        }
    }

    /**
     * Whole messages from the peer the state machine has taken: it grows only when the handshake moves
     * forward, never for duplicates, retransmissions or fragments that do not complete a message.
     *
     * @return the count since the handshake started
     */
    public final long messagesHandled() {
        return messagesHandled;
    }

    /** {@return handshake records dropped because their fragment headers did not parse} */
    public final long malformedRecords() {
        return malformedRecords;
    }

    /**
     * This side's last flight as still buffered: non-empty once established only on the side that sent the
     * last flight (a full handshake's server, a resumed one's client), which must resend it when the peer
     * retransmits its own (RFC 6347 §4.2.4). The engine keeps just these datagrams and drops the handshaker.
     *
     * @return the planned datagrams, or an empty list
     */
    public final List<org.dtls4j.handshake.PlannedDatagram> lastFlight() {
        return flight.datagrams();
    }

    /** {@return the message_seq the peer's next new handshake message would carry} */
    public final int nextReceiveSeq() {
        return reassembler.nextExpectedSeq();
    }

    /** {@return when the retransmission timer next expires, or {@link Long#MAX_VALUE}} */
    public final long nextTimeoutNanos() {
        return flight.nextTimeoutNanos();
    }

    /**
     * Retransmits the current flight when its timer has expired.
     *
     * @param nowNanos the caller's clock
     * @return the retransmission to send, or {@link HandshakeStep.Failed} (handshake_failure) once the
     *     retransmission limit is reached; empty when the timer is not due
     */
    public final List<HandshakeStep> onTimeout(long nowNanos) {
        if (nowNanos < flight.nextTimeoutNanos()) {
            return List.of();
        }
        return run(() -> {
            switch (flight.onTimeout(nowNanos)) {
                case RESEND -> {
                    trace("timeout: retransmitting flight (" + flight.retransmissions() + "), next timer "
                            + flight.currentTimeoutNanos() / 1_000_000 + " ms");
                    step(new HandshakeStep.Send(flight.datagrams(), true));
                }
                case FAILED -> throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE,
                        "handshake timed out after " + flight.retransmissions() + " retransmissions");
                case NONE -> {
                }
            }
        });
    }

    /** The peer resent a flight we already answered: resend ours (the rule that lets a last flight recover). */
    final void peerRetransmitted(long nowNanos) {
        if (flight.onPeerRetransmission(nowNanos) == Flight.Outcome.RESEND) {
            trace("peer retransmitted its flight: resending ours");
            step(new HandshakeStep.Send(flight.datagrams(), true));
        }
    }

    /** A handshake message in {@code epoch}, numbered with this side's next message_seq. */
    final FlightMessage message(int epoch, HandshakeMessage m) {
        return FlightMessage.handshake(epoch, m.type(), nextSendSeq++, m.toByteArray());
    }

    /** Adds the flight's handshake messages to the transcript, then sends and buffers it. */
    final void sendFlight(List<FlightMessage> messages, boolean awaitsReply, long nowNanos) {
        for (FlightMessage m : messages) {
            if (m instanceof FlightMessage.Handshake h) {
                transcript.addSent(h.message());
            }
        }
        if (traces) {
            trace(FlightTrace.sending(messages));
        }
        // Answering means the peer's flight is complete: that ends our previous flight's timer and
        // gives the round-trip sample for the adaptive timer (RFC 6347 4.2.4).
        flight.onPeerFlight(nowNanos);
        step(new HandshakeStep.Send(flight.send(messages, awaitsReply, nowNanos), false));
    }

    /**
     * Decodes a whole message whose body does not depend on the suite: the hellos, HelloRequest. A
     * key-exchange message decoded this way is unexpected_message, as before a suite is chosen.
     */
    static HandshakeMessage decode(RawMessage m) throws DtlsException {
        return HandshakeMessages.decode(m.msgType(), m.body(), HandshakeMessages.Context.INITIAL);
    }

    /** Decodes a whole message once the hellos fixed the suite, whose key exchange shapes two bodies. */
    static HandshakeMessage decode(RawMessage m, Negotiated n) throws DtlsException {
        return HandshakeMessages.decode(m.msgType(), m.body(), n.decodeContext());
    }

    /**
     * Decodes a Certificate whose sender negotiated RawPublicKey (RFC 7250 §3): one SubjectPublicKeyInfo in
     * place of the certificate_list, so the body's form depends on the hellos, not on the message type.
     */
    static org.dtls4j.handshake.message.RawPublicKeyCertificate decodeRawPublicKeyCertificate(RawMessage m)
            throws DtlsException {
        return org.dtls4j.handshake.message.RawPublicKeyCertificate.decode(new org.dtls4j.wire.Reader(m.body()));
    }

    /**
     * Both directions' ciphers for the next epoch, derived from the master secret: carried by the states
     * between derivation and each side's ChangeCipherSpec, and installed one direction at a time.
     */
    record NextKeys(RecordCipher write, RecordCipher read) {
        @Override
        public String toString() {
            return "NextKeys";
        }
    }

    /** Derives both directions' ciphers from the master secret (RFC 5246 §6.3); installs nothing yet. */
    final NextKeys deriveKeys(Negotiated n, byte[] masterSecret, boolean isClient) {
        CipherSuite suite = n.suite();
        KeyBlock kb = KeySchedule.keyBlock(suite, masterSecret, n.clientRandom(), n.serverRandom());
        try {
            boolean etm = n.encryptThenMac();
            RecordCipher client = RecordCipher.forSuite(suite, kb, true, etm, settings.secureRandom());
            RecordCipher server = RecordCipher.forSuite(suite, kb, false, etm, settings.secureRandom());
            return isClient ? new NextKeys(client, server) : new NextKeys(server, client);
        } finally {
            kb.destroy();
        }
    }

    /** Starts writing epoch + 1 with the derived keys: called as this side sends its ChangeCipherSpec. */
    final int activateWriteKeys(NextKeys keys) {
        writeEpoch++;
        writeCipher = keys.write();
        step(new HandshakeStep.InstallWriteKeys(writeEpoch, keys.write()));
        return writeEpoch;
    }

    /** Starts reading epoch + 1: called when the peer's ChangeCipherSpec arrives. */
    final void activateReadKeys(NextKeys keys) {
        readEpoch++;
        step(new HandshakeStep.InstallReadKeys(readEpoch, keys.read()));
    }

    /** Adds a message to the transcript as soon as it is built: later messages of the flight depend on it. */
    final FlightMessage sent(FlightMessage m) {
        transcript.addSent(((FlightMessage.Handshake) m).message());
        return m;
    }

    /**
     * The master secret from a premaster secret, which is wiped: RFC 7627's extended master secret over
     * the transcript so far (through ClientKeyExchange) when negotiated, RFC 5246 §8.1's otherwise.
     */
    final byte[] masterSecret(Negotiated n, byte[] premaster) {
        try {
            return n.extendedMasterSecret()
                    ? KeySchedule.extendedMasterSecret(n.suite().prf(), premaster, transcript.snapshot())
                    : KeySchedule.masterSecret(n.suite().prf(), premaster, n.clientRandom(), n.serverRandom());
        } finally {
            java.util.Arrays.fill(premaster, (byte) 0);
        }
    }

    /** RFC 8422 §5.4: what a ServerKeyExchange signature covers. */
    static byte[] signedParams(Negotiated n, org.dtls4j.handshake.message.ServerEcdhParams params) {
        return org.dtls4j.handshake.message.EcdheServerKeyExchange.signedContent(
                org.dtls4j.handshake.message.Bytes.of(n.clientRandom()),
                org.dtls4j.handshake.message.Bytes.of(n.serverRandom()), params);
    }

    /**
     * A ChangeCipherSpec that overtook the handshake messages before it (records are lost and reordered,
     * RFC 6347 §4.1). It carries nothing and cannot be processed yet, so it is dropped (as OpenSSL does); the
     * peer's retransmitted flight brings it again in order, and keys still change only in the state that
     * expects it.
     */
    final void droppedEarlyChangeCipherSpec(String state) {
        trace("early ChangeCipherSpec while " + state + ": dropped");
    }

    /** Fails with unexpected_message: the one answer to a message the current state does not expect. */
    static DtlsException unexpected(String state, int msgType) {
        return new DtlsException(AlertDescription.UNEXPECTED_MESSAGE,
                org.dtls4j.handshake.message.HandshakeType.name(msgType) + " while " + state);
    }
}
