package org.dtls4j.record;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.crypto.AeadAlgorithm;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.record.layer.RecordCursor;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.wire.DtlsException;

/** Test support: deterministic keys per epoch, and a handler that keeps copies of what it receives. */
final class Records {
    /** One delivered record, copied out of the layer's buffer. */
    record Got(int type, int epoch, long seq, byte[] payload) {
        @Override
        public String toString() {
            return ContentType.name(type) + "@" + epoch + "/" + seq + "[" + payload.length + "]";
        }
    }

    /** Collects delivered records. */
    static final class Sink implements RecordHandler {
        final List<Got> got = new ArrayList<>();

        @Override
        public void onRecord(int type, int epoch, long seq, byte[] payload, int offset, int length) {
            got.add(new Got(type, epoch, seq, Arrays.copyOfRange(payload, offset, offset + length)));
        }
    }

    private Records() {
    }

    /**
     * Pulls every record of one datagram as the engine does, handing each to {@code handler}; keys the handler
     * installs apply to the records after it, and released held records follow the record that installed them.
     *
     * @return the records handed over, released held ones included
     */
    static int unprotect(RecordLayer layer, byte[] d, int off, int len, long now, RecordHandler handler)
            throws DtlsException {
        int n = layer.hasReleasableHeld() ? releaseHeld(layer, now, handler) : 0;
        RecordCursor c = layer.open(d, off, len, now);
        while (c.next()) {
            handler.onRecord(c.type(), c.epoch(), c.sequenceNumber(), c.buffer(), c.offset(), c.length());
            n++;
            if (layer.hasReleasableHeld()) {
                n += releaseHeld(layer, now, handler);
            }
        }
        return n;
    }

    /** Pulls the held records of the current read epoch; returns how many were handed over. */
    static int releaseHeld(RecordLayer layer, long now, RecordHandler handler) throws DtlsException {
        int n = 0;
        RecordCursor c = layer.openHeld(now);
        while (c.next()) {
            handler.onRecord(c.type(), c.epoch(), c.sequenceNumber(), c.buffer(), c.offset(), c.length());
            n++;
        }
        return n;
    }

    static byte[] key(AeadAlgorithm alg, int epoch, int salt) {
        byte[] k = new byte[alg.keyLength()];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (i * 13 + epoch * 31 + salt);
        }
        return k;
    }

    static byte[] iv(AeadAlgorithm alg, int epoch, int salt) {
        byte[] v = new byte[alg.fixedIvLength()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) (0xa0 + i * 7 + epoch + salt);
        }
        return v;
    }

    /** A fresh cipher instance for {@code epoch}: both ends call it to share keys without sharing objects. */
    static RecordCipher cipher(AeadAlgorithm alg, int epoch) {
        return RecordCipher.create(alg, key(alg, epoch, 0), iv(alg, epoch, 0));
    }

    static byte[] payload(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (seed + i * 3);
        }
        return p;
    }
}
