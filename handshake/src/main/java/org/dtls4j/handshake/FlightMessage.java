package org.dtls4j.handshake;

import java.util.Objects;
import org.dtls4j.record.ContentType;

/**
 * One item of an outgoing flight, in sending order: a handshake message or a ChangeCipherSpec, each
 * with the epoch whose keys protect it. A flight may change epoch after its ChangeCipherSpec
 * (RFC 6347 §4.2.4: flights 5 and 6 end with ChangeCipherSpec, Finished).
 */
public sealed interface FlightMessage permits FlightMessage.Handshake, FlightMessage.ChangeCipherSpec {

    /** {@return the epoch the record carrying this item is sent in} */
    int epoch();

    /** {@return the record content type of this item} */
    int contentType();

    /** A handshake message sent in {@code epoch}. */
    record Handshake(int epoch, RawMessage message) implements FlightMessage {
        /**
         * Checks the epoch.
         *
         * @param epoch the epoch whose keys protect the record, 0 to 65535
         * @param message the whole message, not null
         */
        public Handshake {
            Objects.requireNonNull(message, "message");
            checkEpoch(epoch);
        }

        @Override
        public int contentType() {
            return ContentType.HANDSHAKE;
        }
    }

    /** A ChangeCipherSpec record (RFC 5246 §7.1: one byte, value 1), sent in the epoch it closes. */
    record ChangeCipherSpec(int epoch) implements FlightMessage {
        /** The record payload of a ChangeCipherSpec. */
        public static final int PAYLOAD = 1;

        /**
         * Checks the epoch.
         *
         * @param epoch the epoch whose keys protect the record, 0 to 65535
         */
        public ChangeCipherSpec {
            checkEpoch(epoch);
        }

        @Override
        public int contentType() {
            return ContentType.CHANGE_CIPHER_SPEC;
        }
    }

    /**
     * Shorthand for a handshake message of a flight.
     *
     * @param epoch the epoch it is sent in
     * @param msgType the msg_type
     * @param messageSeq the message_seq
     * @param body the message body
     * @return the flight message
     */
    static FlightMessage handshake(int epoch, int msgType, int messageSeq, byte[] body) {
        return new Handshake(epoch, new RawMessage(msgType, messageSeq, body));
    }

    private static void checkEpoch(int epoch) {
        if ((epoch & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("epoch " + epoch);
        }
    }
}
