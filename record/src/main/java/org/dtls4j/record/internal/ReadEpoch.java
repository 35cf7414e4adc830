package org.dtls4j.record.internal;

import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.record.ReplayWindow;

/** The read state of one epoch: its opening cipher (null for epoch 0) and its replay window. */
public final class ReadEpoch {
    public final int epoch;
    public final RecordCipher cipher;
    public final ReplayWindow window;
    /** The nowNanos at which the next epoch activated and this one became the previous; valid once superseded. */
    public long supersededAtNanos;

    public ReadEpoch(int epoch, RecordCipher cipher, int windowSize) {
        this.epoch = epoch;
        this.cipher = cipher;
        this.window = new ReplayWindow(windowSize);
    }

    /** Wipes the key material; the state must not be used afterwards. */
    public void destroy() {
        if (cipher != null) {
            cipher.destroy();
        }
    }
}
