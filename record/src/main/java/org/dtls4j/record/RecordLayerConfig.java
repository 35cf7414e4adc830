package org.dtls4j.record;

import java.util.concurrent.TimeUnit;
import org.dtls4j.record.layer.RecordLayer;

/**
 * The bounds and policies of one {@link RecordLayer}. Every buffer a peer can make the layer fill is
 * bounded here: the replay bitmap ({@code replayWindowSize} bits per read epoch), the early next-epoch
 * records ({@code maxHeldRecords} and {@code maxHeldBytes}), and the previous epoch's read state
 * ({@code previousEpochRetentionNanos}).
 *
 * @param replayWindowSize sequence numbers the anti-replay window covers, 1..{@value ReplayWindow#MAX_SIZE}
 *     (RFC 6347 §4.1.2.6; default 64)
 * @param maxHeldRecords records of the next epoch kept while its keys are missing (0 disables holding)
 * @param maxHeldBytes bytes those records may occupy together
 * @param previousEpochRetentionNanos how long the previous read epoch still opens records after the next
 *     one activates, so reordered retransmissions are not lost (RFC 6347 §4.1: the previous epoch's state
 *     is kept "for the duration of the default MSL")
 * @param badMacLimit records failing authentication after which the connection must close; 0 = no limit
 *     (the default, as in mbedTLS's badmac_limit)
 * @param maxPlaintext the largest plaintext we accept, 64..2^14: what we advertise as record_size_limit
 *     (RFC 8449); larger peer records are dropped
 * @param cidPaddingBlock tls12_cid records pad their inner plaintext to a multiple of this many bytes
 *     (RFC 9146 §4); 0 or 1 = no padding
 */
