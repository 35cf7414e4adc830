package org.dtls4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;

/** A listener that records every event, for assertions. */
final class Recorder implements DtlsListener {
    final List<HandshakeResult> completed = new ArrayList<>();
    final List<byte[]> data = new ArrayList<>();
    final List<AlertDescription> warnings = new ArrayList<>();
    final List<String> traces = new ArrayList<>();
    final List<DtlsEvent> events = new ArrayList<>();
    /** Answer for {@link #wantsDropEvents()}: set before the connection is created. */
    boolean wantsDrops;
    /** Answer for {@link #wantsTraces()}: set before the connection is created. */
    boolean wantsTraces = true;
    int closedCount;
    DtlsException closedCause;
    DtlsConnection lastConnection;

    @Override
    public void onHandshakeComplete(DtlsConnection connection, HandshakeResult result) {
        lastConnection = connection;
        completed.add(result);
    }

    @Override
    public void onApplicationData(DtlsConnection connection, byte[] buf, int off, int len) {
        data.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void onAlert(DtlsConnection connection, AlertLevel level, AlertDescription description) {
        warnings.add(description);
    }

    @Override
    public void onClosed(DtlsConnection connection, DtlsException cause) {
        closedCount++;
        closedCause = cause;
    }

    @Override
    public void onTrace(DtlsConnection connection, String event) {
        traces.add(event);
    }

    /** Runs inside each {@link #onEvent} call, for tests that check what holds when an event arrives. */
    java.util.function.BiConsumer<DtlsConnection, DtlsEvent> onEventHook = (c, e) -> { };

    @Override
    public void onEvent(DtlsConnection connection, DtlsEvent event) {
        events.add(event);
        onEventHook.accept(connection, event);
    }

    @Override
    public boolean wantsDropEvents() {
        return wantsDrops;
    }

    @Override
    public boolean wantsTraces() {
        return wantsTraces;
    }

    boolean isComplete() {
        return !completed.isEmpty();
    }

    boolean isClosed() {
        return closedCount > 0;
    }

    List<String> dataAsStrings() {
        return data.stream().map(String::new).toList();
    }
}
