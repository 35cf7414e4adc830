package org.dtls4j.handshake;

import java.util.List;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.record.SequenceNumberExhaustedException;

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

    /**
     * Protects the records with their epochs' keys into {@code out} from offset 0, each with the next
     * sequence number of its epoch (so a retransmission gets fresh ones, RFC 6347 §4.2.4).
     *
     * @param records the record layer holding the write epochs the records name
     * @param out the buffer, with room for {@link #wireSize()} bytes
     * @return the datagram's length
     * @throws SequenceNumberExhaustedException when an epoch has no sequence number left
     */
    public int protect(RecordLayer records, byte[] out) throws SequenceNumberExhaustedException {
        int pos = 0;
        for (PlannedRecord r : this.records) {
            byte[] p = r.payload();
            pos += records.protect(r.epoch(), r.contentType(), p, 0, p.length, out, pos);
        }
        return pos;
    }
}
