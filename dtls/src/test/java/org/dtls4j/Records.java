package org.dtls4j;

import java.io.ByteArrayOutputStream;
import org.dtls4j.handshake.HandshakeFragment;

/** Test helpers that build and take apart raw DTLS records (13-byte header, RFC 6347 §4.1). */
final class Records {
    private Records() {
    }

    static byte[] record(int type, int epoch, long seq, byte[] fragment) {
        byte[] r = new byte[13 + fragment.length];
        r[0] = (byte) type;
        r[1] = (byte) 0xfe;
        r[2] = (byte) 0xfd;
        r[3] = (byte) (epoch >>> 8);
        r[4] = (byte) epoch;
        for (int i = 0; i < 6; i++) {
            r[10 - i] = (byte) (seq >>> (8 * i));
        }
        r[11] = (byte) (fragment.length >>> 8);
        r[12] = (byte) fragment.length;
        System.arraycopy(fragment, 0, r, 13, fragment.length);
        return r;
    }

    static byte[] handshake(int msgType, int messageSeq, byte[] body) {
        return HandshakeFragment.whole(msgType, messageSeq, body).encode();
    }

    static int type(byte[] d, int at) {
        return d[at] & 0xff;
    }

    static int epoch(byte[] d, int at) {
        return (d[at + 3] & 0xff) << 8 | d[at + 4] & 0xff;
    }

    static long sequence(byte[] d, int at) {
        long seq = 0;
        for (int i = 5; i < 11; i++) {
            seq = seq << 8 | d[at + i] & 0xff;
        }
        return seq;
    }

    static int length(byte[] d, int at) {
        return 13 + ((d[at + 11] & 0xff) << 8 | d[at + 12] & 0xff);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
