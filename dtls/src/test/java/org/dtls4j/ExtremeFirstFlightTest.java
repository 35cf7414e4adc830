package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dtls4j.cookie.CookieVerifier;
import org.junit.jupiter.api.Test;

/**
 * After a valid cookie exchange, every record, handshake and extension header field of the client's first
 * flight at 0, 1, its maximum − 1 and its maximum, sent to one {@link DtlsAcceptor}: each is dropped,
 * refused with an alert, or handled, nothing unchecked escapes (no internal error is contained either: the
 * bound sits where the field is parsed), and an honest client is served afterwards.
 */
class ExtremeFirstFlightTest {
    private static final long NOW = 1_000_000_000L;

    /** One header field: its offset in the datagram (record header at 0, handshake header at 13) and width. */
    private record Field(String name, int offset, int width) {
        long max() {
            return width == 6 ? (1L << 48) - 1 : (1L << (8 * width)) - 1;
        }
    }

    private static final List<Field> HEADER_FIELDS = List.of(
            new Field("record type", 0, 1), new Field("record version", 1, 2), new Field("record epoch", 3, 2),
            new Field("record sequence", 5, 6), new Field("record length", 11, 2),
            new Field("msg_type", 13, 1), new Field("handshake length", 14, 3), new Field("message_seq", 17, 2),
            new Field("fragment_offset", 19, 3), new Field("fragment_length", 22, 3));

    private final Map<InetSocketAddress, List<byte[]>> replies = new HashMap<>();
    private final Recorder serverEvents = new Recorder();
    private final DtlsAcceptor acceptor = new DtlsAcceptor(TestConfigs.pskServer().build(), CookieVerifier.create(),
            (buf, off, len, peer) -> replies.computeIfAbsent(peer, k -> new ArrayList<>())
                    .add(Arrays.copyOfRange(buf, off, off + len)), serverEvents, 1024, 512, 512);
    private final Hello hello = Hello.fromRealClient();
    private int nextHost = 1;

    @Test
    void everyHeaderFieldAtItsExtremesLeavesTheServerServing() {
        List<String> outcomes = new ArrayList<>();
        for (Field f : HEADER_FIELDS) {
            for (long v : new long[] {0, 1, f.max() - 1, f.max()}) {
                InetSocketAddress from = nextPeer();
                byte[] cookie = cookieExchange(from, hello.extensions);
                byte[] d = hello.datagram(cookie, hello.extensions);
                patch(d, f.offset(), f.width(), v);
                outcomes.add(f.name() + "=" + v + ": " + deliver(d, from));
            }
        }
        assertEquals(0, acceptor.internalErrors(), String.join("\n", outcomes));
        assertHonestClientIsServed();
    }

    @Test
    void clientHelloWhoseMessageSeqLeavesNoRoomIsDroppedBeforeAnyStateExists() {
        for (int messageSeq : new int[] {0xFFFE, 0xFFFF}) {
            InetSocketAddress from = nextPeer();
            byte[] cookie = cookieExchange(from, hello.extensions);
            byte[] d = hello.datagram(cookie, hello.extensions);
            patch(d, 17, 2, messageSeq);
            assertNull(acceptor.receive(d, 0, d.length, from, NOW));
            assertNull(acceptor.connection(from), "no state for it");
        }
        assertEquals(2, acceptor.cookieVerifier().dropCount(org.dtls4j.cookie.DropReason.NO_SEQUENCE_ROOM));
        assertEquals(0, acceptor.internalErrors());
        assertHonestClientIsServed();
    }

    @Test
    void everyExtensionHeaderFieldAtItsExtremesLeavesTheServerServing() {
        List<String> outcomes = new ArrayList<>();
        int[] extremes = {0, 1, 0xFFFE, 0xFFFF};
        for (int type : extremes) {
            outcomes.add("extension type " + type + ": " + sendWithExtra(extension(type, 0, 0)));
            outcomes.add("extension type " + type + " with a byte: " + sendWithExtra(extension(type, 1, 1)));
        }
        for (int length : extremes) {
            // The declared length is the field under test; at most what fits is really sent.
            outcomes.add("extension length " + length + ": "
                    + sendWithExtra(extension(0x1234, length, Math.min(length, 40))));
        }
        for (int blockLength : extremes) {
            InetSocketAddress from = nextPeer();
            byte[] cookie = cookieExchange(from, hello.extensions);
            byte[] d = hello.datagram(cookie, hello.extensions);
            patch(d, d.length - hello.extensions.length - 2, 2, blockLength);
            outcomes.add("extensions block length " + blockLength + ": " + deliver(d, from));
        }
        assertEquals(0, acceptor.internalErrors(), String.join("\n", outcomes));
        assertHonestClientIsServed();
    }

    private String sendWithExtra(byte[] extra) {
        InetSocketAddress from = nextPeer();
        byte[] extensions = Records.concat(hello.extensions, extra);
        byte[] cookie = cookieExchange(from, extensions);
        return deliver(hello.datagram(cookie, extensions), from);
    }

