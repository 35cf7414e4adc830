package org.dtls4j.interop;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Just enough DTLS 1.2 record parsing (RFC 6347 §4.1, §4.2.2) to pick datagrams out on the test network. */
final class Wire {
    static final int CHANGE_CIPHER_SPEC = 20;
    static final int HANDSHAKE = 22;
    static final int SERVER_HELLO = 2;
    static final int CLIENT_KEY_EXCHANGE = 16;
    private static final int RECORD_HEADER = 13;

    private Wire() {
    }

    /** One record header: content type and epoch, and for an epoch-0 handshake record its msg_type (else -1). */
    record RecordInfo(int type, int epoch, int handshakeType) {
    }

    /** The records of a datagram, as far as they frame; a test network's datagrams are our own or BC's. */
    static List<RecordInfo> records(byte[] datagram) {
        List<RecordInfo> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(datagram);
        while (b.remaining() >= RECORD_HEADER) {
            int type = b.get() & 0xff;
            b.getShort();
            int epoch = b.getShort() & 0xffff;
            b.position(b.position() + 6);
            int length = b.getShort() & 0xffff;
            if (length > b.remaining()) {
                break;
            }
            int hsType = type == HANDSHAKE && epoch == 0 && length > 0 ? datagram[b.position()] & 0xff : -1;
            out.add(new RecordInfo(type, epoch, hsType));
            b.position(b.position() + length);
        }
        return out;
    }

    static boolean carriesHandshake(byte[] datagram, int handshakeType) {
        return records(datagram).stream().anyMatch(r -> r.handshakeType() == handshakeType);
    }

    static boolean carriesChangeCipherSpec(byte[] datagram) {
        return records(datagram).stream().anyMatch(r -> r.type() == CHANGE_CIPHER_SPEC);
    }

    /** A filter that drops the first datagram carrying {@code handshakeType} and counts what it dropped. */
    static Predicate<byte[]> dropFirst(int handshakeType, AtomicInteger dropped) {
        return d -> carriesHandshake(d, handshakeType) && dropped.compareAndSet(0, 1);
    }
}
