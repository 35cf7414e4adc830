package org.dtls4j;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * The JDK Flight Recorder mirror of {@link DtlsEvent}: {@code jcmd <pid> JFR.start} records them with no
 * setting to change (enabled, no threshold, no stack traces, which would cost more than the event).
 * Each event is built only when its type is enabled in a running recording, so without JFR the engine
 * pays one static read per event site and never loads the event classes.
 */
final class JfrEvents {
    private JfrEvents() {
    }

    /**
     * Whether a running recording wants {@link DatagramDropped}: asked per datagram, so without JFR it is one
     * static read ({@link FlightRecorder#isInitialized()}); the event type is looked up only once JFR is up,
     * because that lookup costs JFR's own start-up (a few hundred milliseconds).
     */
    static boolean dropsRecorded() {
        return FlightRecorder.isInitialized() && DropType.TYPE.isEnabled();
    }

    /** Loaded on first use, after JFR started. */
    private static final class DropType {
        static final EventType TYPE = EventType.getEventType(DatagramDropped.class);
    }

    /** Commits the JFR twin of {@code event} if a recording wants it. */
    static void emit(DtlsConnection c, DtlsEvent event) {
        if (!FlightRecorder.isInitialized()) {
            // No recording ever ran, so none wants it; and loading an event class before JFR is up costs
            // its start-up (about 0.2 s on JDK 17), which a process that never records should not pay.
            return;
        }
        if (event instanceof DtlsEvent.HandshakeStarted e) {
            HandshakeStarted j = new HandshakeStarted();
            if (j.shouldCommit()) {
                j.peer = String.valueOf(e.peer());
                j.client = e.client();
                j.resuming = e.resuming();
                j.commit();
            }
        } else if (event instanceof DtlsEvent.HandshakeCompleted e) {
            HandshakeCompleted j = new HandshakeCompleted();
            if (j.shouldCommit()) {
                j.peer = String.valueOf(e.peer());
                j.client = c.isClient();
                j.suite = e.suite().name();
                j.handshakeDuration = e.duration().toNanos();
                j.retransmissions = e.retransmissions();
                j.resumed = e.resumed();
                j.commit();
            }
        } else if (event instanceof DtlsEvent.HandshakeFailed e) {
            HandshakeFailed j = new HandshakeFailed();
            if (j.shouldCommit()) {
                j.peer = String.valueOf(e.peer());
                j.client = c.isClient();
                j.outcome = e.outcome().name();
                j.alert = e.alert() != null ? e.alert().toString() : null;
                j.handshakeDuration = e.duration().toNanos();
                j.retransmissions = e.retransmissions();
                j.commit();
            }
        } else if (event instanceof DtlsEvent.AlertSent e) {
            commitAlert(new AlertSent(), e.peer(), e.level().toString(), e.description().toString());
        } else if (event instanceof DtlsEvent.AlertReceived e) {
            commitAlert(new AlertReceived(), e.peer(), e.level().toString(), e.description().toString());
        } else if (event instanceof DtlsEvent.DatagramDropped e) {
            DatagramDropped j = new DatagramDropped();
            if (j.shouldCommit()) {
                j.peer = String.valueOf(e.peer());
                j.reason = e.reason().name();
                j.records = e.records();
                j.commit();
            }
        } else if (event instanceof DtlsEvent.AddressChanged e) {
            AddressChanged j = new AddressChanged();
            if (j.shouldCommit()) {
                j.peer = String.valueOf(e.peer());
                j.previous = String.valueOf(e.previous());
                j.commit();
            }
        }
    }

    private static void commitAlert(AlertEvent j, Object peer, String level, String description) {
        if (j.shouldCommit()) {
            j.peer = String.valueOf(peer);
            j.level = level;
            j.description = description;
            j.commit();
        }
    }

    @Name("org.dtls4j.HandshakeStarted")
    @Label("DTLS Handshake Started")
    @Category({"dtls4j", "Handshake"})
    @Enabled(true)
    @StackTrace(false)
    @Threshold("0 ms")
    static final class HandshakeStarted extends Event {
        @Label("Peer")
        String peer;
        @Label("Client")
        boolean client;
        @Label("Resuming")
        boolean resuming;
    }

    @Name("org.dtls4j.HandshakeCompleted")
    @Label("DTLS Handshake Completed")
    @Category({"dtls4j", "Handshake"})
    @Enabled(true)
    @StackTrace(false)
    @Threshold("0 ms")
    static final class HandshakeCompleted extends Event {
        @Label("Peer")
        String peer;
        @Label("Client")
        boolean client;
        @Label("Cipher Suite")
        String suite;
        @Label("Handshake Duration")
        @Description("From start to completion on the caller's clock")
        @Timespan(Timespan.NANOSECONDS)
        long handshakeDuration;
        @Label("Retransmissions")
        int retransmissions;
        @Label("Resumed")
        boolean resumed;
    }

    @Name("org.dtls4j.HandshakeFailed")
    @Label("DTLS Handshake Failed")
    @Category({"dtls4j", "Handshake"})
    @Enabled(true)
    @StackTrace(false)
    @Threshold("0 ms")
    static final class HandshakeFailed extends Event {
        @Label("Peer")
        String peer;
        @Label("Client")
        boolean client;
        @Label("Outcome")
        String outcome;
        @Label("Alert")
        String alert;
        @Label("Handshake Duration")
        @Timespan(Timespan.NANOSECONDS)
        long handshakeDuration;
        @Label("Retransmissions")
        int retransmissions;
    }

    /** The fields both alert events share. */
    abstract static class AlertEvent extends Event {
        @Label("Peer")
        String peer;
        @Label("Level")
        String level;
        @Label("Description")
        String description;
    }

    @Name("org.dtls4j.AlertSent")
    @Label("DTLS Alert Sent")
    @Category({"dtls4j", "Alert"})
    @Enabled(true)
    @StackTrace(false)
    @Threshold("0 ms")
    static final class AlertSent extends AlertEvent {
    }

    @Name("org.dtls4j.AlertReceived")
    @Label("DTLS Alert Received")
    @Category({"dtls4j", "Alert"})
    @Enabled(true)
    @StackTrace(false)
    @Threshold("0 ms")
    static final class AlertReceived extends AlertEvent {
    }

    @Name("org.dtls4j.DatagramDropped")
    @Label("DTLS Records Dropped")
    @Description("Records of one datagram dropped for one reason (counted whether or not this is enabled)")
    @Category({"dtls4j", "Record Layer"})
    @Enabled(true)
    @StackTrace(false)
    @Threshold("0 ms")
    static final class DatagramDropped extends Event {
        @Label("Peer")
        String peer;
        @Label("Reason")
        String reason;
        @Label("Records")
        long records;
    }

    @Name("org.dtls4j.AddressChanged")
    @Label("DTLS Peer Address Changed")
    @Description("A connection's peer moved to a new address under its Connection ID (RFC 9146 §6)")
    @Category({"dtls4j", "Connection"})
    @Enabled(true)
    @StackTrace(false)
    @Threshold("0 ms")
    static final class AddressChanged extends Event {
        @Label("Peer")
        String peer;
        @Label("Previous Address")
        String previous;
    }
}
