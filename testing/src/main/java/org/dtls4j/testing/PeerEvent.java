package org.dtls4j.testing;

import java.util.Arrays;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.handshake.message.HandshakeMessage;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;

/**
 * What a {@link ScriptedPeer} read back from the other side, one event per record (or per whole
 * handshake message), in arrival order; {@link Silence} when nothing came within the timeout.
 */
public sealed interface PeerEvent {

    /**
     * {@return a short name for tables and abstract outputs, e.g. {@code SERVER_HELLO} or
     * {@code ALERT(fatal,unexpected_message)}}
     */
    String symbol();

    /**
     * A whole handshake message, reassembled from its fragments.
     *
     * @param epoch the epoch of the record that completed it
     * @param messageSeq its message_seq
     * @param message the decoded body
     * @param duplicate true when a message with this message_seq was already received in this handshake
     *        (a retransmission); duplicates are not added to the transcript
     * @param finishedVerified for Finished: whether verify_data matched what the transcript of what was
     *        really exchanged gives; false for every other message
     */
    record Handshake(int epoch, int messageSeq, HandshakeMessage message, boolean duplicate, boolean finishedVerified)
            implements PeerEvent {
        @Override
        public String symbol() {
            return HandshakeType.name(message.type()).toUpperCase();
        }
    }

    /**
     * A handshake message of a type or shape the codecs refuse (with the decoder's reason).
     *
     * @param msgType the handshake type byte
     * @param reason why it did not decode
     */
    record MalformedHandshake(int epoch, int msgType, String reason) implements PeerEvent {
        @Override
        public String symbol() {
            return "MALFORMED_HANDSHAKE";
        }
    }

    /** A ChangeCipherSpec record; the peer's read epoch moves on after it. */
    record ChangeCipherSpec(int epoch) implements PeerEvent {
        @Override
        public String symbol() {
            return "CCS";
        }
    }

    /** An alert record. */
    record Alert(int epoch, AlertLevel level, AlertDescription description) implements PeerEvent {
        @Override
        public String symbol() {
            return "ALERT(" + (level == AlertLevel.FATAL ? "fatal" : "warning") + "," + description.name() + ")";
        }
    }

    /** An application-data record, opened. */
    record ApplicationData(int epoch, byte[] data) implements PeerEvent {
        /**
         * Copies the data.
         *
         * @param epoch the epoch of the record
         * @param data the opened plaintext, not null
         */
        public ApplicationData {
            data = data.clone();
        }

        /** {@return a copy of the opened plaintext} */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public String symbol() {
            return "APPLICATION_DATA";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ApplicationData a && a.epoch == epoch && Arrays.equals(a.data, data);
        }

        @Override
        public int hashCode() {
            return epoch * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "ApplicationData[epoch=" + epoch + ", " + data.length + " bytes]";
        }
    }

    /**
     * A record the peer could not read: an epoch it has no keys for, a failed AEAD open, a malformed
     * datagram, or an unknown content type.
     */
    record Unreadable(int epoch, int contentType, String reason) implements PeerEvent {
        @Override
        public String symbol() {
            return "UNREADABLE(" + ContentType.name(contentType) + ")";
        }
    }

    /** Nothing arrived within the timeout. */
    record Silence() implements PeerEvent {
        @Override
        public String symbol() {
            return "TIMEOUT";
        }
    }
}