public record RecordLayerConfig(int replayWindowSize, int maxHeldRecords, int maxHeldBytes,
                                long previousEpochRetentionNanos, int badMacLimit, int maxPlaintext,
                                int cidPaddingBlock) {
    /** 2^14: the plaintext limit of RFC 6347 §4.1 (and of RFC 5246 §6.2.1). */
    public static final int MAX_PLAINTEXT = 1 << 14;
    /** Room RFC 8449 §4 lets a record limit have at least. */
    public static final int MIN_PLAINTEXT = 64;

    private static final RecordLayerConfig DEFAULTS = builder().build();

    /**
     * Checks every bound against its allowed range.
     *
     * @param replayWindowSize sequence numbers the anti-replay window covers, 1..{@value ReplayWindow#MAX_SIZE} (RFC 6347 §4.1.2.6; default 64)
     * @param maxHeldRecords records of the next epoch kept while its keys are missing (0 disables holding)
     * @param maxHeldBytes bytes those records may occupy together
     * @param previousEpochRetentionNanos how long the previous read epoch still opens records after the next one activates, so reordered retransmissions are not lost (RFC 6347 §4.1: the previous epoch's state is kept "for the duration of the default MSL")
     * @param badMacLimit records failing authentication after which the connection must close; 0 = no limit (the default, as in mbedTLS's badmac_limit)
     * @param maxPlaintext the largest plaintext we accept, 64..2^14: what we advertise as record_size_limit (RFC 8449); larger peer records are dropped
     * @param cidPaddingBlock tls12_cid records pad their inner plaintext to a multiple of this many bytes (RFC 9146 §4); 0 or 1 = no padding
     */
    public RecordLayerConfig {
        if (replayWindowSize < 1 || replayWindowSize > ReplayWindow.MAX_SIZE) {
            throw new IllegalArgumentException("replayWindowSize must be 1.." + ReplayWindow.MAX_SIZE);
        }
        if (maxHeldRecords < 0 || maxHeldRecords > 1024) {
            throw new IllegalArgumentException("maxHeldRecords must be 0..1024");
        }
        if (maxHeldBytes < 0 || maxHeldBytes > (1 << 24)) {
            throw new IllegalArgumentException("maxHeldBytes must be 0..2^24");
        }
        if (previousEpochRetentionNanos < 0) {
            throw new IllegalArgumentException("previousEpochRetentionNanos must not be negative");
        }
        if (badMacLimit < 0) {
            throw new IllegalArgumentException("badMacLimit must not be negative");
        }
        if (maxPlaintext < MIN_PLAINTEXT || maxPlaintext > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("maxPlaintext must be " + MIN_PLAINTEXT + "..2^14");
        }
        if (cidPaddingBlock < 0 || cidPaddingBlock > 256) {
            throw new IllegalArgumentException("cidPaddingBlock must be 0..256");
        }
    }

    /** {@return the defaults: window 64, 16 held records in 32 KiB, 2 minutes' retention (the MSL), no bad-MAC limit, 2^14 plaintext, no padding} */
    public static RecordLayerConfig defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder starting from the defaults} */
    public Builder toBuilder() {
        return new Builder().replayWindowSize(replayWindowSize).maxHeldRecords(maxHeldRecords)
                .maxHeldBytes(maxHeldBytes).previousEpochRetentionNanos(previousEpochRetentionNanos)
                .badMacLimit(badMacLimit).maxPlaintext(maxPlaintext).cidPaddingBlock(cidPaddingBlock);
    }

    /** Builds a {@link RecordLayerConfig}; the record's constructor validates. */
    public static final class Builder {
        private int replayWindowSize = ReplayWindow.DEFAULT_SIZE;
        private int maxHeldRecords = 16;
        private int maxHeldBytes = 32 * 1024;
        private long previousEpochRetentionNanos = TimeUnit.MINUTES.toNanos(2);
        private int badMacLimit;
        private int maxPlaintext = MAX_PLAINTEXT;
        private int cidPaddingBlock;

        private Builder() {
        }

        /**
         * Sets {@code replayWindowSize}.
         *
         * @param v sequence numbers the window covers, 1..{@value ReplayWindow#MAX_SIZE}
         * @return this builder
         */
        public Builder replayWindowSize(int v) {
            replayWindowSize = v;
            return this;
        }

        /**
         * Sets {@code maxHeldRecords}.
         *
         * @param v next-epoch records kept while their keys are missing; 0 disables holding
         * @return this builder
         */
        public Builder maxHeldRecords(int v) {
            maxHeldRecords = v;
            return this;
        }

        /**
         * Sets {@code maxHeldBytes}.
         *
         * @param v bytes the held records may occupy together
         * @return this builder
         */
        public Builder maxHeldBytes(int v) {
            maxHeldBytes = v;
            return this;
        }

        /**
         * Sets {@code previousEpochRetentionNanos}.
         *
         * @param v how long the previous read epoch still opens records
         * @return this builder
         */
        public Builder previousEpochRetentionNanos(long v) {
            previousEpochRetentionNanos = v;
            return this;
        }

        /**
         * Sets {@code badMacLimit}.
         *
         * @param v records failing authentication before the connection must close; 0 = no limit
         * @return this builder
         */
        public Builder badMacLimit(int v) {
            badMacLimit = v;
            return this;
        }

        /**
         * Sets {@code maxPlaintext}.
         *
         * @param v the largest plaintext accepted, {@value #MIN_PLAINTEXT}..{@value #MAX_PLAINTEXT}
         * @return this builder
         */
        public Builder maxPlaintext(int v) {
            maxPlaintext = v;
            return this;
        }

        /**
         * Sets {@code cidPaddingBlock}.
         *
         * @param v the padding block of tls12_cid inner plaintexts; 0 or 1 = no padding
         * @return this builder
         */
        public Builder cidPaddingBlock(int v) {
            cidPaddingBlock = v;
            return this;
        }

        /**
         * Builds the config.
         *
         * @return the config
         * @throws IllegalArgumentException when a value is out of its range
         */
        public RecordLayerConfig build() {
            return new RecordLayerConfig(replayWindowSize, maxHeldRecords, maxHeldBytes,
                    previousEpochRetentionNanos, badMacLimit, maxPlaintext, cidPaddingBlock);
        }
    }
}
