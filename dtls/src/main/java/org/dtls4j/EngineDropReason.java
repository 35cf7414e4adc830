package org.dtls4j;

/**
 * Why a {@link DtlsConnection} discarded an authenticated record that the record layer passed up (the
 * record layer's own drops are counted by {@link org.dtls4j.record.DropReason}).
 */
public enum EngineDropReason {
    /** application_data before this side's handshake completed (e.g. after a lost Finished). */
    EARLY_APPLICATION_DATA,
    /** An alert in an epoch older than the current read epoch: possibly forged once keys exist. */
    STALE_EPOCH_ALERT,
    /**
     * An epoch-0 (unauthenticated) alert during the handshake that cannot be the peer's answer to our
     * flight: nothing sent yet, or a sequence number not newer than the peer's last epoch-0 record or too
     * far beyond the latest one either side used. Forged, or too stale to act on.
     */
    UNTRUSTED_ALERT,
    /** A content type the engine does not handle (heartbeat). */
    UNHANDLED_CONTENT_TYPE,
    /** A record or datagram after the connection closed or failed. */
    AFTER_CLOSE
}
