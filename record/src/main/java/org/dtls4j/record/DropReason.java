package org.dtls4j.record;

import org.dtls4j.record.layer.RecordLayer;

/**
 * Why the record layer silently discarded a record (RFC 6347 §4.1.2.7: invalid records are dropped,
 * not answered with alerts). Each reason has its own counter in {@link RecordLayer#drops(DropReason)}.
 */
public enum DropReason {
    /** Shorter than a record header, a length field that runs past the datagram (the rest of the datagram is lost too), or a protected fragment shorter than its AEAD overhead. */
    MALFORMED,
    /** An outer or inner content type DTLS 1.2 does not define. */
    UNKNOWN_CONTENT_TYPE,
    /** A record version other than DTLS 1.2, or DTLS 1.0 outside the epoch-0 handshake/alert records of the first flights. */
    BAD_VERSION,
    /** An epoch ahead of the next one, or the next one while its keys are missing and the record could not be held. */
    UNKNOWN_EPOCH,
    /** An epoch older than the current one whose read state has been retired (or was never kept). */
    RETIRED_EPOCH,
    /** The AEAD tag did not verify (counted towards the bad-MAC limit). */
    AUTH_FAILED,
    /** A sequence number the replay window has already seen. */
    REPLAY,
    /** A sequence number left of the replay window. */
    TOO_OLD,
    /** A fragment longer than 2^14+512 (or our limit + 512), or a plaintext longer than our limit (RFC 6347 §4.1, RFC 8449). */
    OVERSIZED,
    /** A next-epoch record that arrived early while the held-record bounds were already full. */
    HELD_OVERFLOW,
    /** A tls12_cid record when no CID was negotiated, with another CID, in epoch 0, or a plain record where a CID was expected (RFC 9146). */
    CID_MISMATCH,
    /** A tls12_cid record whose decrypted inner plaintext is all zeros: no real content type (RFC 9146 §4). */
    EMPTY_INNER_PLAINTEXT,
    /** application_data in epoch 0, which would be unauthenticated (RFC 6347 §4.1: application data follows the first ChangeCipherSpec). */
    CLEARTEXT_APPLICATION_DATA,
    /** Anything received after the bad-MAC limit tripped: the connection must close (see {@link RecordLayer#isBadMacLimitExceeded()}). */
    CLOSED
}
