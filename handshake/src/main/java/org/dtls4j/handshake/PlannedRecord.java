package org.dtls4j.handshake;

import java.util.Arrays;
import java.util.Objects;

/**
 * One plaintext record the {@link Fragmenter} planned: the epoch whose keys protect it, its content
 * type and its payload. The engine protects it through the record layer when (re)sending, so each
 * retransmission gets a fresh record sequence number (RFC 6347 §4.2.4).
 */
public record PlannedRecord(int epoch, int contentType, byte[] payload) {
    /**
     * Checks that there is a payload.
     *
     * @param epoch the epoch whose keys protect the record
     * @param contentType the record content type
     * @param payload the plaintext payload, not null; not copied
     */
    public PlannedRecord {
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlannedRecord r && r.epoch == epoch && r.contentType == contentType
                && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return (epoch * 31 + contentType) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "PlannedRecord(epoch=" + epoch + ", type=" + contentType + ", " + payload.length + " bytes)";
    }
}
