package org.dtls4j.handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.Writer;

/**
 * Cuts a flight into datagrams that fit the path: the plan the engine protects and sends
 * (RFC 6347 §4.1.1.1, §4.2.3).
 *
 * <p>Packing choices, and why:
 * <ul>
 *   <li><b>One fragment per record.</b> RFC 6347 §4.2.3 allows several handshake messages in one record,
 *       but one fragment per record is what every stack accepts, keeps each record independently useful
 *       when a neighbour is lost, and costs only the record overhead (13 bytes in epoch 0) per message.
 *   <li><b>Several records per datagram.</b> Small messages of a flight (ServerHello, ServerKeyExchange,
 *       ServerHelloDone; ChangeCipherSpec and Finished) share datagrams, so a typical flight is one or
 *       two datagrams. Records of different epochs may share a datagram (ChangeCipherSpec in epoch N,
 *       Finished in epoch N+1).
 *   <li><b>No slivers.</b> A message that does not fit the rest of a datagram is split into it only when
 *       at least {@link #MIN_SPLIT} body bytes fit; otherwise it starts the next datagram.
 *   <li>A fragment never spans datagrams, and each record's payload stays within the record payload limit
 *       (2^14 by default, smaller under max_fragment_length or record_size_limit).
 * </ul>
 * The plan is plain data: it knows the record layer only through the caller's {@link RecordOverhead}.
 */
public final class Fragmenter {
    /** The default (and largest) plaintext of a record, RFC 5246 §6.2.1. */
    public static final int MAX_RECORD_PAYLOAD = 1 << 14;
    /** The smallest body piece worth splitting into a partly filled datagram. */
    public static final int MIN_SPLIT = 64;

    /** What one record costs on the wire beyond its plaintext in a given epoch (header + AEAD expansion). */
    @FunctionalInterface
    public interface RecordOverhead {
        /**
         * {@return bytes added to a record's plaintext payload in {@code epoch}: 13 header bytes plus AEAD overhead}
         *
         * @param epoch a write epoch
         */
        int bytes(int epoch);
    }

    private Fragmenter() {
    }

    /**
     * Plans a flight with the default record payload limit of 2^14.
     *
     * @param flight the flight's messages, in order
     * @param datagramBudget bytes one datagram may carry
     * @param overhead record overhead per epoch
     * @return the datagrams, each a list of records
     */
    public static List<PlannedDatagram> plan(List<FlightMessage> flight, int datagramBudget, RecordOverhead overhead) {
        return plan(flight, datagramBudget, overhead, MAX_RECORD_PAYLOAD);
    }

    /**
     * Plans a flight.
     *
     * @param flight the flight's messages in sending order
     * @param datagramBudget bytes one datagram may carry: PMTU minus IP and UDP headers
     * @param overhead the per-record wire overhead of each epoch
     * @param maxRecordPayload the largest plaintext one record may carry (2^14, or the negotiated limit)
     * @return the datagrams, in order; each within {@code datagramBudget}
     * @throws IllegalArgumentException if the budget cannot hold even one record of a message
     */
    public static List<PlannedDatagram> plan(List<FlightMessage> flight, int datagramBudget, RecordOverhead overhead,
            int maxRecordPayload) {
        Objects.requireNonNull(overhead, "overhead");
        if (datagramBudget <= 0 || maxRecordPayload <= HandshakeFragment.HEADER_LENGTH) {
            throw new IllegalArgumentException("datagram budget " + datagramBudget + ", record payload " + maxRecordPayload);
        }
        Packer p = new Packer(datagramBudget, overhead, maxRecordPayload);
        for (FlightMessage m : flight) {
            if (m instanceof FlightMessage.Handshake h) {
                p.addHandshake(h.epoch(), h.message());
            } else {
                p.addChangeCipherSpec(m.epoch());
            }
        }
        return p.finish();
    }

    /** The running state of one plan: finished datagrams and the one being filled. */
    private static final class Packer {
        private final int budget;
        private final RecordOverhead overhead;
        private final int maxRecordPayload;
        private final List<PlannedDatagram> done = new ArrayList<>();
        private List<PlannedRecord> current = new ArrayList<>();
        private int used;

        Packer(int budget, RecordOverhead overhead, int maxRecordPayload) {
            this.budget = budget;
            this.overhead = overhead;
            this.maxRecordPayload = maxRecordPayload;
        }

        private int recordOverhead(int epoch) {
            int o = overhead.bytes(epoch);
            if (o < 0) {
                throw new IllegalArgumentException("negative record overhead " + o + " for epoch " + epoch);
            }
            return o;
        }

        void addChangeCipherSpec(int epoch) {
            int need = recordOverhead(epoch) + 1;
            if (need > budget) {
                throw new IllegalArgumentException("datagram budget " + budget + " cannot hold a record of "
                        + need + " bytes");
            }
            if (used + need > budget) {
                flush(need);
            }
            current.add(new PlannedRecord(epoch, ContentType.CHANGE_CIPHER_SPEC,
                    new byte[] {FlightMessage.ChangeCipherSpec.PAYLOAD}));
            used += need;
        }

        void addHandshake(int epoch, RawMessage m) {
            int length = m.body().length;
            int perRecord = recordOverhead(epoch) + HandshakeFragment.HEADER_LENGTH;
            int offset = 0;
            while (true) {
                int left = length - offset;
                int room = Math.min(budget - used - perRecord, maxRecordPayload - HandshakeFragment.HEADER_LENGTH);
                boolean sliver = room < left && room < MIN_SPLIT;
                if (!current.isEmpty() && (room < 0 || (room == 0 && left > 0) || sliver)) {
                    flush(perRecord + 1);
                    continue;
                }
                if (room < 0 || (room == 0 && left > 0)) {
                    throw new IllegalArgumentException("datagram budget " + budget + " cannot hold a record of epoch "
                            + epoch + " (overhead " + perRecord + ")");
                }
                int n = Math.min(room, left);
                current.add(new PlannedRecord(epoch, ContentType.HANDSHAKE,
                        fragmentBytes(m, offset, n)));
                used += perRecord + n;
                offset += n;
                if (offset == length) {
                    return;
                }
            }
        }

        private static byte[] fragmentBytes(RawMessage m, int offset, int n) {
            byte[] fragment = new byte[HandshakeFragment.HEADER_LENGTH + n];
            Writer w = new Writer(fragment, 0);
            HandshakeFragment.writeHeader(w, m.msgType(), m.body().length, m.messageSeq(), offset, n);
            w.bytes(m.body(), offset, n);
            return fragment;
        }

        private void flush(int need) {
            if (current.isEmpty()) {
                throw new IllegalArgumentException("datagram budget " + budget + " cannot hold a record of "
                        + need + " bytes");
            }
            done.add(new PlannedDatagram(current, used));
            current = new ArrayList<>();
            used = 0;
        }

        List<PlannedDatagram> finish() {
            if (!current.isEmpty()) {
                done.add(new PlannedDatagram(current, used));
                current = new ArrayList<>();
                used = 0;
            }
            return List.copyOf(done);
        }
    }
}
