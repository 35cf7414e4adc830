package org.dtls4j.handshake.config;

import org.dtls4j.handshake.HandshakeFragment;

/**
 * The bounds the handshake reassembler keeps whatever the peer sends.
 *
 * @param maxMessageLength the largest handshake message body accepted (a fragment claiming more is dropped)
 * @param maxHeldBytes the most message-buffer bytes held at once, over complete-but-unreleased and
 *        partial messages together; buffers are charged in full when allocated
 * @param maxSeqAhead how far beyond the next expected message_seq a fragment may be and still be held
 *        (0 = only the next expected message)
 * @param maxRanges the most disjoint received byte ranges tracked over all partial messages; a fragment
 *        that would open a new range beyond this is dropped (fragments that extend or join ranges never are)
 */
public record ReassemblyLimits(int maxMessageLength, long maxHeldBytes, int maxSeqAhead, int maxRanges) {

    /**
     * Checks every bound against its range.
     *
     * @param maxMessageLength the largest handshake message body accepted (a fragment claiming more is dropped)
     * @param maxHeldBytes the most message-buffer bytes held at once
     * @param maxSeqAhead how far beyond the next expected message_seq a fragment may be and still be held
     * @param maxRanges the most disjoint received byte ranges tracked over all partial messages
     */
    public ReassemblyLimits {
        if (maxMessageLength < 0 || maxMessageLength > HandshakeFragment.MAX_U24) {
            throw new IllegalArgumentException("maxMessageLength " + maxMessageLength);
        }
        if (maxHeldBytes < maxMessageLength) {
            throw new IllegalArgumentException("maxHeldBytes " + maxHeldBytes + " < maxMessageLength " + maxMessageLength);
        }
        if (maxSeqAhead < 0 || maxSeqAhead > 0xFFFF) {
            throw new IllegalArgumentException("maxSeqAhead " + maxSeqAhead);
        }
        if (maxRanges < 1) {
            throw new IllegalArgumentException("maxRanges " + maxRanges);
        }
    }

    /**
     * Defaults sized for DTLS 1.2 flights: messages up to 64 KiB (certificate chains), 128 KiB held,
     * 8 messages ahead (the longest flight, the server's flight 4, has 5 messages), 256 ranges.
     *
     * @return the default limits
     */
    public static ReassemblyLimits defaults() {
        return new ReassemblyLimits(64 * 1024, 128 * 1024, 8, 256);
    }
}
