package org.dtls4j.handshake.machine;

import java.util.List;
import org.dtls4j.crypto.ExporterSecret;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.handshake.PlannedDatagram;
import org.dtls4j.handshake.session.AgreedConnectionId;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * One thing a {@link Handshaker} asks the connection that runs it to do. The handshaker owns no record
 * layer and calls nothing back: each call returns its steps in order, and the connection applies them
 * before it reads the next record, so keys change between records and never in the middle of one.
 */
public sealed interface HandshakeStep {
    /**
     * Protect and send these datagrams, in order: a new flight, or a retransmission of the buffered one
     * (whose records then get fresh sequence numbers, RFC 6347 §4.2.4).
     *
     * @param datagrams the planned datagrams; their records name their write epoch
     * @param retransmission true when the flight was sent before (a timer or the peer's retransmission)
     */
    record Send(List<PlannedDatagram> datagrams, boolean retransmission) implements HandshakeStep {
    }

    /**
     * Start reading {@code epoch} with {@code cipher}, which the record layer owns from now on: the peer's
     * ChangeCipherSpec arrived. Records of that epoch held before it are read next.
     *
     * @param epoch the new read epoch
     * @param cipher its opening cipher
     */
    record InstallReadKeys(int epoch, RecordCipher cipher) implements HandshakeStep {
    }

    /**
     * Start writing {@code epoch} with {@code cipher}, which the record layer owns from now on; a
     * {@link Send} after this step may carry records of the new epoch.
     *
     * @param epoch the new write epoch
     * @param cipher its sealing cipher
     */
    record InstallWriteKeys(int epoch, RecordCipher cipher) implements HandshakeStep {
    }

    /**
     * The hellos agreed RFC 9146 Connection IDs: records of epochs above 0 carry {@code cids.write()} from now
     * on, and the peer's carry {@code cids.read()}. Comes before the keys of epoch 1 are installed.
     *
     * @param cids what was agreed
     */
    record UseConnectionIds(AgreedConnectionId cids) implements HandshakeStep {
    }

    /**
     * The peer's record_size_limit (RFC 8449 §4), for the records this side writes from now on.
     *
     * @param limit the largest plaintext the peer accepts
     */
    record PeerRecordSizeLimit(int limit) implements HandshakeStep {
    }

    /**
     * A new master secret exists, for an NSS key log line ({@code CLIENT_RANDOM <random> <secret>}); the
     * arrays are the handshake's own, valid while the step is applied.
     *
     * @param clientRandom ClientHello.random
     * @param masterSecret the master secret
     */
    record KeyLog(byte[] clientRandom, byte[] masterSecret) implements HandshakeStep {
        @Override
        public String toString() {
            return "KeyLog[secret withheld]";
        }
    }

    /**
     * Send a warning alert in the current write epoch (no_renegotiation is the one the machines send).
     *
     * @param description the alert
     */
    record WarningAlert(AlertDescription description) implements HandshakeStep {
    }

    /**
     * Handshake events in words, for traces; never secrets.
     *
     * @param event the event
     */
    record Trace(String event) implements HandshakeStep {
    }

    /**
     * The handshake is complete: the peer's Finished verified, and the last flight (when this side sends
     * last) went out in an earlier step.
     *
     * @param proof the Finished check this completion rests on
     * @param result what the handshake agreed
     * @param exporterSecret what the RFC 5705 exporter needs; the connection keeps and destroys it
     */
    record Established(FinishedVerified proof, HandshakeResult result, ExporterSecret exporterSecret)
            implements HandshakeStep {
    }

    /**
     * The handshake failed: send the failure's fatal alert (unless the peer sent it) and end the connection.
     *
     * @param failure the failure, carrying its alert
     */
    record Failed(DtlsException failure) implements HandshakeStep {
    }
}
