package org.dtls4j.record;

import org.dtls4j.wire.DtlsException;

/** Test support: what {@link Records#unprotect} hands each record to (the engine pulls a cursor instead). */
@FunctionalInterface
interface RecordHandler {
    void onRecord(int type, int epoch, long sequenceNumber, byte[] payload, int offset, int length)
            throws DtlsException;
}
