package org.dtls4j.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.dtls4j.handshake.Reassembler.Offer;
import org.dtls4j.handshake.config.ReassemblyLimits;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

class ReassemblerTest {
    private static final int CH = HandshakeType.CLIENT_HELLO;

    static byte[] body(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static HandshakeFragment piece(int type, int seq, byte[] message, int from, int to) {
        return new HandshakeFragment(type, message.length, seq, from, Arrays.copyOfRange(message, from, to));
    }

    /** Decodes a record payload given as hex, the way the engine will hand fragments over. */
    static List<HandshakeFragment> record(String hex) throws DtlsException {
        byte[] p = Hex.decode(hex);
        return HandshakeFragment.decodeAll(p, 0, p.length);
    }

    static String header(int type, int length, int seq, int offset, int fragLength) {
        return String.format("%02x%06x%04x%06x%06x", type, length, seq, offset, fragLength);
    }

    @Test
    void releasesAWholeMessageAtOnce() {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        byte[] m = body(100, 1);
        assertEquals(Offer.NEW_BYTES, r.offer(HandshakeFragment.whole(CH, 0, m)));
        RawMessage out = r.poll();
        assertArrayEquals(m, out.body());
        assertEquals(CH, out.msgType());
        assertEquals(1, r.nextExpectedSeq());
        assertEquals(0, r.heldBytes());
    }

    @Test
    void joinsOutOfOrderOverlappingAndDuplicatedFragments() {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        byte[] m = body(50, 2);
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, m, 30, 50)));
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, m, 10, 35)));
        assertEquals(Offer.NO_NEW_BYTES, r.offer(piece(CH, 0, m, 12, 20)));
        assertEquals(Offer.NO_NEW_BYTES, r.offer(piece(CH, 0, m, 30, 50)));
        assertNull(r.poll());
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, m, 0, 11)));
        assertArrayEquals(m, r.poll().body());
        assertEquals(0, r.heldRanges());
    }

    @Test
    void releasesMessagesStrictlyInMessageSeqOrder() {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        byte[] m0 = body(5, 3);
        byte[] m1 = body(6, 4);
        r.offer(HandshakeFragment.whole(HandshakeType.CERTIFICATE, 1, m1));
        assertFalse(r.hasMessage());
        assertNull(r.poll());
        r.offer(HandshakeFragment.whole(HandshakeType.SERVER_HELLO, 0, m0));
        assertEquals(0, r.poll().messageSeq());
        assertEquals(1, r.poll().messageSeq());
        assertNull(r.poll());
    }

    @Test
    void reportsFragmentsOfReleasedMessagesAsOld() {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        byte[] m = body(20, 5);
        r.offer(HandshakeFragment.whole(CH, 0, m));
        r.poll();
        assertEquals(Offer.OLD_MESSAGE, r.offer(HandshakeFragment.whole(CH, 0, m)));
        assertEquals(Offer.OLD_MESSAGE, r.offer(piece(CH, 0, m, 3, 9)));
        assertEquals(0, r.heldMessages());
    }

    @Test
    void dropsMessagesTooFarAhead() {
        Reassembler r = new Reassembler(new ReassemblyLimits(1000, 4000, 2, 16));
        assertEquals(Offer.NEW_BYTES, r.offer(HandshakeFragment.whole(CH, 2, body(10, 1))));
        assertEquals(Offer.TOO_FAR_AHEAD, r.offer(HandshakeFragment.whole(CH, 3, body(10, 1))));
        assertEquals(1, r.heldMessages());
    }

    @Test
    void startsAtTheGivenMessageSeqAfterStatelessCookieExchange() {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults(), 1);
        assertEquals(Offer.OLD_MESSAGE, r.offer(HandshakeFragment.whole(CH, 0, body(4, 1))));
        r.offer(HandshakeFragment.whole(CH, 1, body(4, 1)));
        assertEquals(1, r.poll().messageSeq());
    }

    @Test
    void dropsMessageLongerThanTheLimitBeforeAllocating() {
        Reassembler r = new Reassembler(new ReassemblyLimits(100, 200, 4, 16));
        assertEquals(Offer.OVER_LIMIT, r.offer(new HandshakeFragment(CH, 101, 0, 0, new byte[1])));
        assertEquals(0, r.heldBytes());
        assertEquals(0, r.heldMessages());
    }

    @Test
    void dropsNewMessageThatWouldExceedHeldBytes() {
        Reassembler r = new Reassembler(new ReassemblyLimits(100, 150, 4, 16));
        assertEquals(Offer.NEW_BYTES, r.offer(new HandshakeFragment(CH, 100, 0, 0, new byte[1])));
        assertEquals(Offer.OVER_LIMIT, r.offer(new HandshakeFragment(CH, 51, 1, 0, new byte[1])));
        assertEquals(Offer.NEW_BYTES, r.offer(new HandshakeFragment(CH, 50, 1, 0, new byte[1])));
        assertEquals(150, r.heldBytes());
    }

    @Test
    void dropsFragmentOpeningARangeBeyondTheRangeLimitButStillAcceptsJoiningOnes() {
        Reassembler r = new Reassembler(new ReassemblyLimits(100, 100, 4, 2));
        byte[] m = body(100, 6);
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, m, 0, 10)));
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, m, 20, 30)));
        assertEquals(Offer.OVER_LIMIT, r.offer(piece(CH, 0, m, 40, 50)));
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, m, 10, 20)));
        assertEquals(1, r.heldRanges());
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, m, 25, 100)));
        assertArrayEquals(m, r.poll().body());
    }

    @Test
    void keepsTheFirstCopyOfOverlappingBytes() {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        byte[] m = body(10, 7);
        r.offer(piece(CH, 0, m, 0, 6));
        byte[] other = new byte[4];
        Arrays.fill(other, (byte) 0x55);
        assertEquals(Offer.NEW_BYTES, r.offer(new HandshakeFragment(CH, 10, 0, 4, other)));
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, m, 6, 10)));
        byte[] out = r.poll().body();
        assertArrayEquals(Arrays.copyOfRange(m, 0, 6), Arrays.copyOfRange(out, 0, 6));
        assertArrayEquals(new byte[] {0x55, 0x55}, Arrays.copyOfRange(out, 6, 8));
        assertArrayEquals(Arrays.copyOfRange(m, 8, 10), Arrays.copyOfRange(out, 8, 10));
    }

    @Test
    void releasesAnEmptyMessageFromItsZeroLengthFragment() {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        assertEquals(Offer.NEW_BYTES, r.offer(HandshakeFragment.whole(HandshakeType.SERVER_HELLO_DONE, 0, new byte[0])));
        RawMessage done = r.poll();
        assertEquals(HandshakeType.SERVER_HELLO_DONE, done.msgType());
        assertEquals(0, done.body().length);
    }

    @Test
    void joinsTenThousandOneByteOverlappingFragmentsInShuffledOrder() {
        int n = 10_000;
        byte[] m = body(n + 1, 8);
        List<HandshakeFragment> pieces = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pieces.add(piece(CH, 0, m, i, i + 2));
        }
        Collections.shuffle(pieces, new Random(9));
        Reassembler r = new Reassembler(new ReassemblyLimits(n + 1, n + 1, 0, n));
        for (HandshakeFragment f : pieces) {
            assertTrue(r.offer(f).accepted());
        }
        assertArrayEquals(m, r.poll().body());
        assertEquals(0, r.heldRanges());
    }

    // --- GnuTLS tests/mini-dtls-fragments.c malicious datagrams (../shared/vectors/dtls-vectors.md §5.3) ---

    @Test
    void gnutls1816InconsistentMessageLengthIsDroppedAndNeverCompletes() throws DtlsException {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        String zeros25 = "00".repeat(25);
        assertEquals(Offer.NEW_BYTES, r.offer(record(header(CH, 50, 0, 25, 25) + zeros25).get(0)));
        long held = r.heldBytes();
        assertEquals(Offer.INCONSISTENT, r.offer(record(header(CH, 3000, 0, 0, 48) + "00".repeat(48)).get(0)));
        assertEquals(Offer.INCONSISTENT, r.offer(record(header(CH, 3000, 0, 40, 1475) + "00".repeat(1475)).get(0)));
        assertEquals(Offer.INCONSISTENT, r.offer(record(header(CH, 3000, 0, 1500, 1475) + "00".repeat(1475)).get(0)));
        assertEquals(held, r.heldBytes());
        assertFalse(r.hasMessage());
        assertEquals(3, r.droppedCount());
    }

    @Test
    void gnutls1811MaximalLengthZeroLengthFragmentAllocatesNothingAndCompletesNothing() throws DtlsException {
        Reassembler generous = new Reassembler(new ReassemblyLimits(0xFFFFFF, 0xFFFFFF, 4, 16));
        assertEquals(Offer.NO_NEW_BYTES, generous.offer(record(header(CH, 0xFFFFFF, 0, 2, 0)).get(0)));
        assertEquals(0, generous.heldBytes());
        assertEquals(0, generous.heldMessages());
        assertFalse(generous.hasMessage());

        Reassembler strict = new Reassembler(ReassemblyLimits.defaults());
        assertEquals(Offer.OVER_LIMIT, strict.offer(record(header(CH, 0xFFFFFF, 0, 2, 0)).get(0)));
        assertEquals(0, strict.heldBytes());
    }

    @Test
    void gnutls1839MessageSeqChangedMidMessageIsNotMerged() {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        byte[] hello = body(120, 10);
        r.offer(piece(CH, 0, hello, 0, 1));
        r.offer(piece(CH, 1, hello, 1, 120));
        assertFalse(r.hasMessage());
        assertNull(r.poll());
        assertEquals(0, r.nextExpectedSeq());
    }

    @Test
    void gnutlsInjectedZeroLengthFragmentsDoNotStopCompletion() throws DtlsException {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        byte[] hello = body(300, 11);
        for (int[] span : new int[][] {{0, 100}, {100, 200}, {200, 300}}) {
            assertEquals(Offer.NO_NEW_BYTES, r.offer(record(header(CH, 300, 0, 0, 0)).get(0)));
            assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, hello, span[0], span[1])));
        }
        assertArrayEquals(hello, r.poll().body());
    }

    @Test
    void gnutlsOneByteFirstFragmentThenTheRestCompletes() {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        byte[] hello = body(200, 12);
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, hello, 0, 1)));
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, hello, 1, 200)));
        assertArrayEquals(hello, r.poll().body());
    }

    @Test
    void dropsFragmentWhoseTypeDisagreesWithEarlierOnes() {
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        byte[] m = body(40, 13);
        r.offer(piece(CH, 0, m, 0, 10));
        assertEquals(Offer.INCONSISTENT, r.offer(piece(HandshakeType.CERTIFICATE, 0, m, 10, 40)));
        assertEquals(Offer.NEW_BYTES, r.offer(piece(CH, 0, m, 10, 40)));
        assertArrayEquals(m, r.poll().body());
    }
}
