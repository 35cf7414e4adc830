package org.dtls4j.handshake;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.dtls4j.handshake.config.ReassemblyLimits;

/**
 * Joins handshake fragments into whole messages and releases them strictly in message_seq order
 * (RFC 6347 §4.2.3, §4.2.2).
 *
 * <p>Each message is tracked by message_seq. Its first non-empty fragment fixes msg_type and length and
 * allocates one buffer of that length (after the limits are checked); later fragments that disagree on
 * msg_type or length are dropped before anything is allocated for them. Received bytes are kept as a
 * {@link TreeMap} of disjoint, non-touching ranges that merge on insert, so a fragment costs
 * O(log r + new bytes) amortised, for r ranges held: 10,000 overlapping one-byte fragments cost no
 * quadratic scan. Overlapping bytes are copied once (the first copy wins).
 *
 * <p><b>What a hostile peer can make it hold</b> (see {@link ReassemblyLimits}): message buffers of at
 * most {@code maxHeldBytes} bytes in total, none longer than {@code maxMessageLength}; at most
 * {@code maxRanges} range entries (a few dozen bytes each); at most {@code maxSeqAhead + 1} message
 * entries. A zero-length fragment of a non-empty message creates no state; a fragment for a message_seq
 * already released or too far ahead creates none either. Nothing a peer sends throws.
 *
 * <p>Signals: {@link Offer#OLD_MESSAGE} means the peer retransmitted a message already released — the
 * flight layer reads it as "the peer retransmitted its previous flight" ({@link Flight#onPeerRetransmission}).
 *
 * <p>Not thread-safe; one per connection.
 */
public final class Reassembler {
    private static final byte[] EMPTY = new byte[0];

    /** What happened to an offered fragment. */
    public enum Offer {
        /** Stored: it brought new bytes (or created a complete empty message). */
        NEW_BYTES,
        /** Consistent but brought nothing new: a duplicate, an overlap already held, or zero-length. */
        NO_NEW_BYTES,
        /** Dropped: its message_seq was already released; the peer is retransmitting. */
        OLD_MESSAGE,
        /** Dropped: its message_seq is more than {@code maxSeqAhead} beyond the next expected. */
        TOO_FAR_AHEAD,
        /** Dropped: its msg_type or length disagrees with earlier fragments of its message_seq. */
        INCONSISTENT,
        /** Dropped: accepting it would exceed the message length, held bytes or range limit. */
        OVER_LIMIT;

        /** {@return true when the fragment was consistent with what is held (stored or redundant)} */
        public boolean accepted() {
            return this == NEW_BYTES || this == NO_NEW_BYTES;
        }
    }

    /** One message being joined. */
    private static final class Partial {
        final int type;
        final int length;
        final byte[] buf;
        /**
         * Received ranges, start to end (exclusive); disjoint and never touching. Null for a message that
         * arrived whole (the usual case: no range ever goes in, so no map is made for it).
         */
        final TreeMap<Integer, Integer> ranges;
        int covered;

        Partial(int type, int length, byte[] buf, boolean whole) {
            this.type = type;
            this.length = length;
            this.buf = buf;
            this.ranges = whole ? null : new TreeMap<>();
        }

        boolean complete() {
            return covered == length;
        }
    }

    private final ReassemblyLimits limits;
    private final Map<Integer, Partial> messages = new HashMap<>();
    private int nextSeq;
    private long heldBytes;
    private int heldRanges;
    private long dropped;

    /**
     * A reassembler expecting message_seq 0 first.
     *
     * @param limits the bounds on what a peer can make it hold
     */
    public Reassembler(ReassemblyLimits limits) {
        this(limits, 0);
    }

