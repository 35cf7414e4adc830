package org.dtls4j.cookie;

import java.util.Arrays;

import org.dtls4j.wire.ClientHelloPeek;
import org.dtls4j.wire.RecordPeek;
import org.dtls4j.wire.Writer;

/** A ClientHello datagram assembled field by field, for tests. */
record TestHello(int recordVersion, int epoch, long recordSeq, int messageSeq, int clientVersion, byte[] random,
                 byte[] sessionId, byte[] cookie, int[] suites, byte[] compression, byte[] extensions) {

    static final int BODY_AT = RecordPeek.HEADER_LENGTH + ClientHelloPeek.HANDSHAKE_HEADER_LENGTH;

    /** A typical small DTLS 1.2 ClientHello with no cookie. */
    static TestHello typical() {
        byte[] random = new byte[32];
        for (int i = 0; i < 32; i++) {
            random[i] = (byte) (i * 7 + 1);
        }
        // supported_groups(x25519, secp256r1), ec_point_formats(uncompressed),
        // signature_algorithms(ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, rsa_pss_rsae_sha256),
        // extended_master_secret, renegotiation_info
        byte[] ext = org.dtls4j.wire.Hex.decode("000a00060004001d0017" + "000b00020100"
                + "000d00080006040305030804" + "00170000" + "ff01000100");
        return new TestHello(0xfefd, 0, 0, 0, 0xfefd, random, new byte[0], new byte[0],
                new int[] {0xc02b, 0xc02f, 0xc0ae, 0x00a8}, new byte[] {0}, ext);
    }

    TestHello withCookie(byte[] c) {
        return new TestHello(recordVersion, epoch, recordSeq, messageSeq, clientVersion, random, sessionId, c,
                suites, compression, extensions);
    }

    TestHello withSequence(long seq, int msgSeq) {
        return new TestHello(recordVersion, epoch, seq, msgSeq, clientVersion, random, sessionId, cookie,
                suites, compression, extensions);
    }

    TestHello withRecord(int version, int newEpoch) {
        return new TestHello(version, newEpoch, recordSeq, messageSeq, clientVersion, random, sessionId, cookie,
                suites, compression, extensions);
    }

    TestHello withRandom(byte[] r) {
        return new TestHello(recordVersion, epoch, recordSeq, messageSeq, clientVersion, r, sessionId, cookie,
                suites, compression, extensions);
    }

    TestHello withSuites(int... s) {
        return new TestHello(recordVersion, epoch, recordSeq, messageSeq, clientVersion, random, sessionId, cookie,
                s, compression, extensions);
    }

    TestHello withExtensions(byte[] e) {
        return new TestHello(recordVersion, epoch, recordSeq, messageSeq, clientVersion, random, sessionId, cookie,
                suites, compression, e);
    }

    /** The ClientHello body (no headers); {@code extensions == null} leaves the block out. */
    byte[] body() {
        Writer w = new Writer();
        w.u16(clientVersion).bytes(random).opaque8(sessionId).opaque8(cookie);
        int m = w.beginLength(2);
        for (int s : suites) {
            w.u16(s);
        }
        w.endLength(m);
        w.opaque8(compression);
        if (extensions != null) {
            w.opaque16(extensions);
        }
        return w.toByteArray();
    }

    /** The whole handshake message: 12-byte header, then the body, unfragmented. */
    byte[] message() {
        byte[] body = body();
        return new Writer().u8(1).u24(body.length).u16(messageSeq).u24(0).u24(body.length).bytes(body).toByteArray();
    }

    /** One record holding the whole ClientHello. */
    byte[] datagram() {
        return record(message());
    }

    byte[] record(byte[] fragment) {
        return new Writer().u8(22).u16(recordVersion).u16(epoch).u48(recordSeq).opaque16(fragment).toByteArray();
    }

    /** A record with the first {@code fragmentLength} body bytes from {@code offset}, as a handshake fragment. */
    byte[] fragmentDatagram(int offset, int fragmentLength) {
        byte[] body = body();
        byte[] part = Arrays.copyOfRange(body, offset, offset + fragmentLength);
        return record(new Writer().u8(1).u24(body.length).u16(messageSeq).u24(offset).u24(fragmentLength)
                .bytes(part).toByteArray());
    }

    /** Where the cookie bytes start in {@link #datagram()}. */
    int cookieAt() {
        return BODY_AT + 2 + 32 + 1 + sessionId.length + 1;
    }
}
