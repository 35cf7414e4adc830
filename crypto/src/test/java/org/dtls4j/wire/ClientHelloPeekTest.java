package org.dtls4j.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.dtls4j.wire.ClientHelloPeek.Flaw;
import org.junit.jupiter.api.Test;

/** The ClientHello peek: fields found at their extremes, every flaw named, every cut refused, nothing thrown. */
class ClientHelloPeekTest {
    private final ClientHelloPeek peek = new ClientHelloPeek();

    /** A ClientHello assembled field by field; {@code extensions == null} leaves the block out. */
    record Hello(int recordVersion, int epoch, long recordSeq, int messageSeq, byte[] sessionId, byte[] cookie,
                 int suitesLength, int compressionLength, byte[] extensions) {
        static Hello typical() {
            return new Hello(RecordPeek.DTLS_1_2, 0, 7, 1, new byte[0], new byte[0], 4, 1,
                    Hex.decode("00170000ff01000100"));
        }

        Hello sessionId(int n) {
            return new Hello(recordVersion, epoch, recordSeq, messageSeq, new byte[n], cookie, suitesLength,
                    compressionLength, extensions);
        }

        Hello cookie(int n) {
            byte[] c = new byte[n];
            Arrays.fill(c, (byte) 0xc0);
            return new Hello(recordVersion, epoch, recordSeq, messageSeq, sessionId, c, suitesLength,
                    compressionLength, extensions);
        }

        Hello vectors(int suites, int compression, byte[] ext) {
            return new Hello(recordVersion, epoch, recordSeq, messageSeq, sessionId, cookie, suites, compression, ext);
        }

        Hello record(int version, int newEpoch, long seq, int msgSeq) {
            return new Hello(version, newEpoch, seq, msgSeq, sessionId, cookie, suitesLength, compressionLength,
                    extensions);
        }

        byte[] body() {
            Writer w = new Writer().u16(RecordPeek.DTLS_1_2).bytes(new byte[ClientHelloPeek.RANDOM_LENGTH])
                    .opaque8(sessionId).opaque8(cookie).opaque16(new byte[suitesLength])
                    .opaque8(new byte[compressionLength]);
            if (extensions != null) {
                w.opaque16(extensions);
            }
            return w.toByteArray();
        }

        byte[] datagram() {
            byte[] body = body();
            byte[] out = new byte[RecordPeek.HEADER_LENGTH + ClientHelloPeek.HANDSHAKE_HEADER_LENGTH + body.length];
            RecordPeek.writeHeader(out, 0, ClientHelloPeek.CONTENT_TYPE_HANDSHAKE, recordVersion, epoch, recordSeq,
                    null, ClientHelloPeek.HANDSHAKE_HEADER_LENGTH + body.length);
            ClientHelloPeek.writeHandshakeHeader(out, RecordPeek.HEADER_LENGTH, ClientHelloPeek.CLIENT_HELLO,
                    body.length, messageSeq);
            System.arraycopy(body, 0, out, RecordPeek.HEADER_LENGTH + ClientHelloPeek.HANDSHAKE_HEADER_LENGTH,
                    body.length);
            return out;
        }
    }

    private Flaw read(byte[] d) {
        return peek.read(d, 0, d.length);
    }

    @Test
    void findsEveryFieldOfATypicalClientHello() {
        byte[] d = Hello.typical().cookie(3).sessionId(2).datagram();
        assertEquals(Flaw.NONE, read(d));
        assertEquals(RecordPeek.DTLS_1_2, peek.recordVersion());
        assertEquals(7, peek.recordSequenceNumber());
        assertEquals(1, peek.messageSeq());
        assertEquals(d.length, peek.recordLength());
        assertEquals(d.length, peek.recordEnd());
        assertEquals(13, peek.messageStart());
        assertEquals(25, peek.bodyStart());
        assertEquals(25 + 2 + 32, peek.sessionIdAt());
        assertEquals(peek.sessionIdAt() + 1 + 2, peek.cookieAt());
        assertEquals(3, peek.cookieLength());
        assertEquals(peek.cookieAt() + 1 + 3, peek.suitesAt());
        assertEquals(peek.suitesAt() + 2 + 4, peek.compressionAt());
        assertEquals(peek.compressionAt() + 2, peek.extensionsAt());
        assertTrue(ClientHelloPeek.startsClientHello(d, 0, d.length));
    }

    @Test
    void readsAtAnOffsetAndIgnoresLaterRecords() {
        byte[] hello = Hello.typical().datagram();
        byte[] d = new byte[5 + hello.length + 20];
        System.arraycopy(hello, 0, d, 5, hello.length);
        assertEquals(Flaw.NONE, peek.read(d, 5, hello.length + 20));
        assertEquals(5 + hello.length, peek.recordEnd());
        assertEquals(hello.length, peek.recordLength());
    }

