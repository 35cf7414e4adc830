package org.dtls4j.testing;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyBlock;
import org.dtls4j.crypto.KeySchedule;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;

/**
 * The scripted peer's record layer: per-epoch write sequence numbers, and the AEAD ciphers of each
 * epoch in each direction, installed when the script says so. It applies no policy at all (no replay
 * window, no epoch checks): choosing what to send is the script's job, and judging is the test's.
 */
final class RecordProtection {
    private static final int VERSION = ProtocolVersion.DTLS_1_2.wire();

    private final Map<Integer, RecordCipher> write = new HashMap<>();
    private final Map<Integer, RecordCipher> read = new HashMap<>();
    private final Map<Integer, Long> nextSeq = new HashMap<>();

    /**
     * Derives the key block (RFC 5246 §6.3) and installs this side's write cipher for {@code writeEpoch}
     * or the other side's for {@code readEpoch} (pass -1 to skip one).
     */
    void install(CipherSuite suite, byte[] master, byte[] clientRandom, byte[] serverRandom, boolean client,
                 int writeEpoch, int readEpoch) {
        KeyBlock kb = KeySchedule.keyBlock(suite, master, clientRandom, serverRandom);
        try {
            if (writeEpoch >= 0) {
                put(write, writeEpoch, RecordCipher.create(suite.aead(), client ? kb.clientWriteKey() : kb.serverWriteKey(),
                        client ? kb.clientWriteIv() : kb.serverWriteIv()));
            }
            if (readEpoch >= 0) {
                put(read, readEpoch, RecordCipher.create(suite.aead(), client ? kb.serverWriteKey() : kb.clientWriteKey(),
                        client ? kb.serverWriteIv() : kb.clientWriteIv()));
            }
        } finally {
            kb.destroy();
        }
    }

    private static void put(Map<Integer, RecordCipher> m, int epoch, RecordCipher c) {
        RecordCipher old = m.put(epoch, c);
        if (old != null) {
            old.destroy();
        }
    }

    boolean canWrite(int epoch) {
        return epoch == 0 || write.containsKey(epoch);
    }

    boolean canRead(int epoch) {
        return epoch == 0 || read.containsKey(epoch);
    }

    /** One record in {@code epoch} with the epoch's next sequence number, protected when the epoch has keys. */
    WireRecord seal(int type, int epoch, byte[] plaintext) {
        long seq = nextSeq.merge(epoch, 1L, Long::sum) - 1;
        return seal(type, epoch, seq, plaintext);
    }

    /** One record with a sequence number the script chose (a replay, a jump). */
    WireRecord seal(int type, int epoch, long seq, byte[] plaintext) {
        RecordCipher c = epoch == 0 ? null : write.get(epoch);
        if (c == null) {
            return WireRecord.of(type, VERSION, epoch, seq, plaintext);
        }
        long seq64 = ((long) epoch << 48) | seq;
        byte[] aad = aad(seq64, type, plaintext.length);
        byte[] out = new byte[plaintext.length + c.overhead()];
        c.seal(seq64, aad, 0, aad.length, plaintext, 0, plaintext.length, out, 0);
        return WireRecord.of(type, VERSION, epoch, seq, out);
    }

    /** The plaintext of a received record; epoch 0 as it is. */
    byte[] open(WireRecord r) throws DtlsException {
        byte[] fragment = r.fragment();
        if (r.epoch() == 0) {
            return fragment;
        }
        RecordCipher c = read.get(r.epoch());
        if (c == null) {
            throw new IllegalStateException("no read keys for epoch " + r.epoch());
        }
        int plainLength = fragment.length - c.overhead();
        if (plainLength < 0) {
            throw DtlsException.decodeError("record shorter than the AEAD overhead");
        }
        long seq64 = ((long) r.epoch() << 48) | r.sequenceNumber();
        byte[] aad = aad(seq64, r.type(), plainLength);
        aad[9] = (byte) (r.version() >>> 8);
        aad[10] = (byte) r.version();
        byte[] out = new byte[plainLength];
        int n = c.open(seq64, aad, 0, aad.length, fragment, 0, fragment.length, out, 0);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** RFC 5246 §6.2.3.3: seq_num || type || version || length. */
    private static byte[] aad(long seq64, int type, int length) {
        byte[] a = new byte[13];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (seq64 >>> (56 - 8 * i));
        }
        a[8] = (byte) type;
        a[9] = (byte) (VERSION >>> 8);
        a[10] = (byte) VERSION;
        a[11] = (byte) (length >>> 8);
        a[12] = (byte) length;
        return a;
    }

    /** Wipes every installed key. */
    void destroy() {
        write.values().forEach(RecordCipher::destroy);
        read.values().forEach(RecordCipher::destroy);
        write.clear();
        read.clear();
    }
}
