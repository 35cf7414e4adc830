package org.dtls4j.handshake.machine;

import java.security.MessageDigest;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * Proof that the peer's Finished matched the verify_data this side computed. Only {@link #check} makes
 * one, and the established state demands one, so no code path reaches it with the check skipped.
 */
public final class FinishedVerified {
    private FinishedVerified() {
    }

    /** Compares in constant time; a mismatch is decrypt_error (RFC 5246 §7.4.9). */
    static FinishedVerified check(byte[] expected, byte[] received) throws DtlsException {
        if (!MessageDigest.isEqual(expected, received)) {
            throw new DtlsException(AlertDescription.DECRYPT_ERROR, "peer Finished does not verify");
        }
        return new FinishedVerified();
    }
}
