package org.dtls4j.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dtls4j.handshake.config.ReassemblyLimits;
import org.dtls4j.testkit.FuzzInput;
import org.dtls4j.testkit.FuzzSeeds;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Jazzer target for {@link Reassembler} fed sequences of handshake fragments (docs/fuzzing.md).
 *
 * <p>Input: {@code [maxMessageLength u16][extra held bytes u16][maxSeqAhead u8][maxRanges u8][firstSeq
 * u16]}, then steps {@code [control u8][u16 length][handshake record payload]}; each payload goes through
 * {@link HandshakeFragment#decodeAll} as the engine does, and control bit 0 polls every complete message
 * after the step.
 *
 * <p>Properties: nothing throws but the decoder's {@link DtlsException}; after every fragment the held
 * bytes, ranges and messages stay within the {@link ReassemblyLimits}; messages come out in message_seq
 * order from {@code firstSeq}; each released message has the type and length of the first fragment that
 * stored bytes for its message_seq, and each of its bytes is the one the first storing fragment covering
 * it brought (first copy wins).
 */
class ReassemblerJazzerTest {
    static final int POLL = 1;

    @FuzzTest(maxDuration = "5m")
    void offerFragmentSequences(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int maxMessage = in.u16();
        ReassemblyLimits limits = new ReassemblyLimits(maxMessage, maxMessage + (long) in.u16(), in.u8() % 12,
                1 + in.u8() % 64);
        int firstSeq = in.u16();
        Reassembler r = new Reassembler(limits, firstSeq);
        Map<Integer, List<HandshakeFragment>> stored = new HashMap<>();
        int expectedSeq = firstSeq;
        while (in.hasRemaining()) {
            int control = in.u8();
            byte[] payload = in.chunk();
            List<HandshakeFragment> fragments;
            try {
                fragments = HandshakeFragment.decodeAll(payload, 0, payload.length);
            } catch (DtlsException malformed) {
                fragments = List.of();
            }
            for (HandshakeFragment f : fragments) {
                Reassembler.Offer offer = r.offer(f);
                assertNotNull(offer);
                if (offer == Reassembler.Offer.NEW_BYTES) {
                    stored.computeIfAbsent(f.messageSeq(), k -> new ArrayList<>()).add(f);
                }
                assertWithinLimits(r, limits);
            }
            while ((control & POLL) != 0 && r.hasMessage()) {
                RawMessage m = r.poll();
                assertEquals(expectedSeq, m.messageSeq(), "released out of order");
                expectedSeq++;
                assertMatchesFirstCopies(m, stored.remove(m.messageSeq()));
                assertWithinLimits(r, limits);
            }
            assertEquals(expectedSeq, r.nextExpectedSeq());
        }
    }

    private static void assertWithinLimits(Reassembler r, ReassemblyLimits limits) {
        assertTrue(r.heldBytes() >= 0 && r.heldBytes() <= limits.maxHeldBytes(), () -> "held bytes " + r.heldBytes());
        assertTrue(r.heldRanges() >= 0 && r.heldRanges() <= limits.maxRanges(), () -> "ranges " + r.heldRanges());
        assertTrue(r.heldMessages() <= limits.maxSeqAhead() + 1, () -> "messages " + r.heldMessages());
    }

    /** The reference model: the first storing fragment fixes type and length, and first copy wins per byte. */
    private static void assertMatchesFirstCopies(RawMessage m, List<HandshakeFragment> fragments) {
        assertNotNull(fragments, "a message released without any fragment storing bytes");
        HandshakeFragment first = fragments.get(0);
        assertEquals(first.msgType(), m.msgType());
        assertEquals(first.length(), m.body().length);
        for (int i = 0; i < m.body().length; i++) {
            Integer expected = null;
            for (HandshakeFragment f : fragments) {
                if (i >= f.fragmentOffset() && i < f.fragmentOffset() + f.fragmentLength()) {
                    expected = f.body()[i - f.fragmentOffset()] & 0xff;
                    break;
                }
            }
            assertNotNull(expected, "byte " + i + " released though no fragment brought it");
            assertEquals(expected.intValue(), m.body()[i] & 0xff, "byte " + i);
        }
    }

    static byte[] limits(int maxMessage, int extraHeld, int seqAhead, int ranges, int firstSeq) {
        return new Writer().u16(maxMessage).u16(extraHeld).u8(seqAhead).u8(ranges - 1).u16(firstSeq).toByteArray();
    }

    static byte[] step(int control, HandshakeFragment... fragments) {
        Writer payload = new Writer();
        for (HandshakeFragment f : fragments) {
            f.encode(payload);
        }
        return new Writer().u8(control).opaque16(payload.toByteArray()).toByteArray();
    }

    static HandshakeFragment part(int type, int seq, byte[] whole, int from, int to) {
        byte[] body = java.util.Arrays.copyOfRange(whole, from, to);
        return new HandshakeFragment(type, whole.length, seq, from, body);
    }

    static byte[] join(byte[]... parts) {
        Writer w = new Writer();
        for (byte[] p : parts) {
            w.bytes(p);
        }
        return w.toByteArray();
    }

    /** The seeds reach the release path: the out-of-order seed yields its message. */
    @Test
    void outOfOrderFragmentsJoinAndRelease() {
        byte[] msg = body(300, 3);
        Reassembler r = new Reassembler(new ReassemblyLimits(1000, 2000, 4, 8), 5);
        r.offer(part(11, 5, msg, 200, 300));
        r.offer(part(11, 5, msg, 0, 120));
        assertEquals(null, r.poll());
        r.offer(part(11, 5, msg, 100, 210));
        RawMessage m = r.poll();
        assertNotNull(m);
        assertEquals(5, m.messageSeq());
        assertTrue(java.util.Arrays.equals(msg, m.body()));
    }

    static byte[] body(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 5);
        }
        return b;
    }

    @Test
    @EnabledIfSystemProperty(named = FuzzSeeds.PROPERTY, matches = ".+")
    void writeSeeds() {
        String m = "offerFragmentSequences";
        byte[] hello = body(120, 1);
        byte[] cert = body(700, 2);
        FuzzSeeds.write(getClass(), m, "whole-messages-in-order", join(limits(2000, 2000, 8, 32, 0),
                step(POLL, HandshakeFragment.whole(1, 0, hello)),
                step(POLL, HandshakeFragment.whole(2, 1, body(70, 3)), HandshakeFragment.whole(14, 2, new byte[0]))));
        FuzzSeeds.write(getClass(), m, "out-of-order-overlapping", join(limits(1000, 1000, 4, 8, 5),
                step(0, part(11, 5, cert, 500, 700), part(11, 5, cert, 0, 300)),
                step(0, part(11, 6, cert, 0, 100)),
                step(POLL, part(11, 5, cert, 250, 520), part(11, 5, cert, 0, 1))));
        FuzzSeeds.write(getClass(), m, "tight-limits", join(limits(200, 10, 1, 2, 0),
                step(0, part(11, 0, body(200, 4), 0, 10), part(11, 0, body(200, 4), 20, 30),
                        part(11, 0, body(200, 4), 40, 50), HandshakeFragment.whole(12, 1, body(190, 5)),
                        HandshakeFragment.whole(12, 2, body(5, 5))),
                step(POLL, part(11, 0, body(200, 4), 0, 200))));
        FuzzSeeds.write(getClass(), m, "seq-wraps-at-65535", join(limits(500, 500, 8, 16, 65534),
                step(POLL, HandshakeFragment.whole(16, 65534, body(33, 6)), HandshakeFragment.whole(20, 65535, body(12, 7))),
                step(POLL, HandshakeFragment.whole(20, 0, body(12, 7)), HandshakeFragment.whole(20, 65535, body(12, 8)))));
        FuzzSeeds.write(getClass(), m, "inconsistent-and-empty", join(limits(400, 400, 2, 4, 0),
                step(0, part(11, 0, hello, 0, 0), part(11, 0, hello, 10, 20)),
                step(POLL, part(12, 0, hello, 0, 120), part(11, 0, body(121, 1), 0, 121), part(11, 0, hello, 0, 120))));
    }
}
