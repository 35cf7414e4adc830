package org.dtls4j.handshake;

import java.util.List;

/**
 * The records that go out together in one datagram, in order. {@code wireSize} is what the records
 * occupy once protected, as computed from the caller's per-epoch record overhead; it never exceeds the
 * budget the plan was made for.
 */
public record PlannedDatagram(List<PlannedRecord> records, int wireSize) {
    /**
     * Copies the record list.
     *
     * @param records the records in sending order, copied
     * @param wireSize the bytes the records take once protected, at most the planned budget
     */
    public PlannedDatagram {
        records = List.copyOf(records);
    }
}
