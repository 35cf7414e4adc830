package org.dtls4j.record;

import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * The write epoch has used up its 48-bit sequence numbers. RFC 6347 §4.1 forbids wrapping, so the
 * connection must be closed (or, in protocols that have it, rekeyed) before anything else is sent.
 */
public final class SequenceNumberExhaustedException extends DtlsException {
    private static final long serialVersionUID = 1L;

    /**
     * The failure for {@code epoch}, carrying internal_error.
     *
     * @param epoch the write epoch whose sequence numbers ran out
     */
    public SequenceNumberExhaustedException(int epoch) {
        super(AlertDescription.INTERNAL_ERROR, "sequence numbers of write epoch " + epoch + " are exhausted");
    }
}
