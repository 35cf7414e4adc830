package org.dtls4j.handshake.machine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.handshake.PlannedDatagram;
import org.dtls4j.record.ContentType;
import org.dtls4j.record.layer.RecordCursor;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.record.RecordLayerConfig;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * Test support: the smallest conductor for one handshaker, as the engine runs it: pulls records, feeds the
 * handshake ones to the machine, and applies the returned steps between records. A failed step throws.
 */
class TestConductor {
    final RecordLayer records = new RecordLayer(RecordLayerConfig.defaults());
    final ArrayDeque<byte[]> sent = new ArrayDeque<>();
    final List<AlertDescription> warnings = new ArrayList<>();
    final List<String> traces = new ArrayList<>();
    final byte[] datagram = new byte[4096];
    Handshaker handshaker;
    HandshakeStep.Established established;

    void start(long now) throws DtlsException {
        apply(handshaker.start(now), now);
    }

    void timeout(long now) throws DtlsException {
        apply(handshaker.onTimeout(now), now);
    }

    void receive(byte[] d, long now) throws DtlsException {
        RecordCursor c = records.open(d, 0, d.length, now);
        while (c.next()) {
            record(c, now);
            if (records.hasReleasableHeld()) {
                RecordCursor h = records.openHeld(now);
                while (h.next()) {
                    record(h, now);
                }
            }
        }
    }

    private void record(RecordCursor c, long now) throws DtlsException {
        if (c.type() == ContentType.HANDSHAKE || c.type() == ContentType.CHANGE_CIPHER_SPEC) {
            onRecord(c.type(), c.epoch(), c.buffer(), c.offset(), c.length(), now);
        }
    }

    /** One handshake record for the machine; tests override it to tamper with what the machine sees. */
    void onRecord(int type, int epoch, byte[] p, int off, int len, long now) throws DtlsException {
        apply(handshaker.onRecord(type, epoch, p, off, len, now), now);
    }

    void apply(List<HandshakeStep> steps, long now) throws DtlsException {
        for (HandshakeStep s : steps) {
            if (s instanceof HandshakeStep.Send send) {
                for (PlannedDatagram d : send.datagrams()) {
                    sent.add(Arrays.copyOf(datagram, d.protect(records, datagram)));
                }
            } else if (s instanceof HandshakeStep.InstallReadKeys k) {
                records.installReadEpoch(k.epoch(), k.cipher(), now);
            } else if (s instanceof HandshakeStep.InstallWriteKeys k) {
                records.installWriteEpoch(k.epoch(), k.cipher());
            } else if (s instanceof HandshakeStep.PeerRecordSizeLimit l) {
                records.setPeerRecordSizeLimit(l.limit());
            } else if (s instanceof HandshakeStep.WarningAlert w) {
                warnings.add(w.description());
            } else if (s instanceof HandshakeStep.Trace t) {
                traces.add(t.event());
            } else if (s instanceof HandshakeStep.Established e) {
                established = e;
            } else if (s instanceof HandshakeStep.Failed f) {
                throw f.failure();
            }
        }
    }

    boolean traced(String part) {
        return traces.stream().anyMatch(t -> t.contains(part));
    }
}
