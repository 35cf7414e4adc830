package org.dtls4j.handshake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.wire.ClientHelloPeek;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * One handshake fragment as carried in a DTLS handshake record: the 12-byte header of RFC 6347 §4.2.2
 * and the fragment's bytes.
 *
 * <pre>
 * struct {
 *   HandshakeType msg_type;    // u8
 *   uint24 length;             // of the whole message body
 *   uint16 message_seq;
 *   uint24 fragment_offset;
 *   uint24 fragment_length;
 *   select (HandshakeType) { ... } body;   // fragment_length bytes
 * } Handshake;
 * </pre>
 *
 * <p>The constructor enforces the structural invariant {@code fragmentOffset + fragmentLength <= length},
 * so every instance the {@link Reassembler} sees is self-consistent; consistency with <em>other</em>
 * fragments of the same message is the reassembler's job. {@code fragment_length} is not a separate
 * component: it is always {@code body.length}, which rules out a header that lies about the bytes present.
 */
public record HandshakeFragment(int msgType, int length, int messageSeq, int fragmentOffset, byte[] body) {
    /** Size of the DTLS handshake header. */
    public static final int HEADER_LENGTH = ClientHelloPeek.HANDSHAKE_HEADER_LENGTH;
    /** Largest value of a uint24 field. */
    public static final int MAX_U24 = 0xFF_FFFF;

    /**
     * Checks every field against its wire width.
     *
     * @param msgType the msg_type, 0 to 255
     * @param length the length of the whole message body, 0 to 2^24-1
     * @param messageSeq the message_seq, 0 to 65535
     * @param fragmentOffset where this fragment starts in the body, 0 to 2^24-1
     * @param body the fragment bytes, not null; offset plus length must not pass {@code length}
     */
    public HandshakeFragment {
        Objects.requireNonNull(body, "body");
        if ((msgType & ~0xFF) != 0 || (messageSeq & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("msg_type or message_seq out of range");
        }
        if (length < 0 || length > MAX_U24 || fragmentOffset < 0 || fragmentOffset > MAX_U24) {
            throw new IllegalArgumentException("length or fragment_offset out of range");
        }
        if ((long) fragmentOffset + body.length > length) {
            throw new IllegalArgumentException("fragment [" + fragmentOffset + ", +" + body.length
                    + ") exceeds message length " + length);
        }
    }

    /**
     * {@return a fragment that carries a whole message: offset 0, fragment_length = length}
     *
     * @param msgType the msg_type
     * @param messageSeq the message_seq
     * @param body the whole message body
     */
    public static HandshakeFragment whole(int msgType, int messageSeq, byte[] body) {
        return new HandshakeFragment(msgType, body.length, messageSeq, 0, body);
    }

    /** {@return the fragment_length field: the number of body bytes this fragment carries} */
    public int fragmentLength() {
        return body.length;
    }

    /** {@return true when this fragment holds the whole message} */
    public boolean isWholeMessage() {
        return fragmentOffset == 0 && body.length == length;
    }

    /**
     * Reads one fragment. Checks, before copying anything: {@code fragment_offset + fragment_length <=
     * length} and that {@code fragment_length} bytes are present.
     *
     * @param r the reader, at the fragment header
     * @return the fragment
     * @throws DtlsException decode_error for a malformed fragment
     */
    public static HandshakeFragment decode(Reader r) throws DtlsException {
        int type = r.u8();
        int length = r.u24();
        int seq = r.u16();
        int offset = r.u24();
        int fragLength = r.u24();
        if ((long) offset + fragLength > length) {
            throw DtlsException.decodeError("handshake fragment [" + offset + ", +" + fragLength
                    + ") exceeds message length " + length);
        }
        if (fragLength > r.remaining()) {
            throw DtlsException.decodeError("handshake fragment_length " + fragLength + " but "
                    + r.remaining() + " bytes present");
        }
        return new HandshakeFragment(type, length, seq, offset, r.bytes(fragLength));
    }

    /**
     * Reads every fragment of a handshake record's payload (RFC 6347 §4.2.3 lets one record hold
     * several). Any malformed fragment fails the whole record, which the caller then drops.
     *
     * @param payload the record's plaintext buffer
     * @param off where the payload starts
     * @param len the payload's length
     * @return the fragments, in order
     * @throws DtlsException decode_error for a malformed fragment
     */
    public static List<HandshakeFragment> decodeAll(byte[] payload, int off, int len) throws DtlsException {
        Reader r = new Reader(payload, off, len);
        if (!r.hasRemaining()) {
            throw DtlsException.decodeError("empty handshake record");
        }
        List<HandshakeFragment> out = new ArrayList<>(2);
        while (r.hasRemaining()) {
            out.add(decode(r));
        }
        return out;
    }

    /**
     * Writes the 12-byte header and the body.
     *
     * @param w where the fragment goes
     */
    public void encode(Writer w) {
        writeHeader(w, msgType, length, messageSeq, fragmentOffset, body.length);
        w.bytes(body);
    }

    /** {@return this fragment's wire bytes} */
    public byte[] encode() {
        Writer w = new Writer(HEADER_LENGTH + body.length);
        encode(w);
        return w.toByteArray();
    }

    /** Writes a handshake header; shared with the transcript, which hashes single-fragment headers. */
    static void writeHeader(Writer w, int type, int length, int seq, int offset, int fragLength) {
        w.u8(type).u24(length).u16(seq).u24(offset).u24(fragLength);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeFragment f && f.msgType == msgType && f.length == length
                && f.messageSeq == messageSeq && f.fragmentOffset == fragmentOffset
                && Arrays.equals(f.body, body);
    }

    @Override
    public int hashCode() {
        return ((msgType * 31 + length) * 31 + messageSeq) * 31 + fragmentOffset + 17 * Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return HandshakeType.name(msgType) + "(seq=" + messageSeq + ", length=" + length + ", fragment=["
                + fragmentOffset + ", " + (fragmentOffset + body.length) + "))";
    }
}
