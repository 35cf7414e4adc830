package org.dtls4j.interop.statefuzz;

import java.util.List;
import org.dtls4j.testing.PeerEvent;
import org.dtls4j.wire.AlertLevel;

/**
 * What a server did in one misbehaviour scenario, classified for the table.
 *
 * @param completed the server's Finished arrived and verified (it accepted our flight)
 * @param alert the first alert it sent after the misbehaviour began ("fatal unexpected_message"), or null
 * @param marker the application data the scenario watches, or null
 * @param markerAccepted whether the server took that data
 * @param symbols everything it sent after the misbehaviour began, in order, retransmissions left out
 * @param retransmitted whether it retransmitted a flight after the misbehaviour began
 * @param notes what the server reported outside the wire
 */
record Outcome(boolean completed, String alert, String marker, boolean markerAccepted, List<String> symbols,
               boolean retransmitted, String notes) {

    static Outcome of(boolean completed, List<PeerEvent> events, String marker, boolean markerAccepted, String notes) {
        String alert = events.stream().filter(e -> e instanceof PeerEvent.Alert).map(e -> (PeerEvent.Alert) e)
                .findFirst().map(a -> (a.level() == AlertLevel.FATAL ? "fatal " : "warning ") + a.description().name())
                .orElse(null);
        List<String> symbols = events.stream().filter(e -> !(e instanceof PeerEvent.Handshake h && h.duplicate()))
                .map(PeerEvent::symbol).toList();
        boolean retransmitted = events.stream().anyMatch(e -> e instanceof PeerEvent.Handshake h && h.duplicate());
        return new Outcome(completed, alert, marker, markerAccepted, symbols, retransmitted, notes);
    }

    /** One table cell: handshake result, alert, data verdict, engine notes. */
    String summary() {
        StringBuilder sb = new StringBuilder(completed ? "completes" : "no completion");
        if (alert != null) {
            sb.append("; alert ").append(alert);
        } else if (!completed && retransmitted) {
            sb.append("; retransmits its flight");
        } else if (!completed && symbols.stream().allMatch(s -> s.equals("TIMEOUT"))) {
            sb.append("; silent");
        }
        if (marker != null) {
            sb.append(markerAccepted ? "; data accepted" : "; data dropped");
        }
        if (!notes.isEmpty()) {
            sb.append("; ").append(notes);
        }
        return sb.toString();
    }
}