    /** Delivers the variant; says what became of it, for the failure message. */
    private String deliver(byte[] d, InetSocketAddress from) {
        long dropsBefore = acceptor.cookieDrops();
        DtlsConnection c = acceptor.receive(d, 0, d.length, from, NOW);
        if (c == null) {
            return acceptor.cookieDrops() > dropsBefore ? "dropped by the cookie verifier" : "answered statelessly";
        }
        assertNull(c.internalError(), () -> "internal error for " + from + ": " + c.internalError());
        return c.state() + (c.failure() != null ? " (" + c.failure().alert().name() + ")" : "");
    }

    /** A cookie-less ClientHello with these extensions; the cookie of the HelloVerifyRequest, or none. */
    private byte[] cookieExchange(InetSocketAddress from, byte[] extensions) {
        byte[] first = hello.datagram(new byte[0], extensions);
        patch(first, 5, 6, 0);
        patch(first, 17, 2, 0);
        acceptor.receive(first, 0, first.length, from, NOW);
        List<byte[]> got = replies.getOrDefault(from, List.of());
        if (got.isEmpty()) {
            return new byte[32]; // malformed enough that no cookie is given: a wrong one must fail just the same
        }
        byte[] hvr = got.get(got.size() - 1);
        return Arrays.copyOfRange(hvr, 28, hvr.length);
    }

    private void assertHonestClientIsServed() {
        InetSocketAddress from = nextPeer();
        Recorder events = new Recorder();
        List<byte[]> toServer = new ArrayList<>();
        DtlsConnection client = DtlsConnection.client(TestConfigs.pskClient().build(), null,
                (buf, off, len) -> toServer.add(Arrays.copyOfRange(buf, off, off + len)), events);
        client.start(NOW);
        for (int round = 0; round < 20 && !events.isComplete(); round++) {
            for (byte[] d : List.copyOf(toServer)) {
                acceptor.receive(d, 0, d.length, from, NOW);
            }
            toServer.clear();
            List<byte[]> back = replies.remove(from);
            for (byte[] d : back == null ? List.<byte[]>of() : back) {
                client.receive(d, 0, d.length, NOW);
            }
        }
        assertTrue(events.isComplete(), "the honest client completed its handshake");
        for (byte[] d : toServer) {
            acceptor.receive(d, 0, d.length, from, NOW);
        }
        assertTrue(acceptor.connection(from).isEstablished());
        client.send("after the storm".getBytes(java.nio.charset.StandardCharsets.US_ASCII), NOW);
        acceptor.receive(toServer.get(toServer.size() - 1), 0, toServer.get(toServer.size() - 1).length, from, NOW);
        assertTrue(serverEvents.dataAsStrings().contains("after the storm"));
    }

    private InetSocketAddress nextPeer() {
        int n = nextHost++;
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (n >> 8), (byte) n}), 40000);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] extension(int type, int declaredLength, int realLength) {
        byte[] e = new byte[4 + realLength];
        patch(e, 0, 2, type);
        patch(e, 2, 2, declaredLength);
        return e;
    }

    static void patch(byte[] d, int offset, int width, long value) {
        for (int i = 0; i < width; i++) {
            d[offset + width - 1 - i] = (byte) (value >>> (8 * i));
        }
    }

    /** The parts of a real dtls4j client's ClientHello, to rebuild it with another cookie or extensions. */
    private record Hello(byte[] beforeCookie, byte[] afterCookie, byte[] extensions) {
        static Hello fromRealClient() {
            List<byte[]> sent = new ArrayList<>();
            DtlsConnection.client(TestConfigs.pskClient().build(), null,
                    (buf, off, len) -> sent.add(Arrays.copyOfRange(buf, off, off + len)), new Recorder()).start(NOW);
            byte[] d = sent.get(0);
            int body = 25;
            int q = body + 2 + 32;
            q += 1 + (d[q] & 0xff);
            int cookieAt = q;
            q += 1 + (d[q] & 0xff);
            int suitesAt = q;
            q += 2 + ((d[q] & 0xff) << 8 | d[q + 1] & 0xff);
            q += 1 + (d[q] & 0xff);
            return new Hello(Arrays.copyOfRange(d, body, cookieAt), Arrays.copyOfRange(d, suitesAt, q),
                    Arrays.copyOfRange(d, q + 2, d.length));
        }

        /** One record: header (seq 1), handshake header (message_seq 1), body with this cookie and extensions. */
        byte[] datagram(byte[] cookie, byte[] exts) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(beforeCookie);
            b.write(cookie.length);
            b.writeBytes(cookie);
            b.writeBytes(afterCookie);
            b.write(exts.length >>> 8);
            b.write(exts.length);
            b.writeBytes(exts);
            byte[] handshake = Records.handshake(1, 1, b.toByteArray());
            return Records.record(22, 0, 1, handshake);
        }
    }
}
