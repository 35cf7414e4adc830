package org.dtls4j.wire;

import java.util.Objects;

/**
 * The one failure type of dtls4j: every protocol error carries the alert that the connection sends
 * (or received) for it. Parsing throws it with {@link AlertDescription#DECODE_ERROR}; nothing a peer
 * sends surfaces as an unchecked exception.
 */
public class DtlsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The alert sent, or received when {@link #receivedFromPeer}. */
    private final AlertDescription alert;
    /** Whether the peer sent the alert. */
    private final boolean receivedFromPeer;

    /**
     * A failure that sends {@code alert}.
     *
     * @param alert the alert to send
     * @param message what went wrong, for logs (no secrets)
     */
    public DtlsException(AlertDescription alert, String message) {
        this(alert, message, null, false);
    }

    /**
     * A failure that sends {@code alert}, caused by {@code cause}.
     *
     * @param alert the alert to send
     * @param message what went wrong, for logs (no secrets)
     * @param cause the underlying exception
     */
    public DtlsException(AlertDescription alert, String message, Throwable cause) {
        this(alert, message, cause, false);
    }

    /**
     * For subclasses: any failure.
     *
     * @param alert the alert sent or received
     * @param message what went wrong, for logs (no secrets)
     * @param cause the underlying exception, or null
     * @param receivedFromPeer whether the peer sent {@code alert}
     */
    protected DtlsException(AlertDescription alert, String message, Throwable cause, boolean receivedFromPeer) {
        super(message, cause);
        this.alert = Objects.requireNonNull(alert, "alert");
        this.receivedFromPeer = receivedFromPeer;
    }

    private DtlsException(AlertDescription alert, String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
        this.alert = Objects.requireNonNull(alert, "alert");
        this.receivedFromPeer = false;
    }

    /**
     * A failure without a stack trace, for paths a peer can drive at line rate (a flood of forged
     * records): the record layer drops and counts these, so the trace would only cost a stack walk each.
      *
     * @param alert the alert to send
     * @param message what went wrong
     * @return the failure
     */
    public static DtlsException withoutStackTrace(AlertDescription alert, String message) {
        return new DtlsException(alert, message, false);
    }

    /**
     * {@return a decode_error: the peer sent bytes that do not parse}
     *
     * @param message what did not parse
     */
    public static DtlsException decodeError(String message) {
        return new DtlsException(AlertDescription.DECODE_ERROR, message);
    }

    /**
     * {@return the failure that a fatal alert from the peer causes on this side}
     *
     * @param alert the peer's fatal alert
     */
    public static DtlsException fromPeerAlert(AlertDescription alert) {
        return new DtlsException(alert, "peer sent fatal alert " + alert, null, true);
    }

    /** {@return the alert this failure sends, or the one the peer sent when {@link #receivedFromPeer()}} */
    public AlertDescription alert() {
        return alert;
    }

    /** {@return true when the peer's fatal alert caused this failure, so no alert is sent back} */
    public boolean receivedFromPeer() {
        return receivedFromPeer;
    }

    @Override
    public String getMessage() {
        return alert + ": " + super.getMessage();
    }
}
