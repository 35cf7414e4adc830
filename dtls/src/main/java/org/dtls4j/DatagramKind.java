package org.dtls4j;

/**
 * What protocol a datagram on a shared WebRTC port carries, told by its first byte (RFC 7983 §7, updating
 * RFC 5764 §5.1.2), so DTLS, STUN, TURN channel data, ZRTP and SRTP/SRTCP can share one UDP socket:
 * <pre>
 *   0..3     STUN            16..19   ZRTP            20..63   DTLS
 *   64..79   TURN channel    128..191 RTP/RTCP        else     unknown (drop)
 * </pre>
 */
public enum DatagramKind {
    /** First byte 0..3: STUN, for ICE connectivity checks (RFC 8489). */
    STUN,
    /** First byte 16..19: ZRTP (RFC 6189). */
    ZRTP,
    /** First byte 20..63: a DTLS record, the only kind a DTLS connection should be handed. */
    DTLS,
    /** First byte 64..79: TURN ChannelData (RFC 8656 §12). */
    TURN_CHANNEL,
    /** First byte 128..191: RTP or RTCP (RFC 3550), protected with SRTP. */
    RTP_RTCP,
    /** An empty datagram or a first byte RFC 7983 assigns to nobody: to be dropped. */
    UNKNOWN;

    /**
     * Tells a datagram's kind from its first byte.
     *
     * @param firstByte the first byte; only its low 8 bits count
     * @return the kind, {@link #UNKNOWN} for a range RFC 7983 assigns to nobody
     */
    public static DatagramKind of(int firstByte) {
        int b = firstByte & 0xff;
        if (b <= 3) {
            return STUN;
        }
        if (b >= 16 && b <= 19) {
            return ZRTP;
        }
        if (b >= 20 && b <= 63) {
            return DTLS;
        }
        if (b >= 64 && b <= 79) {
            return TURN_CHANNEL;
        }
        if (b >= 128 && b <= 191) {
            return RTP_RTCP;
        }
        return UNKNOWN;
    }

    /**
     * Tells the kind of the datagram {@code buf[off..off+len)}.
     *
     * @param buf the buffer holding the datagram
     * @param off where the datagram starts
     * @param len the datagram length; 0 gives {@link #UNKNOWN}
     * @return the kind
     * @throws IndexOutOfBoundsException when the range lies outside {@code buf}
     */
    public static DatagramKind classify(byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        return len == 0 ? UNKNOWN : of(buf[off]);
    }
}
