package org.dtls4j.testing;

import java.util.OptionalInt;

/**
 * How {@link ScriptedPeer#send(org.dtls4j.handshake.message.HandshakeMessage, Send)} puts one
 * handshake message on the wire. Start from {@link #normally()} and change what the test is about:
 * <pre>{@code
 * peer.send(peer.finished(), Send.normally().inEpoch(0));          // Finished in plaintext
 * peer.send(cke, Send.normally().fragmentsOf(20).duplicated());    // 20-byte fragments, each sent twice
 * peer.send(cke, Send.normally().withMessageSeq(9));               // a gap in message_seq
 * }</pre>
 *
 * @param epoch the record epoch to use, empty for the peer's current write epoch; an epoch without
 *        keys sends the record unprotected
 * @param fragmentSize the largest fragment body, 0 for the whole message in one fragment
 * @param duplicate whether every record is sent twice
 * @param messageSeq the message_seq to put in the header, empty for the next one (which then advances)
 * @param transcript whether the message enters the peer's transcript (RFC 5246 §7.4.9) as sent
 */
public record Send(OptionalInt epoch, int fragmentSize, boolean duplicate, OptionalInt messageSeq, boolean transcript) {
    /**
     * Checks the fragment size.
     *
     * @param epoch the record epoch to use, empty for the peer's current write epoch
     * @param fragmentSize the largest fragment body, 0 for one fragment; not negative
     * @param duplicate whether every record is sent twice
     * @param messageSeq the message_seq to put in the header, empty for the next one
     * @param transcript whether the message enters the peer's transcript
     * @throws IllegalArgumentException when {@code fragmentSize} is negative
     */
    public Send {
        if (fragmentSize < 0) {
            throw new IllegalArgumentException("fragment size " + fragmentSize);
        }
    }

    /** {@return the current write epoch, one fragment, once, the next message_seq, into the transcript} */
    public static Send normally() {
        return new Send(OptionalInt.empty(), 0, false, OptionalInt.empty(), true);
    }

    /**
     * Sends in a given epoch rather than the current one, e.g. a Finished in epoch 0 (plaintext) to
     * check that the other side refuses it.
     *
     * @param e the record epoch; one the peer has no keys for sends the record unprotected
     * @return a copy with the epoch set
     */
    public Send inEpoch(int e) {
        return new Send(OptionalInt.of(e), fragmentSize, duplicate, messageSeq, transcript);
    }

    /**
     * Splits the message into fragments (RFC 6347 §4.2.3), to exercise the other side's reassembly.
     *
     * @param bytes the largest fragment body in bytes, 0 for the whole message in one fragment
     * @return a copy with the fragment size set
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public Send fragmentsOf(int bytes) {
        return new Send(epoch, bytes, duplicate, messageSeq, transcript);
    }

    /** {@return a copy that sends every record twice, as a duplicating network would} */
    public Send duplicated() {
        return new Send(epoch, fragmentSize, true, messageSeq, transcript);
    }

    /**
     * Puts a chosen message_seq in the handshake header (RFC 6347 §4.2.2), e.g. to leave a gap or
     * replay an old one; the peer's own counter does not advance.
     *
     * @param seq the message_seq, 0 to 65535
     * @return a copy with the message_seq set
     */
    public Send withMessageSeq(int seq) {
        return new Send(epoch, fragmentSize, duplicate, OptionalInt.of(seq), transcript);
    }

    /** {@return a copy that keeps the message out of the transcript (as if the peer never meant to send it)} */
    public Send outsideTranscript() {
        return new Send(epoch, fragmentSize, duplicate, messageSeq, false);
    }
}
