package org.dtls4j;

import java.util.Arrays;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;

/**
 * The listener calls a {@link DtlsConnection} owes, queued while it works on a datagram, a timer or a
 * send and handed to the listener in order once that work is done: application code never runs while the
 * connection is between two records, so a listener that sends, closes or throws cannot pull the ground
 * from under the record walk. Application data is queued as slices of the buffer it was opened in (the
 * caller's datagram, or the record layer's held-record arena), valid until the connection's call returns;
 * queueing it allocates nothing once the arrays have grown to the datagram's record count.
 */
final class PendingEvents {
    private static final byte APPLICATION_DATA = 0;
    private static final byte HANDSHAKE_COMPLETE = 1;
    private static final byte ALERT = 2;
    private static final byte CLOSED = 3;
    private static final byte TRACE = 4;
    private static final byte EVENT = 5;

    /**
     * Room for two events to start with: a datagram usually carries one record, and every connection keeps
     * these arrays for its life (8 each cost 100,000 connections another 7 MB); they double when needed.
     */
    private byte[] kinds = new byte[2];
    private Object[] refs = new Object[2];
    private int[] offsets = new int[2];
    private int[] lengths = new int[2];
    private int head;
    private int size;
    private boolean delivering;

    /** What delivery needs from the connection: its listener and its rule for a listener that throws. */
    interface Target {
        /** {@return the connection the events belong to} */
        DtlsConnection connection();

        /** {@return the listener} */
        DtlsListener listener();

        /**
         * A listener call other than onEvent/onClosed threw: the connection fails with internal_error.
         *
         * @param e what the listener threw
         */
        void listenerFailed(RuntimeException e);

        /**
         * onEvent or onClosed threw: logged, nothing else (observers must not change the connection).
         *
         * @param e what the listener threw
         * @param closing true for onClosed
         */
        void observerFailed(RuntimeException e, boolean closing);

        /** The queued application data was not delivered: a listener failure ended the connection first. */
        void undelivered();
    }

    void applicationData(byte[] buf, int off, int len) {
        add(APPLICATION_DATA, buf, off, len);
    }

    void handshakeComplete(HandshakeResult result) {
        add(HANDSHAKE_COMPLETE, result, 0, 0);
    }

    void alert(AlertLevel level, AlertDescription description) {
        add(ALERT, description, level.code(), 0);
    }

    void closed(DtlsException cause) {
        add(CLOSED, cause, 0, 0);
    }

    void trace(String event) {
        add(TRACE, event, 0, 0);
    }

    void event(DtlsEvent event) {
        add(EVENT, event, 0, 0);
    }

    /** {@return true while the listener is being called, so a nested call to the connection can tell} */
    boolean isDelivering() {
        return delivering;
    }

    private void add(byte kind, Object ref, int off, int len) {
        if (size == kinds.length) {
            int n = size * 2;
            kinds = Arrays.copyOf(kinds, n);
            refs = Arrays.copyOf(refs, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
        }
        kinds[size] = kind;
        refs[size] = ref;
        offsets[size] = off;
        lengths[size] = len;
        size++;
    }

    /**
     * Calls the listener for every queued event, in order, including those queued by the calls themselves.
     * A nested call (the listener made the connection deliver again) returns at once: the outer loop
     * reaches what it queued. After a listener failure, the data and alerts still queued are not delivered.
     */
    void deliver(Target t) {
        if (delivering) {
            return;
        }
        delivering = true;
        boolean failed = false;
        try {
            while (head < size) {
                int i = head++;
                Object ref = refs[i];
                refs[i] = null;
                failed |= deliverOne(t, kinds[i], ref, offsets[i], lengths[i], failed);
            }
        } finally {
            head = 0;
            size = 0;
            delivering = false;
        }
    }

    /** Delivers one event; true when a listener call failed the connection. */
    private static boolean deliverOne(Target t, byte kind, Object ref, int off, int len, boolean failed) {
        DtlsConnection c = t.connection();
        DtlsListener l = t.listener();
        if (kind == EVENT || kind == CLOSED) {
            try {
                if (kind == EVENT) {
                    l.onEvent(c, (DtlsEvent) ref);
                } else {
                    l.onClosed(c, (DtlsException) ref);
                }
            } catch (RuntimeException e) {
                t.observerFailed(e, kind == CLOSED);
            }
            return false;
        }
        if (failed && kind != TRACE) {
            if (kind == APPLICATION_DATA) {
                t.undelivered();
            }
            return false;
        }
        try {
            switch (kind) {
                case APPLICATION_DATA -> l.onApplicationData(c, (byte[]) ref, off, len);
                case HANDSHAKE_COMPLETE -> l.onHandshakeComplete(c, (HandshakeResult) ref);
                case ALERT -> l.onAlert(c, AlertLevel.of(off), (AlertDescription) ref);
                default -> l.onTrace(c, (String) ref);
            }
            return false;
        } catch (RuntimeException e) {
            t.listenerFailed(e);
            return true;
        }
    }
}
