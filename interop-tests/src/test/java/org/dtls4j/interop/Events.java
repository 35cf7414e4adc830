package org.dtls4j.interop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.DtlsConnection;
import org.dtls4j.DtlsListener;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;

/**
 * Records what a dtls4j connection reports, on the test thread that drives it; optionally echoes every
 * application record back, as the server side of a ping test.
 */
final class Events implements DtlsListener {
    private final boolean echo;
    final List<HandshakeResult> completed = new ArrayList<>();
    final List<byte[]> received = new ArrayList<>();
    final List<AlertDescription> warnings = new ArrayList<>();
    final List<String> traces = new ArrayList<>();
    volatile DtlsConnection connection;
    /** Volatile because a BC-side thread may wait on it. */
    private volatile boolean complete;
    int closedCount;
    DtlsException closedCause;

    private Events(boolean echo) {
        this.echo = echo;
    }

    static Events recording() {
        return new Events(false);
    }

    static Events echoing() {
        return new Events(true);
    }

    @Override
    public void onHandshakeComplete(DtlsConnection c, HandshakeResult result) {
        completed.add(result);
        connection = c;
        complete = true;
    }

    @Override
    public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
        byte[] copy = Arrays.copyOfRange(buf, off, off + len);
        received.add(copy);
        if (echo) {
            c.send(copy, System.nanoTime());
        }
    }

    @Override
    public void onAlert(DtlsConnection c, AlertLevel level, AlertDescription description) {
        warnings.add(description);
    }

    @Override
    public void onClosed(DtlsConnection c, DtlsException cause) {
        closedCount++;
        closedCause = cause;
    }

    @Override
    public void onTrace(DtlsConnection c, String event) {
        if (traces.size() < 500) {
            traces.add(event);
        }
    }

    boolean isComplete() {
        return complete;
    }

    HandshakeResult result() {
        return completed.get(completed.size() - 1);
    }

    boolean isClosed() {
        return closedCount > 0;
    }

    /** The last traces, for an assertion message that explains a failed run. */
    String lastTraces() {
        return String.join("\n  ", traces.subList(Math.max(0, traces.size() - 25), traces.size()));
    }
}
