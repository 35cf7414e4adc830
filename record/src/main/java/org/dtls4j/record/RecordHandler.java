package org.dtls4j.record;

import org.dtls4j.wire.DtlsException;

/**
 * Receives each record {@link RecordLayer#unprotect} opened, in datagram order. The payload slice is
 * only valid until the call returns (it lives in the datagram or in the layer's reused plaintext
 * buffer); copy what must outlive it. The handler may install read keys (a ChangeCipherSpec) while it
 * runs: later records of the same datagram, and any held next-epoch records, then open with them.
 */
@FunctionalInterface
public interface RecordHandler {
    /**
     * One authenticated (or, in epoch 0, clear) record.
     *
     * @param type the real content type (for tls12_cid records, the one inside the ciphertext)
     * @param epoch the record's epoch
     * @param sequenceNumber the record's 48-bit sequence number
     * @param payload the buffer holding the plaintext (valid only during the call)
     * @param offset where the plaintext starts in {@code payload}
     * @param length the plaintext's length
     * @throws DtlsException when the engine fails the connection; it propagates out of unprotect and
     *     the rest of the datagram is not processed
     */
    void onRecord(int type, int epoch, long sequenceNumber, byte[] payload, int offset, int length)
            throws DtlsException;
}
