package org.dtls4j.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.dtls4j.handshake.config.ReassemblyLimits;

class ReassemblerPropertiesTest {

    /** A flight of 1–5 messages (lengths 0–600) with message_seq 0.., cut into overlapping pieces. */
    static List<RawMessage> flight(Random rnd, int count) {
        List<RawMessage> out = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            byte[] b = new byte[rnd.nextInt(4) == 0 ? rnd.nextInt(3) : rnd.nextInt(600)];
            rnd.nextBytes(b);
            out.add(new RawMessage(1 + rnd.nextInt(20), seq, b));
        }
        return out;
    }

    /** Random overlapping cover of each message, including zero-length and 1-byte pieces, plus duplicates. */
    static List<HandshakeFragment> cover(List<RawMessage> flight, Random rnd) {
        List<HandshakeFragment> out = new ArrayList<>();
        for (RawMessage m : flight) {
            int len = m.body().length;
            if (len == 0) {
                out.add(m.asFragment());
                continue;
            }
            int pos = 0;
            while (pos < len) {
                int start = Math.max(0, pos - rnd.nextInt(8));
                int end = Math.min(len, pos + 1 + rnd.nextInt(rnd.nextBoolean() ? 2 : 200));
                out.add(new HandshakeFragment(m.msgType(), len, m.messageSeq(), start,
                        Arrays.copyOfRange(m.body(), start, end)));
                if (rnd.nextInt(5) == 0) {
                    int at = rnd.nextInt(len + 1);
                    out.add(new HandshakeFragment(m.msgType(), len, m.messageSeq(), at, new byte[0]));
                }
                pos = end;
            }
        }
        int dups = rnd.nextInt(out.size() + 1);
        for (int i = 0; i < dups; i++) {
            out.add(out.get(rnd.nextInt(out.size())));
        }
        return out;
    }

    @Property(tries = 300)
    void everyPermutationDuplicationAndOverlappingSplitReassemblesToTheOriginal(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int count) {
        Random rnd = new Random(seed);
        List<RawMessage> flight = flight(rnd, count);
        List<HandshakeFragment> pieces = cover(flight, rnd);
        Collections.shuffle(pieces, rnd);
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        List<RawMessage> released = new ArrayList<>();
        for (HandshakeFragment f : pieces) {
            assertTrue(r.offer(f).accepted() || f.messageSeq() < r.nextExpectedSeq());
            for (RawMessage m = r.poll(); m != null; m = r.poll()) {
                released.add(m);
            }
        }
        assertEquals(flight, released);
        assertEquals(0, r.heldBytes());
        assertEquals(0, r.heldRanges());
        assertEquals(0, r.heldMessages());
    }

    @Provide
    Arbitrary<HandshakeFragment> hostileFragments() {
        Arbitrary<Integer> lengths = Arbitraries.oneOf(Arbitraries.integers().between(0, 3000),
                Arbitraries.of(0, 1, 0xFFFF, 0xFFFFFF, 1 << 20));
        return Combinators.combine(
                Arbitraries.integers().between(0, 3),
                lengths,
                Arbitraries.integers().between(0, 40),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 64))
                .as((type, length, seq, where, fragLen) -> {
                    int offset = (int) (where * length);
                    int n = Math.min(fragLen, length - offset);
                    return new HandshakeFragment(type, length, seq, offset, new byte[n]);
                });
    }

    @Property(tries = 200)
    void hostileStreamsNeverHoldMoreThanTheBounds(@ForAll @Size(max = 400) List<@net.jqwik.api.From("hostileFragments") HandshakeFragment> stream,
            @ForAll boolean pollAlong) {
        ReassemblyLimits limits = new ReassemblyLimits(2000, 4000, 6, 32);
        Reassembler r = new Reassembler(limits);
        for (HandshakeFragment f : stream) {
            r.offer(f);
            assertTrue(r.heldBytes() <= limits.maxHeldBytes());
            assertTrue(r.heldRanges() <= limits.maxRanges());
            assertTrue(r.heldMessages() <= limits.maxSeqAhead() + 1);
            if (pollAlong) {
                RawMessage m = r.poll();
                if (m != null) {
                    assertTrue(m.body().length <= limits.maxMessageLength());
                }
            }
        }
    }

    @Property(tries = 100)
    void olderMessagesAreReportedNotHeld(@ForAll long seed) {
        Random rnd = new Random(seed);
        List<RawMessage> flight = flight(rnd, 3);
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        for (RawMessage m : flight) {
            r.offer(m.asFragment());
            r.poll();
        }
        for (HandshakeFragment f : cover(flight, rnd)) {
            assertEquals(Reassembler.Offer.OLD_MESSAGE, r.offer(f));
        }
        assertNull(r.poll());
        assertEquals(0, r.heldMessages());
    }
}
