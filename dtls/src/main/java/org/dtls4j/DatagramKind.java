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
    STUN,
    ZRTP,
    DTLS,
    TURN_CHANNEL,
    RTP_RTCP,
    /** An empty datagram or a first byte RFC 7983 assigns to nobody: to be dropped. */
    UNKNOWN;

    /** The kind of a datagram whose first byte is {@code firstByte} (0..255). */
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

    /** The kind of the datagram {@code buf[off..off+len)}; an empty one is {@link #UNKNOWN}. */
    public static DatagramKind classify(byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        return len == 0 ? UNKNOWN : of(buf[off]);
    }
}