    @Test
    void sessionIdAtItsExtremes() {
        for (int n : new int[] {0, 1, 31, 32}) {
            assertEquals(Flaw.NONE, read(Hello.typical().sessionId(n).datagram()), "session_id of " + n);
        }
        assertEquals(Flaw.MALFORMED, read(Hello.typical().sessionId(33).datagram()));
    }

    @Test
    void cookieAtItsExtremes() {
        for (int n : new int[] {0, 1, 254, 255}) {
            assertEquals(Flaw.NONE, read(Hello.typical().cookie(n).datagram()), "cookie of " + n);
            assertEquals(n, peek.cookieLength());
        }
    }

    @Test
    void cipherSuitesAtTheirExtremes() {
        assertEquals(Flaw.MALFORMED, read(Hello.typical().vectors(0, 1, null).datagram()));
        assertEquals(Flaw.MALFORMED, read(Hello.typical().vectors(3, 1, null).datagram()));
        assertEquals(Flaw.NONE, read(Hello.typical().vectors(2, 1, null).datagram()));
        // The largest even length that still leaves the record within 2^14 bytes.
        int most = RecordPeek.MAX_PLAINTEXT - ClientHelloPeek.HANDSHAKE_HEADER_LENGTH - (2 + 32 + 1 + 1 + 2 + 2);
        assertEquals(Flaw.NONE, read(Hello.typical().vectors(most, 1, null).datagram()));
        assertEquals(RecordPeek.HEADER_LENGTH + RecordPeek.MAX_PLAINTEXT, peek.recordLength());
        assertEquals(Flaw.RECORD_TOO_LONG, read(Hello.typical().vectors(most + 2, 1, null).datagram()));
    }

    @Test
    void compressionMethodsAtTheirExtremes() {
        assertEquals(Flaw.MALFORMED, read(Hello.typical().vectors(2, 0, null).datagram()));
        for (int n : new int[] {1, 2, 254, 255}) {
            assertEquals(Flaw.NONE, read(Hello.typical().vectors(2, n, null).datagram()), n + " methods");
        }
    }

    @Test
    void extensionsAbsentEmptyOrFramed() {
        assertEquals(Flaw.NONE, read(Hello.typical().vectors(2, 1, null).datagram()));
        assertEquals(-1, peek.extensionsAt());
        assertEquals(Flaw.NONE, read(Hello.typical().vectors(2, 1, new byte[0]).datagram()));
        assertNotEquals(-1, peek.extensionsAt());
        assertEquals(Flaw.MALFORMED, read(Hello.typical().vectors(2, 1, Hex.decode("000a0005aabb")).datagram()));
        assertEquals(Flaw.MALFORMED, read(Hello.typical().vectors(2, 1, Hex.decode("000a00")).datagram()));
        assertEquals(Flaw.NONE, read(Hello.typical().vectors(2, 1, Hex.decode("000a0000")).datagram()));
    }

    @Test
    void recordFieldsAtTheirExtremes() {
        for (long seq : new long[] {0, 1, RecordPeek.MAX_SEQUENCE_NUMBER - 1, RecordPeek.MAX_SEQUENCE_NUMBER}) {
            for (int msgSeq : new int[] {0, 1, ClientHelloPeek.MAX_MESSAGE_SEQ - 1, ClientHelloPeek.MAX_MESSAGE_SEQ}) {
                assertEquals(Flaw.NONE, read(Hello.typical().record(RecordPeek.DTLS_1_0, 0, seq, msgSeq).datagram()));
                assertEquals(seq, peek.recordSequenceNumber());
                assertEquals(msgSeq, peek.messageSeq());
                assertEquals(RecordPeek.DTLS_1_0, peek.recordVersion());
            }
        }
        for (int epoch : new int[] {1, RecordPeek.MAX_EPOCH}) {
            byte[] d = Hello.typical().record(RecordPeek.DTLS_1_2, epoch, 0, 0).datagram();
            assertEquals(Flaw.NONZERO_EPOCH, read(d));
            assertFalse(ClientHelloPeek.startsClientHello(d, 0, d.length));
        }
        for (int version : new int[] {0, 0xfefe, 0xfefc, 0x0303, 0xffff}) {
            assertEquals(Flaw.BAD_RECORD_VERSION, read(Hello.typical().record(version, 0, 0, 0).datagram()));
        }
    }

