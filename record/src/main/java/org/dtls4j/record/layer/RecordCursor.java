package org.dtls4j.record.layer;

import org.dtls4j.record.ContentType;

/**
 * The records of one received datagram (or of the held next-epoch records), pulled one at a time:
 * {@link #next()} moves to the next record that parsed, authenticated, passed the replay window and has a
 * known type, and the accessors describe it. Records that fail are dropped and counted by the
 * {@link RecordLayer} on the way, as RFC 6347 §4.1.2.7 asks; nothing here throws for peer input.
 *
 * <p>Protected records are opened in place, so the plaintext is a slice of the buffer the records came
 * from: the caller's datagram, or the layer's held-record arena. It stays there until the caller reuses its
 * buffer (or, for held records, until the layer opens the next datagram). A layer owns one cursor for
 * datagrams, handed out again by every {@link RecordLayer#open}, and makes one for held records at
 * {@link RecordLayer#openHeld} that lives until the next {@code open}: a datagram cursor is valid until the
 * next {@code open}, a held cursor until the next {@code openHeld} or {@code open}. Not thread-safe.
 */
public final class RecordCursor {
    private final RecordLayer layer;
    final boolean held;

    byte[] buf;
    int pos;
    int end;
    /** Held cursor: the next held record and how many there are. */
    int heldIndex;
    int heldCount;

    // The header of the record being processed, parsed by RecordLayer.readHeader (fields: no allocation).
    int hType;
    int hVersion;
    int hEpoch;
    long hSeq;
    int hCidOff;
    int hFragOff;
    int hFragLen;

    int type;
    int plainOff;
    int plainLen;

    RecordCursor(RecordLayer layer, boolean held) {
        this.layer = layer;
        this.held = held;
    }

    /**
     * Moves to the next valid record, dropping and counting the invalid ones before it.
     *
     * @return true when there is one; false at the end of the datagram (or once the bad-MAC limit closed the layer)
     */
    public boolean next() {
        return layer.advance(this);
    }

    /** {@return the current record's real content type (for tls12_cid records, the one inside the ciphertext)} */
    public int type() {
        return type;
    }

    /** {@return the current record's epoch} */
    public int epoch() {
        return hEpoch;
    }

    /** {@return the current record's 48-bit sequence number} */
    public long sequenceNumber() {
        return hSeq;
    }

    /** {@return the buffer holding the current record's plaintext} */
    public byte[] buffer() {
        return buf;
    }

    /** {@return where the current record's plaintext starts in {@link #buffer()}} */
    public int offset() {
        return plainOff;
    }

    /** {@return the current record's plaintext length} */
    public int length() {
        return plainLen;
    }

    @Override
    public String toString() {
        return "RecordCursor[" + (held ? "held" : "datagram") + ", " + ContentType.name(type) + "@" + hEpoch
                + "/" + hSeq + "]";
    }
}
