package org.dtls4j.handshake.machine;

import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.ExporterSecret;
import org.dtls4j.crypto.KeyBlock;
import org.dtls4j.crypto.KeySchedule;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.handshake.Flight;
import org.dtls4j.handshake.FlightMessage;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.handshake.PlannedDatagram;
import org.dtls4j.handshake.PlannedRecord;
import org.dtls4j.handshake.RawMessage;
import org.dtls4j.handshake.Reassembler;
import org.dtls4j.handshake.TranscriptHash;
import org.dtls4j.handshake.message.HandshakeMessage;
import org.dtls4j.handshake.message.HandshakeMessages;
import org.dtls4j.record.ContentType;
import org.dtls4j.record.RecordLayer;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * One side of one DTLS 1.2 handshake: joins the peer's fragments into messages, hands them in order to
 * the side's state machine, and sends, times and retransmits this side's flights (RFC 6347 §4.2.4).
 * It owns no socket and reads no clock: records come in through {@link #onRecord}, time through the
 * {@code nowNanos} arguments, and datagrams leave through {@link HandshakeOutput}.
 *
 * <p>What a hostile peer can make it hold is bounded by the {@link org.dtls4j.handshake.ReassemblyLimits}
 * of the settings; everything else it keeps is this side's own flight.
 */
public abstract sealed class Handshaker permits ClientHandshaker, ServerHandshaker {
    /**
     * Room beyond the planned datagram size. The plan counts each record's largest overhead, so this is a
     * margin, not a need.
     */
    private static final int DATAGRAM_SLACK = 64;

    final HandshakeSettings settings;
    final RecordLayer records;
    final HandshakeOutput out;
    final Flight flight;
    final TranscriptHash transcript = new TranscriptHash();
    Reassembler reassembler;
    HandshakeMessages.Context decodeContext = HandshakeMessages.Context.INITIAL;
    int nextSendSeq;
    /** RFC 7250: the certificate types the hellos fixed for each side; X.509 unless both agreed otherwise. */
    int serverCertificateType = org.dtls4j.handshake.message.CertificateType.X509;
    int clientCertificateType = org.dtls4j.handshake.message.CertificateType.X509;
    /** The peer's raw public key once its RawPublicKey Certificate was accepted (or its session resumed), else null. */
    java.security.PublicKey peerRawPublicKey;
    /** Where a datagram of our flight is protected; grown to the largest one sent (see {@link #datagramFor}). */
    private byte[] datagram = new byte[0];
    private RecordCipher pendingWrite;
    private RecordCipher pendingRead;
    private long malformedRecords;
    private long messagesHandled;
    private ExporterSecret exporterSecret;

    Handshaker(HandshakeSettings settings, RecordLayer records, HandshakeOutput out, int firstReceiveSeq) {
        this.settings = settings;
        this.records = records;
        this.out = out;
        this.flight = new Flight(settings.retransmitConfig(), settings.maxDatagramSize(),
                records::maxRecordOverhead);
        this.reassembler = new Reassembler(settings.reassemblyLimits(), firstReceiveSeq);
    }

    /**
     * Starts the handshake: a client sends its ClientHello; a server waits.
     *
     * @param nowNanos the caller's clock
     * @throws DtlsException when the first flight cannot be built (a local configuration fault)
     */
    public abstract void start(long nowNanos) throws DtlsException;

    /** {@return true once the peer's Finished has verified (and, for the side that sends last, ours is sent)} */
    public abstract boolean isEstablished();

    /** {@return what the handshake agreed; only once {@link #isEstablished()}} */
    public abstract HandshakeResult result();

    /**
     * Hands over what the RFC 5705 exporter needs once the handshake is established, for the caller to keep
     * and destroy; a second call returns null, so one owner holds the copy of the master secret.
     *
     * @return the exporter secret, or null when it was already taken
     * @throws IllegalStateException before the handshake is established
     */
    public final ExporterSecret takeExporterSecret() {
        if (!isEstablished()) {
            throw new IllegalStateException("handshake not complete");
        }
        ExporterSecret s = exporterSecret;
        exporterSecret = null;
        return s;
    }

    /** Keeps the exporter's inputs as the handshake completes (RFC 5705 §4 exports from its master secret). */
    final void keepExporterSecret(Negotiated n, byte[] masterSecret) {
        exporterSecret = new ExporterSecret(n.suite().prf(), masterSecret, n.clientRandom(), n.serverRandom());
    }

    /**
     * The connection ended in a fatal alert, sent or received (RFC 5246 §7.2.2): the session this handshake
     * resumed or established, or was offering to resume, becomes non-resumable, and a server drops it from
     * its cache. The engine calls it once, wherever the connection fails, before or after establishment.
     */
    public abstract void invalidateSession();

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
     * @throws DtlsException when the handshake fails; the connection sends its alert
     */
    public final void onRecord(int type, int epoch, byte[] payload, int off, int len, long nowNanos)
            throws DtlsException {
        if (type != ContentType.HANDSHAKE && type != ContentType.CHANGE_CIPHER_SPEC) {
            throw new IllegalArgumentException("not a handshake record: " + type);
        }
        if (epoch < records.readEpoch()) {
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
            onChangeCipherSpec(nowNanos);
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
        for (HandshakeFragment f : fragments) {
            sawOld |= reassembler.offer(f) == Reassembler.Offer.OLD_MESSAGE;
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

    /** {@return when the retransmission timer next expires, or {@link Long#MAX_VALUE}} */
    public final long nextTimeoutNanos() {
        return flight.nextTimeoutNanos();
    }

    /**
     * Retransmits the current flight when its timer has expired.
     *
     * @param nowNanos the caller's clock
     * @throws DtlsException handshake_failure once the retransmission limit is reached
     */
    public final void onTimeout(long nowNanos) throws DtlsException {
        if (nowNanos < flight.nextTimeoutNanos()) {
            return;
        }
        switch (flight.onTimeout(nowNanos)) {
            case RESEND -> {
                out.trace("timeout: retransmitting flight (" + flight.retransmissions() + "), next timer "
                        + flight.currentTimeoutNanos() / 1_000_000 + " ms");
                emit(flight.datagrams());
            }
            case FAILED -> throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE,
                    "handshake timed out after " + flight.retransmissions() + " retransmissions");
            case NONE -> {
            }
        }
    }

    /** The peer resent a flight we already answered: resend ours (the rule that lets a last flight recover). */
    final void peerRetransmitted(long nowNanos) throws DtlsException {
        if (flight.onPeerRetransmission(nowNanos) == Flight.Outcome.RESEND) {
            out.trace("peer retransmitted its flight: resending ours");
            emit(flight.datagrams());
        }
    }

    /** A handshake message in {@code epoch}, numbered with this side's next message_seq. */
    final FlightMessage message(int epoch, HandshakeMessage m) {
        return FlightMessage.handshake(epoch, m.type(), nextSendSeq++, m.toByteArray());
    }

    /** Adds the flight's handshake messages to the transcript, then sends and buffers it. */
    final void sendFlight(List<FlightMessage> messages, boolean awaitsReply, long nowNanos) throws DtlsException {
        for (FlightMessage m : messages) {
            if (m instanceof FlightMessage.Handshake h) {
                transcript.addSent(h.message());
            }
        }
        out.trace("sending flight: " + describe(messages));
        // Answering means the peer's flight is complete: that ends our previous flight's timer and
        // gives the round-trip sample for the adaptive timer (RFC 6347 4.2.4).
        flight.onPeerFlight(nowNanos);
        emit(flight.send(messages, awaitsReply, nowNanos));
    }

    private void emit(List<PlannedDatagram> plan) throws DtlsException {
        for (PlannedDatagram d : plan) {
            byte[] buf = datagramFor(d.wireSize());
            int pos = 0;
            for (PlannedRecord r : d.records()) {
                byte[] p = r.payload();
                pos += records.protect(r.epoch(), r.contentType(), p, 0, p.length, buf, pos);
            }
            out.sendDatagram(buf, 0, pos);
        }
    }

    /**
     * The datagram buffer with room for {@code wireSize} bytes, the planned size (which already counts each
     * record's largest overhead), plus {@link #DATAGRAM_SLACK}. A PSK handshake's datagrams are a few hundred
     * bytes, so the buffer starts at what is needed, rounded up to 256 so a slightly longer datagram later
     * (the ClientHello with its cookie) fits, rather than at the path MTU.
     */
    private byte[] datagramFor(int wireSize) {
        int need = wireSize + DATAGRAM_SLACK;
        if (datagram.length < need) {
            datagram = new byte[(need + 255) & ~255];
        }
        return datagram;
    }

    private static String describe(List<FlightMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (FlightMessage m : messages) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            if (m instanceof FlightMessage.Handshake h) {
                sb.append(org.dtls4j.handshake.HandshakeType.name(h.message().msgType()));
            } else {
                sb.append("change_cipher_spec");
            }
        }
        return sb.toString();
    }

    /** Decodes a whole message in the current context (the negotiated key exchange shapes two bodies). */
    final HandshakeMessage decode(RawMessage m) throws DtlsException {
        return HandshakeMessages.decode(m.msgType(), m.body(), decodeContext);
    }

    /**
     * Decodes a Certificate whose sender negotiated RawPublicKey (RFC 7250 §3): one SubjectPublicKeyInfo in
     * place of the certificate_list, so the body's form depends on the hellos, not on the message type.
     */
    static org.dtls4j.handshake.message.RawPublicKeyCertificate decodeRawPublicKeyCertificate(RawMessage m)
            throws DtlsException {
        return org.dtls4j.handshake.message.RawPublicKeyCertificate.decode(new org.dtls4j.wire.Reader(m.body()));
    }

    /** The key the peer signs with: its raw public key when it sent one, else its leaf certificate's. */
    final java.security.PublicKey peerKey(List<java.security.cert.X509Certificate> chain) {
        return peerRawPublicKey != null ? peerRawPublicKey : chain.get(0).getPublicKey();
    }

    /** Derives both directions' ciphers from the master secret (RFC 5246 §6.3); installs nothing yet. */
    final void deriveKeys(Negotiated n, byte[] masterSecret, boolean isClient) {
        CipherSuite suite = n.suite();
        KeyBlock kb = KeySchedule.keyBlock(suite, masterSecret, n.clientRandom(), n.serverRandom());
        try {
            boolean etm = n.encryptThenMac();
            RecordCipher client = RecordCipher.forSuite(suite, kb, true, etm, settings.secureRandom());
            RecordCipher server = RecordCipher.forSuite(suite, kb, false, etm, settings.secureRandom());
            pendingWrite = isClient ? client : server;
            pendingRead = isClient ? server : client;
        } finally {
            kb.destroy();
        }
    }

    /** Starts writing epoch + 1 with the derived keys: called as this side sends its ChangeCipherSpec. */
    final int activateWriteKeys() {
        int epoch = records.writeEpoch() + 1;
        records.installWriteEpoch(epoch, pendingWrite);
        pendingWrite = null;
        return epoch;
    }

    /** Starts reading epoch + 1: called when the peer's ChangeCipherSpec arrives. */
    final void activateReadKeys(long nowNanos) {
        records.installReadEpoch(records.readEpoch() + 1, pendingRead, nowNanos);
        pendingRead = null;
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
        out.trace("early ChangeCipherSpec while " + state + ": dropped");
    }

    /** Fails with unexpected_message: the one answer to a message the current state does not expect. */
    static DtlsException unexpected(String state, int msgType) {
        return new DtlsException(AlertDescription.UNEXPECTED_MESSAGE,
                org.dtls4j.handshake.HandshakeType.name(msgType) + " while " + state);
    }
}