    @Test
    void namesEachHeaderFlaw() {
        byte[] good = Hello.typical().datagram();
        assertEquals(Flaw.WRONG_CONTENT_TYPE, read(with(good, 0, 23)));
        assertEquals(Flaw.NOT_CLIENT_HELLO, read(with(good, 13, 2)));
        assertEquals(Flaw.FRAGMENTED, read(with(good, 13 + 8, good[13 + 8] + 1)));
        assertEquals(Flaw.FRAGMENTED, read(with(good, 13 + 11, good[13 + 11] - 1)));
        // Handshake length one short of the body: trailing bytes; one over (with fragment_length kept equal): cut.
        byte[] shortLength = with(with(good, 13 + 3, good[13 + 3] - 1), 13 + 11, good[13 + 11] - 1);
        assertEquals(Flaw.TRAILING_BYTES, read(shortLength));
        byte[] longLength = with(with(good, 13 + 3, good[13 + 3] + 1), 13 + 11, good[13 + 11] + 1);
        assertEquals(Flaw.TRUNCATED, read(longLength));
        // A record length below the handshake header.
        byte[] tiny = with(with(good, 11, 0), 12, ClientHelloPeek.HANDSHAKE_HEADER_LENGTH - 1);
        assertEquals(Flaw.TRUNCATED, read(tiny));
        assertFalse(ClientHelloPeek.startsClientHello(with(good, 13, 2), 0, good.length));
    }

    @Test
    void aClientHelloCutAtAnyByteIsRefused() {
        byte[] d = Hello.typical().cookie(4).sessionId(3).datagram();
        for (int len = 0; len < d.length; len++) {
            assertNotEquals(Flaw.NONE, peek.read(d, 0, len), "cut at " + len);
            assertEquals(len > RecordPeek.HEADER_LENGTH, ClientHelloPeek.startsClientHello(d, 0, len), "cut at " + len);
        }
        assertEquals(Flaw.NONE, read(d));
    }

    @Test
    void aBodyCutAtAnyByteInsideAWholeRecordIsMalformedOrTrailing() {
        byte[] body = Hello.typical().cookie(4).body();
        // Cut just before the extensions block, the body is a whole ClientHello without extensions.
        int withoutExtensions = Hello.typical().cookie(4).vectors(4, 1, null).body().length;
        for (int cut = 0; cut < body.length; cut++) {
            byte[] shorter = Arrays.copyOf(body, cut);
            byte[] d = new byte[RecordPeek.HEADER_LENGTH + ClientHelloPeek.HANDSHAKE_HEADER_LENGTH + cut];
            RecordPeek.writeHeader(d, 0, 22, RecordPeek.DTLS_1_2, 0, 0, null, d.length - RecordPeek.HEADER_LENGTH);
            ClientHelloPeek.writeHandshakeHeader(d, RecordPeek.HEADER_LENGTH, 1, cut, 0);
            System.arraycopy(shorter, 0, d, d.length - cut, cut);
            Flaw f = read(d);
            if (cut == withoutExtensions) {
                assertEquals(Flaw.NONE, f);
                assertEquals(-1, peek.extensionsAt());
            } else {
                assertTrue(f == Flaw.MALFORMED || f == Flaw.TRAILING_BYTES, "body cut at " + cut + ": " + f);
            }
        }
    }

    @Test
    void rangesOutsideTheArrayAreRefusedWithoutThrowing() {
        byte[] d = Hello.typical().datagram();
        assertEquals(Flaw.TRUNCATED, peek.read(d, -1, d.length));
        assertEquals(Flaw.TRUNCATED, peek.read(d, 1, d.length));
        assertEquals(Flaw.TRUNCATED, peek.read(d, 0, Integer.MAX_VALUE));
        assertEquals(Flaw.TRUNCATED, peek.read(null, 0, 0));
        assertFalse(ClientHelloPeek.startsClientHello(d, Integer.MAX_VALUE, 20));
        assertFalse(ClientHelloPeek.startsClientHello(null, 0, 20));
    }

    @Test
    void writesTheHandshakeHeaderOfRfc6347() {
        byte[] h = new byte[ClientHelloPeek.HANDSHAKE_HEADER_LENGTH];
        ClientHelloPeek.writeHandshakeHeader(h, 0, ClientHelloPeek.HELLO_VERIFY_REQUEST, 0x010203, 0x0405);
        assertArrayEquals(Hex.decode("03010203" + "0405" + "000000" + "010203"), h);
    }

    @Property
    void noBytesMakeTheReadThrow(@ForAll @Size(max = 120) byte[] tail, @ForAll @IntRange(max = 200) int keep) {
        byte[] good = Hello.typical().datagram();
        byte[] d = Arrays.copyOf(good, Math.min(keep, good.length) + tail.length);
        System.arraycopy(tail, 0, d, Math.min(keep, good.length), tail.length);
        Flaw f = read(d);
        if (f == Flaw.NONE) {
            assertTrue(peek.recordEnd() <= d.length && peek.extensionsAt() < peek.recordEnd());
        }
    }

    private static byte[] with(byte[] d, int at, int value) {
        byte[] copy = d.clone();
        copy[at] = (byte) value;
        return copy;
    }
}