    /**
     * A reassembler expecting {@code firstSeq} first; a server that answered a HelloVerifyRequest
     * statelessly starts at the verified ClientHello's message_seq (RFC 6347 §4.2.2).
     *
     * @param limits the bounds on what a peer can make it hold
     * @param firstSeq the message_seq expected first
     */
    public Reassembler(ReassemblyLimits limits, int firstSeq) {
        this.limits = Objects.requireNonNull(limits, "limits");
        if ((firstSeq & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("firstSeq " + firstSeq);
        }
        this.nextSeq = firstSeq;
    }

    /**
     * Takes one fragment; never throws for peer input.
     *
     * @param f a fragment from the peer
     * @return what became of it: new bytes, a duplicate, or a drop with its reason
     */
    public Offer offer(HandshakeFragment f) {
        Offer result = place(f);
        if (!result.accepted()) {
            dropped++;
        }
        return result;
    }

    private Offer place(HandshakeFragment f) {
        int seq = f.messageSeq();
        if (seq < nextSeq) {
            return Offer.OLD_MESSAGE;
        }
        if (seq - nextSeq > limits.maxSeqAhead()) {
            return Offer.TOO_FAR_AHEAD;
        }
        Partial p = messages.get(seq);
        if (p != null) {
            if (p.type != f.msgType() || p.length != f.length()) {
                return Offer.INCONSISTENT;
            }
            return insert(p, f);
        }
        if (f.length() > limits.maxMessageLength()) {
            return Offer.OVER_LIMIT;
        }
        if (f.fragmentLength() == 0 && f.length() != 0) {
            return Offer.NO_NEW_BYTES;
        }
        if (heldBytes + f.length() > limits.maxHeldBytes()) {
            return Offer.OVER_LIMIT;
        }
        if (f.isWholeMessage()) {
            // The common case: keep the fragment's own array, no copy and no ranges.
            Partial whole = new Partial(f.msgType(), f.length(), f.length() == 0 ? EMPTY : f.body(), true);
            whole.covered = f.length();
            messages.put(seq, whole);
            heldBytes += f.length();
            return Offer.NEW_BYTES;
        }
        if (heldRanges >= limits.maxRanges()) {
            return Offer.OVER_LIMIT;
        }
        p = new Partial(f.msgType(), f.length(), new byte[f.length()], false);
        messages.put(seq, p);
        heldBytes += f.length();
        return insert(p, f);
    }

    /**
     * Adds {@code f}'s bytes to {@code p}, merging ranges. Each range is inserted once and removed at most
     * once, and each byte is copied at most once, so the cost is amortised O(log r + new bytes).
     */
    private Offer insert(Partial p, HandshakeFragment f) {
        int start = f.fragmentOffset();
        int end = start + f.fragmentLength();
        if (start == end || p.complete()) {
            return Offer.NO_NEW_BYTES;
        }
        Map.Entry<Integer, Integer> below = p.ranges.floorEntry(start);
        boolean joinsBelow = below != null && below.getValue() >= start;
        if (joinsBelow && below.getValue() >= end) {
            return Offer.NO_NEW_BYTES;
        }
        Integer aboveStart = p.ranges.ceilingKey(start);
        boolean joinsAbove = aboveStart != null && aboveStart <= end;
        if (!joinsBelow && !joinsAbove && heldRanges >= limits.maxRanges()) {
            return Offer.OVER_LIMIT;
        }
        int mergedStart = start;
        int mergedEnd = end;
        int cursor = start;
        if (joinsBelow) {
            mergedStart = below.getKey();
            cursor = below.getValue();
            p.ranges.remove(below.getKey());
            heldRanges--;
        }
        byte[] body = f.body();
        int added = 0;
        Map.Entry<Integer, Integer> next = p.ranges.ceilingEntry(cursor);
        while (next != null && next.getKey() <= end) {
            added += copy(body, start, p.buf, cursor, next.getKey());
            cursor = Math.max(cursor, next.getValue());
            mergedEnd = Math.max(mergedEnd, next.getValue());
            p.ranges.remove(next.getKey());
            heldRanges--;
            next = p.ranges.higherEntry(cursor);
        }
        added += copy(body, start, p.buf, cursor, end);
        p.ranges.put(mergedStart, mergedEnd);
        heldRanges++;
        p.covered += added;
        if (p.complete()) {
            heldRanges -= p.ranges.size();
            p.ranges.clear();
        }
        return Offer.NEW_BYTES;
    }

    /** Copies message positions [from, to) out of a fragment body that starts at {@code bodyStart}. */
    private static int copy(byte[] body, int bodyStart, byte[] buf, int from, int to) {
        if (to <= from) {
            return 0;
        }
        System.arraycopy(body, from - bodyStart, buf, from, to - from);
        return to - from;
    }

    /** {@return true when the next expected message is complete and {@link #poll()} will return it} */
    public boolean hasMessage() {
        Partial p = messages.get(nextSeq);
        return p != null && p.complete();
    }

    /** {@return the next expected message if it is complete (and then expects the one after), else null} */
    public RawMessage poll() {
        Partial p = messages.get(nextSeq);
        if (p == null || !p.complete()) {
            return null;
        }
        messages.remove(nextSeq);
        heldBytes -= p.length;
        RawMessage m = new RawMessage(p.type, nextSeq, p.buf);
        nextSeq++;
        return m;
    }

    /** {@return the message_seq that {@link #poll()} releases next} */
    public int nextExpectedSeq() {
        return nextSeq;
    }

    /** {@return message-buffer bytes held now (partial and complete-but-unreleased messages)} */
    public long heldBytes() {
        return heldBytes;
    }

    /** {@return received-range entries held now over all partial messages} */
    public int heldRanges() {
        return heldRanges;
    }

    /** {@return messages (partial or complete) held now} */
    public int heldMessages() {
        return messages.size();
    }

    /** {@return fragments dropped so far (every result but NEW_BYTES and NO_NEW_BYTES)} */
    public long droppedCount() {
        return dropped;
    }
}
