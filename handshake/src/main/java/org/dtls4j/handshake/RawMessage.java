package org.dtls4j.handshake;

import java.util.Arrays;
import java.util.Objects;
import org.dtls4j.handshake.message.HandshakeType;

/**
 * A whole handshake message before body decoding: its type, its message_seq and its body bytes.
 * The reassembler releases these; the transcript hash and the fragmenter consume them.
 */
public record RawMessage(int msgType, int messageSeq, byte[] body) {
    /**
     * Checks every field against its wire width.
     *
     * @param msgType the msg_type, 0 to 255
     * @param messageSeq the message_seq, 0 to 65535
     * @param body the whole body, not null, at most 2^24-1 bytes; not copied
     */
    public RawMessage {
        Objects.requireNonNull(body, "body");
        if ((msgType & ~0xFF) != 0 || (messageSeq & ~0xFFFF) != 0 || body.length > HandshakeFragment.MAX_U24) {
            throw new IllegalArgumentException("msg_type, message_seq or length out of range");
        }
    }

    /** {@return the message as one fragment (offset 0, fragment_length = length)} */
    public HandshakeFragment asFragment() {
        return HandshakeFragment.whole(msgType, messageSeq, body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawMessage m && m.msgType == msgType && m.messageSeq == messageSeq
                && Arrays.equals(m.body, body);
    }

    @Override
    public int hashCode() {
        return (msgType * 31 + messageSeq) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return HandshakeType.name(msgType) + "(seq=" + messageSeq + ", " + body.length + " bytes)";
    }
}
