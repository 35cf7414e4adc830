package org.dtls4j;

import java.util.List;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.handshake.PlannedDatagram;
import org.dtls4j.handshake.config.RetransmitConfig;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * What an established connection keeps of its handshake instead of the whole handshaker (transcript,
 * reassembler, ClientHello, state machine): the last flight's datagrams on the side that sent it, and the
 * message_seq the peer's next message would carry. It answers the handshake records that still come:
 *
 * <ul>
 *   <li>a record of an older epoch, or a handshake message already taken: the peer lost our last flight and
 *   resends its own, so ours is resent (RFC 6347 §4.2.4), no more often than the flight's own rule allows;
 *   <li>a new ClientHello to a server or HelloRequest to a client: renegotiation, refused with a
 *   no_renegotiation warning and the connection goes on (RFC 5246 §7.2.2), as the state machines do;
 *   <li>any other new message: unexpected_message; a ChangeCipherSpec of the current epoch: ignored.
 * </ul>
 *
 * <p>A new message arriving in fragments is dropped (the reassembler is gone): the state machines would
 * only have refused it. The last flight is let go once the peer's first application record proves it has
 * our Finished, or on the first handshake record or timer call after the record layer's previous-epoch
 * retention (the same horizon for which the peer's older-epoch records are still readable). It sets no timer
 * of its own: an established connection asks for none, so a server's timer queue holds no entry for it.
 */
final class AfterHandshake {
    /** What to do with a handshake record after establishment. */
    enum Action {
        /** Nothing: dropped or ignored. */
        NONE,
        /** Resend the kept last flight. */
        RESEND,
        /** Send a no_renegotiation warning. */
        REFUSE_RENEGOTIATION
    }

    private final boolean client;
    private final RetransmitConfig retransmit;
    private List<PlannedDatagram> lastFlight;
    private long keepUntil;
    private long lastSendAt;
    private int resends;
    private int nextPeerSeq;
    private long malformed;

    /**
     * @param client this side's role
     * @param lastFlight the flight to keep, empty when this side did not send the last one
     * @param nextPeerSeq the message_seq of the peer's next new message
     * @param retransmit the resend throttle (minimum interval, most resends)
     * @param keepNanos how long the flight is kept at most
     * @param nowNanos when the handshake completed (and the last flight, if ours, went out)
     */
    AfterHandshake(boolean client, List<PlannedDatagram> lastFlight, int nextPeerSeq, RetransmitConfig retransmit,
                   long keepNanos, long nowNanos) {
        this.client = client;
        this.retransmit = retransmit;
        this.lastFlight = lastFlight.isEmpty() ? null : List.copyOf(lastFlight);
        this.nextPeerSeq = nextPeerSeq;
        this.keepUntil = nowNanos + keepNanos;
        this.lastSendAt = nowNanos;
    }

    /** {@return true while the last flight is kept} */
    boolean keepsFlight() {
        return lastFlight != null;
    }

    /** {@return the kept last flight; only while {@link #keepsFlight()}} */
    List<PlannedDatagram> lastFlight() {
        return lastFlight;
    }

    /** Lets the last flight go: the peer has our Finished, or the keep time passed. */
    void releaseFlight() {
        lastFlight = null;
    }

    /** {@return true when the keep time has passed} */
    boolean flightExpired(long nowNanos) {
        return lastFlight != null && nowNanos - keepUntil >= 0;
    }

    /** {@return the message_seq the peer's next new handshake message would carry} */
    int nextPeerSeq() {
        return nextPeerSeq;
    }

    /** {@return handshake records whose fragment headers did not parse, since establishment} */
    long malformedRecords() {
        return malformed;
    }

    /**
     * Decides what a handshake or ChangeCipherSpec record that arrived after establishment asks for.
     *
     * @param type the record's content type
     * @param epoch its epoch
     * @param readEpoch the current read epoch
     * @param payload its plaintext, valid only during the call
     * @param off where the plaintext starts
     * @param len its length
     * @param nowNanos the caller's clock
     * @return the action
     * @throws DtlsException unexpected_message for a new message that is not a renegotiation attempt
     */
    Action onRecord(int type, int epoch, int readEpoch, byte[] payload, int off, int len, long nowNanos)
            throws DtlsException {
        if (epoch < readEpoch) {
            // Not parsed: epoch 0 is unauthenticated, and a forged record must not end a keyed connection.
            return resend(nowNanos);
        }
        if (type == ContentType.CHANGE_CIPHER_SPEC) {
            return Action.NONE;
        }
        List<HandshakeFragment> fragments;
        try {
            fragments = HandshakeFragment.decodeAll(payload, off, len);
        } catch (DtlsException garbage) {
            // RFC 6347 §4.1.2.7: an unparsable record is discarded, not fatal.
            malformed++;
            return Action.NONE;
        }
        Action action = Action.NONE;
        for (HandshakeFragment f : fragments) {
            if (f.messageSeq() < nextPeerSeq) {
                action = max(action, resend(nowNanos));
            } else if (f.messageSeq() == nextPeerSeq && f.fragmentOffset() == 0 && f.body().length == f.length()) {
                nextPeerSeq++;
                action = max(action, newMessage(f));
            }
        }
        return action;
    }

    private Action newMessage(HandshakeFragment f) throws DtlsException {
        int refusable = client ? HandshakeType.HELLO_REQUEST : HandshakeType.CLIENT_HELLO;
        if (f.msgType() != refusable) {
            throw new DtlsException(AlertDescription.UNEXPECTED_MESSAGE,
                    "unexpected handshake message " + f.msgType() + " after the handshake");
        }
        if (client && f.length() != 0) {
            throw new DtlsException(AlertDescription.DECODE_ERROR, "HelloRequest with a body");
        }
        return Action.REFUSE_RENEGOTIATION;
    }

    private Action resend(long nowNanos) {
        if (lastFlight == null || nowNanos - lastSendAt < retransmit.minResendIntervalNanos()
                || resends >= retransmit.maxRetransmissions()) {
            return Action.NONE;
        }
        resends++;
        lastSendAt = nowNanos;
        return Action.RESEND;
    }

    private static Action max(Action a, Action b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
