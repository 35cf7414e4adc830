package org.dtls4j.record;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.crypto.AeadAlgorithm;
import org.dtls4j.crypto.RecordCipher;

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
