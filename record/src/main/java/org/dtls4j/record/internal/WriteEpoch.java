package org.dtls4j.record.internal;

import org.dtls4j.crypto.RecordCipher;

/** The write state of one epoch: its sealing cipher (null for epoch 0) and its next sequence number. */
public final class WriteEpoch {
    public final int epoch;
    public final RecordCipher cipher;
    public long nextSequence;

    public WriteEpoch(int epoch, RecordCipher cipher) {
        this.epoch = epoch;
        this.cipher = cipher;
    }

    public void destroy() {
        if (cipher != null) {
            cipher.destroy();
        }
    }
}
