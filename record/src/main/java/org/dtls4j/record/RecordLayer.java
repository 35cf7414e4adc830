package org.dtls4j.record;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.record.internal.HeldRecords;
import org.dtls4j.record.internal.ReadEpoch;
import org.dtls4j.record.internal.WriteEpoch;
import org.dtls4j.wire.DtlsException;

/**
 * The DTLS 1.2 record layer of one connection (RFC 6347 §4.1, RFC 9146): writes protected records into
 * datagrams and opens the records of received datagrams, per epoch, with anti-replay, silent counted
 * drops, early next-epoch records held until their keys exist, and Connection ID records.
 *
 * <p>Sending: {@link #protect} writes one record at a caller-given offset of a datagram buffer and
 * returns its length; the caller packs several records per datagram, sizing them with
 * {@link #protectedLength} and chunking plaintext to {@link #maxSendPlaintext()}. The current and the
 * previous write epoch can both be written, because the last flight of a handshake (ChangeCipherSpec in
 * epoch N, Finished in epoch N+1) must be retransmittable as a whole.
 *
 * <p>Receiving: {@link #unprotect} walks the records of one datagram and hands every record that
 * authenticates to a {@link RecordHandler}; everything else is dropped silently and counted by
 * {@link DropReason} (RFC 6347 §4.1.2.7).
 *
 * <p>Bounds on what a peer can make this object hold: one plaintext buffer of {@code maxPlaintext + 512}
 * bytes, a replay bitmap per read epoch (two epochs at most), and the held next-epoch records
 * ({@code maxHeldRecords}, {@code maxHeldBytes}). Steady-state protect and unprotect allocate nothing
 * beyond what the JDK's {@code Cipher} allocates. Not thread-safe; not re-entrant (a handler must not
 * call {@link #unprotect}).
 */
public final class RecordLayer {
    /** The first sequence number that is never sent: RFC 6347 §4.1 forbids wrapping, so we stop one short. */
    static final long SEQUENCE_LIMIT = (1L << 48) - 1;

    /** Cached: {@code values()} clones its array, and a layer is made per connection. */
    private static final int DROP_REASONS = DropReason.values().length;
    private static final int VERSION_1_2 = 0xfefd;
    private static final int VERSION_1_0 = 0xfeff;
    /**
     * Ciphertext expansion we accept over the plaintext limit. AEAD adds at most 24 bytes; a CBC record
     * up to 16 (IV) + 48 (MAC) + 256 (padding, RFC 5246 §6.2.3.2), which peers that pad randomly do send.
     * RFC 5246 §6.2.3 allows 2048; nothing we negotiate needs more than 320.
     */
    private static final int CIPHERTEXT_EXPANSION = 512;
    /** The largest additional_data: RFC 9146 §5 with a 255-byte CID. */
    private static final int MAX_AAD = 8 + 1 + 1 + 1 + 2 + 2 + 6 + 255 + 2;

    private final RecordLayerConfig config;
    private final byte[] aad = new byte[MAX_AAD];
    /**
     * Where records are opened: grown to the largest protected record seen so far (never beyond the
     * plaintext limit plus {@link #CIPHERTEXT_EXPANSION}), so a connection that only handshakes or sends
     * small records does not carry a 17 KB buffer, and steady state allocates nothing.
     */
    private byte[] plain = new byte[0];
    private final long[] dropCounts = new long[DROP_REASONS];
    private final HeldRecords held;

    private ReadEpoch readCurrent;
    private ReadEpoch readPrevious;
    private WriteEpoch writeCurrent;
    private WriteEpoch writePrevious;
    private boolean heldReady;

    private byte[] readCid;
    private byte[] writeCid;
    private int peerRecordSizeLimit = RecordLayerConfig.MAX_PLAINTEXT;
    private int epoch0WriteVersion = VERSION_1_2;

    private long authFailures;
    private boolean badMacLimitExceeded;

    // The header of the record being processed, parsed by readHeader (fields, so parsing allocates nothing).
    private int hType;
    private int hVersion;
    private int hEpoch;
    private long hSeq;
    private int hCidOff;
    private int hFragOff;
    private int hFragLen;

    /**
     * A layer in epoch 0 (clear) in both directions.
     *
     * @param config its bounds: replay window, held records, retention, plaintext limit
     */
    public RecordLayer(RecordLayerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.held = new HeldRecords(config.maxHeldRecords(), config.maxHeldBytes());
        this.readCurrent = new ReadEpoch(0, null, config.replayWindowSize());
        this.writeCurrent = new WriteEpoch(0, null);
    }

    /** {@return the bounds this layer was made with} */
    public RecordLayerConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- configuration from the handshake

    /**
     * Sets the CID we asked the peer to put in the records it sends us (RFC 9146 §3); null or empty when
     * we did not ask for one. Applies to epochs above 0: records there must then be tls12_cid records
     * with exactly this CID.
     *
     * @param cid the CID, copied; null or empty for none
     */
    public void setReadConnectionId(byte[] cid) {
        readCid = normaliseCid(cid);
    }

    /**
     * Sets the CID the peer asked for (null or empty for none): our records in epochs above 0 carry it.
     *
     * @param cid the CID, copied; null or empty for none
     */
    public void setWriteConnectionId(byte[] cid) {
        writeCid = normaliseCid(cid);
    }

    private static byte[] normaliseCid(byte[] cid) {
        if (cid == null || cid.length == 0) {
            return null;
        }
        if (cid.length > 255) {
            throw new IllegalArgumentException("a CID has at most 255 bytes");
        }
        return cid.clone();
    }

    /**
     * Sets the peer's record_size_limit (RFC 8449 §4): the largest plaintext it accepts. Values above
     * 2^14 are clamped to it, which is all DTLS 1.2 allows anyway.
     *
     * @param limit the peer's limit in bytes
     */
    public void setPeerRecordSizeLimit(int limit) {
        if (limit < RecordLayerConfig.MIN_PLAINTEXT || limit > 0xffff) {
            throw new IllegalArgumentException("record_size_limit must be 64..65535: " + limit);
        }
        peerRecordSizeLimit = Math.min(limit, RecordLayerConfig.MAX_PLAINTEXT);
    }

    /**
     * Sets the record version of epoch-0 records we write: DTLS 1.2 (0xfefd, the default) or DTLS 1.0
     * (0xfeff), which a client may use for its first ClientHello (RFC 6347 §4.1).
     *
     * @param version 0xfefd or 0xfeff
     */
    public void setEpoch0WriteVersion(int version) {
        if (version != VERSION_1_2 && version != VERSION_1_0) {
            throw new IllegalArgumentException("record version must be 0xfefd or 0xfeff");
        }
        epoch0WriteVersion = version;
    }

    // ---------------------------------------------------------------- epochs

    /**
     * Activates write epoch {@code epoch} (the current one + 1) with its sealing cipher; its sequence
     * numbers start at 0. The epoch it replaces stays writable as the previous one (for retransmitting
     * the last flight) until {@link #retirePreviousWriteEpoch()} or the next install destroys it.
     *
     * @param epoch the new epoch number
     * @param cipher its sealing cipher, owned by the layer from now on
     */
    public void installWriteEpoch(int epoch, RecordCipher cipher) {
        Objects.requireNonNull(cipher, "cipher");
        if (epoch != writeCurrent.epoch + 1 || epoch > 0xffff) {
            throw new IllegalStateException("next write epoch is " + (writeCurrent.epoch + 1) + ", not " + epoch);
        }
        if (writePrevious != null) {
            writePrevious.destroy();
        }
        writePrevious = writeCurrent;
        writeCurrent = new WriteEpoch(epoch, cipher);
    }

    /** Destroys the previous write epoch's keys once nothing needs retransmitting in it. */
    public void retirePreviousWriteEpoch() {
        if (writePrevious != null) {
            writePrevious.destroy();
            writePrevious = null;
        }
    }

    /**
     * Activates read epoch {@code epoch} (the current one + 1) with its opening cipher. The epoch it
     * replaces still opens records for {@code previousEpochRetentionNanos} from {@code nowNanos}; the
     * one before that is retired and its keys destroyed. Held records of the new epoch are processed by
     * the running {@link #unprotect} call right after the current record's handler returns, or, when
     * installed outside one, by {@link #releaseHeld}.
     *
     * @param epoch the new epoch number
     * @param cipher its opening cipher, owned by the layer from now on
     * @param nowNanos the caller's clock, from which the previous epoch's retention runs
     */
    public void installReadEpoch(int epoch, RecordCipher cipher, long nowNanos) {
        Objects.requireNonNull(cipher, "cipher");
        if (epoch != readCurrent.epoch + 1 || epoch > 0xffff) {
            throw new IllegalStateException("next read epoch is " + (readCurrent.epoch + 1) + ", not " + epoch);
        }
        retirePreviousReadEpoch();
        readCurrent.supersededAtNanos = nowNanos;
        readPrevious = readCurrent;
        readCurrent = new ReadEpoch(epoch, cipher, config.replayWindowSize());
        if (held.epoch() == epoch) {
            heldReady = true;
        } else {
            held.clear();
        }
        expire(nowNanos);
    }

    /**
     * Retires the previous read epoch once its retention has passed; {@link #unprotect} calls it too.
     *
     * @param nowNanos the caller's clock
     */
    public void expire(long nowNanos) {
        if (readPrevious != null
                && nowNanos - readPrevious.supersededAtNanos >= config.previousEpochRetentionNanos()) {
            retirePreviousReadEpoch();
        }
    }

    private void retirePreviousReadEpoch() {
        if (readPrevious != null) {
            readPrevious.destroy();
            readPrevious = null;
        }
    }

    /**
     * Wipes every key this layer holds and frees its held records; the layer cannot protect or open records
     * of epochs above 0 afterwards.
     */
    public void destroy() {
        retirePreviousReadEpoch();
        retirePreviousWriteEpoch();
        readCurrent.destroy();
        writeCurrent.destroy();
        held.release();
    }

    /** {@return the current read epoch} */
    public int readEpoch() {
        return readCurrent.epoch;
    }

    /** {@return the current write epoch} */
    public int writeEpoch() {
        return writeCurrent.epoch;
    }

    /** {@return the epoch still readable behind the current one, or -1 when it has been retired} */
    public int previousReadEpoch() {
        return readPrevious == null ? -1 : readPrevious.epoch;
    }

    /** {@return the sequence number the next record of the current write epoch will carry} */
    public long nextWriteSequence() {
        return writeCurrent.nextSequence;
    }

    /**
     * RFC 6347 §4.2.1: a server that answered a HelloVerifyRequest statelessly continues its epoch-0
     * record sequence from the verified ClientHello's, so its ServerHello never repeats the sequence
     * number the HelloVerifyRequest mirrored, which the client's replay window has already seen.
     *
     * @param clientHelloSequence the record sequence number of the verified ClientHello
     * @throws IllegalStateException once an epoch-0 record has been written
     */
    public void continueEpoch0WriteSequenceAfterHello(long clientHelloSequence) {
        if (writeEpoch() != 0 || nextWriteSequence() != 0) {
            throw new IllegalStateException("epoch-0 records already written");
        }
        if (clientHelloSequence < 0 || clientHelloSequence >= (1L << 48) - 1) {
            throw new IllegalArgumentException("sequence " + clientHelloSequence);
        }
        writeState(0).nextSequence = clientHelloSequence;
    }

    /** Test hook: jump a write epoch's counter (to reach the 2^48 limit without 2^48 records). */
    void setNextWriteSequence(int epoch, long seq) {
        writeState(epoch).nextSequence = seq;
    }

    /** {@return how many next-epoch records are held until their keys arrive} */
    public int heldRecordCount() {
        return held.count();
    }

    /** {@return bytes of the next-epoch records held now, at most {@link RecordLayerConfig#maxHeldBytes()}} */
    public int heldBytes() {
        return held.bytes();
    }

    // ---------------------------------------------------------------- sending

    /** {@return the largest plaintext one record may carry towards this peer: 2^14 or its record_size_limit} */
    public int maxSendPlaintext() {
        return peerRecordSizeLimit;
    }

    /**
     * {@return bytes {@link #protect} will write for a {@code plaintextLength}-byte record in write epoch {@code epoch}}
     *
     * @param epoch the current or the previous write epoch
     * @param plaintextLength the record's plaintext length
     */
    public int protectedLength(int epoch, int plaintextLength) {
        WriteEpoch w = writeState(epoch);
        if (w.cipher == null) {
            return RecordHeader.LENGTH + plaintextLength;
        }
        if (writeCid == null) {
            return RecordHeader.LENGTH + w.cipher.protectedLength(plaintextLength);
        }
        return RecordHeader.LENGTH + writeCid.length + w.cipher.protectedLength(innerLength(plaintextLength));
    }

    /**
     * The most bytes a record of write epoch {@code epoch} adds to its plaintext, whatever its length:
     * header, CID and the cipher's largest expansion (a CBC record's padding depends on the length).
     * Size datagrams with this before the plaintext lengths are known.
     *
     * @param epoch the current or previous write epoch (0 for plaintext)
     * @return the overhead in bytes; just the 13-byte header in an epoch without a cipher
     * @throws IllegalStateException when this layer has no such write epoch
     */
    public int maxRecordOverhead(int epoch) {
        WriteEpoch w = writeState(epoch);
        if (w.cipher == null) {
            return RecordHeader.LENGTH;
        }
        if (writeCid == null) {
            return RecordHeader.LENGTH + w.cipher.overhead();
        }
        return RecordHeader.LENGTH + writeCid.length + innerLength(0) + w.cipher.overhead();
    }

    /**
     * {@link #protect(int, int, byte[], int, int, byte[], int)} in the current write epoch.
     *
     * @param type the content type
     * @param in the plaintext's buffer
     * @param inOff where the plaintext starts
     * @param len the plaintext's length
     * @param out where the record is written
     * @param outOff where in {@code out} it starts
     * @return bytes written
     * @throws SequenceNumberExhaustedException when the epoch has no sequence number left
     */
    public int protect(int type, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws SequenceNumberExhaustedException {
        return protect(writeCurrent.epoch, type, in, inOff, len, out, outOff);
    }

    /**
     * Writes one record of {@code type} carrying {@code in[inOff, inOff+len)} in write epoch
     * {@code epoch} (the current or the previous one) into {@code out} at {@code outOff}, sealing in
     * place. In epochs above 0 with a peer CID, the record is a tls12_cid record (RFC 9146 §4).
     *
     * @param epoch the current or the previous write epoch
     * @param type the content type
     * @param in the plaintext's buffer
     * @param inOff where the plaintext starts
     * @param len the plaintext's length
     * @param out where the record is written
     * @param outOff where in {@code out} it starts
     * @return bytes written, {@link #protectedLength(int, int)}
     * @throws SequenceNumberExhaustedException when the epoch has no sequence number left: close the connection
     * @throws IllegalArgumentException for an unknown type or a plaintext over {@link #maxSendPlaintext()}
     * @throws IndexOutOfBoundsException when the record does not fit in {@code out}
     */
    public int protect(int epoch, int type, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws SequenceNumberExhaustedException {
        WriteEpoch w = writeState(epoch);
        if (!ContentType.isKnown(type)) {
            throw new IllegalArgumentException("not a record content type: " + type);
        }
        if (len < 0 || len > maxSendPlaintext()) {
            throw new IllegalArgumentException("plaintext of " + len + " bytes exceeds the record limit "
                    + maxSendPlaintext() + "; split it first");
        }
        Objects.checkFromIndexSize(inOff, len, in.length);
        int total = protectedLength(epoch, len);
        Objects.checkFromIndexSize(outOff, total, out.length);
        if (w.nextSequence >= SEQUENCE_LIMIT) {
            throw new SequenceNumberExhaustedException(epoch);
        }
        long seq = w.nextSequence++;
        boolean cid = w.cipher != null && writeCid != null;
        int version = epoch == 0 ? epoch0WriteVersion : VERSION_1_2;
        int headerLength = RecordHeader.LENGTH + (cid ? writeCid.length : 0);
        writeHeader(out, outOff, cid ? ContentType.TLS12_CID : type, version, epoch, seq, cid,
                total - headerLength);
        int fragOff = outOff + headerLength;
        if (w.cipher == null) {
            System.arraycopy(in, inOff, out, fragOff, len);
            return total;
        }
        long seq64 = (long) epoch << 48 | seq;
        if (!cid) {
            int aadLen = plainAad(seq64, type, version, len);
            w.cipher.seal(seq64, aad, 0, aadLen, in, inOff, len, out, fragOff);
            return total;
        }
        // RFC 9146 §4: DTLSInnerPlaintext = content || real_type || zeros, sealed in place.
        int innerOff = fragOff + w.cipher.recordIvLength();
        int innerLen = innerLength(len);
        System.arraycopy(in, inOff, out, innerOff, len);
        out[innerOff + len] = (byte) type;
        Arrays.fill(out, innerOff + len + 1, innerOff + innerLen, (byte) 0);
        int aadLen = cidAad(writeCid, 0, writeCid.length, version, seq64, innerLen);
        w.cipher.seal(seq64, aad, 0, aadLen, out, innerOff, innerLen, out, fragOff);
        return total;
    }

    private WriteEpoch writeState(int epoch) {
        if (epoch == writeCurrent.epoch) {
            return writeCurrent;
        }
        if (writePrevious != null && epoch == writePrevious.epoch) {
            return writePrevious;
        }
        throw new IllegalStateException("write epoch " + epoch + " is not available");
    }

    /** content + real type + padding to the configured block, never past the peer's limit + 1. */
    private int innerLength(int contentLength) {
        int inner = contentLength + 1;
        int block = config.cidPaddingBlock();
        if (block > 1) {
            int padded = (inner + block - 1) / block * block;
            inner = Math.max(inner, Math.min(padded, maxSendPlaintext() + 1));
        }
        return inner;
    }

    private void writeHeader(byte[] b, int off, int type, int version, int epoch, long seq, boolean cid,
                             int fragLen) {
        b[off] = (byte) type;
        b[off + 1] = (byte) (version >>> 8);
        b[off + 2] = (byte) version;
        b[off + 3] = (byte) (epoch >>> 8);
        b[off + 4] = (byte) epoch;
        for (int i = 0; i < 6; i++) {
            b[off + 10 - i] = (byte) (seq >>> (8 * i));
        }
        int lenOff = off + 11;
        if (cid) {
            System.arraycopy(writeCid, 0, b, lenOff, writeCid.length);
            lenOff += writeCid.length;
        }
        b[lenOff] = (byte) (fragLen >>> 8);
        b[lenOff + 1] = (byte) fragLen;
    }

    /** RFC 6347 §4.1.2.1 / RFC 5246 §6.2.3.3: epoch||seq (8) || type || version || plaintext length. */
    private int plainAad(long seq64, int type, int version, int length) {
        putLong(aad, 0, seq64);
        aad[8] = (byte) type;
        aad[9] = (byte) (version >>> 8);
        aad[10] = (byte) version;
        aad[11] = (byte) (length >>> 8);
        aad[12] = (byte) length;
        return 13;
    }

    /**
     * RFC 9146 §5 (AEAD): seq_num_placeholder (8 x 0xff) || tls12_cid || cid_length || tls12_cid ||
     * version || epoch || sequence_number || cid || length_of_DTLSInnerPlaintext.
     */
    private int cidAad(byte[] cid, int cidOff, int cidLen, int version, long seq64, int innerLength) {
        Arrays.fill(aad, 0, 8, (byte) 0xff);
        aad[8] = (byte) ContentType.TLS12_CID;
        aad[9] = (byte) cidLen;
        aad[10] = (byte) ContentType.TLS12_CID;
        aad[11] = (byte) (version >>> 8);
        aad[12] = (byte) version;
        putLong(aad, 13, seq64);
        System.arraycopy(cid, cidOff, aad, 21, cidLen);
        aad[21 + cidLen] = (byte) (innerLength >>> 8);
        aad[22 + cidLen] = (byte) innerLength;
        return 23 + cidLen;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Opens the records of one received datagram {@code datagram[off, off+len)} in order, handing each
     * valid one to {@code handler} and counting every drop. Epoch-0 payloads are slices of
     * {@code datagram}; protected payloads are opened into a buffer the layer reuses. Never throws for
     * anything the peer sent; only the handler's own {@link DtlsException} propagates.
     *
     * @param datagram the buffer holding the datagram
     * @param off where the datagram starts
     * @param len the datagram's length
     * @param nowNanos the caller's clock (for epoch retention)
     * @param handler receives each valid record
     * @return the number of records handed to {@code handler} (including released held records)
     * @throws DtlsException only when {@code handler} throws it
     */
    public int unprotect(byte[] datagram, int off, int len, long nowNanos, RecordHandler handler)
            throws DtlsException {
        Objects.checkFromIndexSize(off, len, datagram.length);
        Objects.requireNonNull(handler, "handler");
        expire(nowNanos);
        if (badMacLimitExceeded) {
            drop(DropReason.CLOSED);
            return 0;
        }
        int delivered = heldReady ? releaseHeld(nowNanos, handler) : 0;
        int pos = off;
        int end = off + len;
        while (pos < end && !badMacLimitExceeded) {
            int next = readHeader(datagram, pos, end);
            if (next < 0) {
                // No trustworthy length: the rest of the datagram cannot be framed (RFC 6347 §4.1.2.7).
                drop(next == -2 ? DropReason.CID_MISMATCH : DropReason.MALFORMED);
                break;
            }
            if (handleRecord(datagram, pos, next, handler, false)) {
                delivered++;
            }
            pos = next;
            if (heldReady) {
                delivered += releaseHeld(nowNanos, handler);
            }
        }
        return delivered;
    }

    /**
     * Processes the held records of the current read epoch, if its keys were installed outside an
     * {@link #unprotect} call.
     *
     * @param nowNanos the caller's clock
     * @param handler receives each released record
     * @return the number handed to {@code handler}
     * @throws DtlsException only when {@code handler} throws it
     */
    public int releaseHeld(long nowNanos, RecordHandler handler) throws DtlsException {
        expire(nowNanos);
        heldReady = false;
        int n = held.count();
        if (n == 0 || held.epoch() != readCurrent.epoch) {
            held.clear();
            return 0;
        }
        int delivered = 0;
        try {
            byte[] arena = held.arena();
            for (int i = 0; i < n && !badMacLimitExceeded; i++) {
                int start = held.offset(i);
                int end = start + held.length(i);
                if (readHeader(arena, start, end) != end) {
                    drop(DropReason.MALFORMED); // only if the read CID changed while the record was held
                } else if (handleRecord(arena, start, end, handler, true)) {
                    delivered++;
                }
            }
        } finally {
            held.clear();
        }
        return delivered;
    }

    /**
     * Parses the header at {@code pos} into the h* fields. The one place of explicit index arithmetic on
     * peer bytes in this class: a {@code Reader} would throw (and allocate) on every short record.
     *
     * @return the offset after the record; -1 when the header or fragment runs past {@code end}; -2 for a
     *     tls12_cid record when we expect no CID, whose header length is then unknown
     */
    private int readHeader(byte[] b, int pos, int end) {
        if (end - pos < RecordHeader.LENGTH) {
            return -1;
        }
        hType = b[pos] & 0xff;
        hVersion = (b[pos + 1] & 0xff) << 8 | b[pos + 2] & 0xff;
        hEpoch = (b[pos + 3] & 0xff) << 8 | b[pos + 4] & 0xff;
        long seq = 0;
        for (int i = 5; i < 11; i++) {
            seq = seq << 8 | b[pos + i] & 0xff;
        }
        hSeq = seq;
        int cidLen = 0;
        if (hType == ContentType.TLS12_CID) {
            if (readCid == null) {
                return -2;
            }
            cidLen = readCid.length;
        }
        hCidOff = pos + 11;
        int lenOff = hCidOff + cidLen;
        if (end - lenOff < 2) {
            return -1;
        }
        hFragLen = (b[lenOff] & 0xff) << 8 | b[lenOff + 1] & 0xff;
        hFragOff = lenOff + 2;
        if (end - hFragOff < hFragLen) {
            return -1;
        }
        return hFragOff + hFragLen;
    }

    /** Checks, opens and delivers the record whose header readHeader just parsed; true when delivered. */
    private boolean handleRecord(byte[] b, int start, int end, RecordHandler handler, boolean fromHeld)
            throws DtlsException {
        boolean cidRecord = hType == ContentType.TLS12_CID;
        if (!cidRecord && !ContentType.isKnown(hType)) {
            return drop(DropReason.UNKNOWN_CONTENT_TYPE);
        }
        if (hVersion != VERSION_1_2 && !(hVersion == VERSION_1_0 && hEpoch == 0
                && (hType == ContentType.HANDSHAKE || hType == ContentType.ALERT))) {
            // RFC 6347 §4.1: DTLS 1.0 record versions only in the first flights, before a version is agreed.
            return drop(DropReason.BAD_VERSION);
        }
        if (hFragLen > config.maxPlaintext() + (hEpoch == 0 ? 0 : CIPHERTEXT_EXPANSION)) {
            return drop(DropReason.OVERSIZED);
        }
        // RFC 9146 §4: with a negotiated CID every record above epoch 0 carries it; none do in epoch 0.
        boolean cidExpected = hEpoch > 0 && readCid != null;
        if (cidRecord != cidExpected || cidRecord
                && !Arrays.equals(b, hCidOff, hCidOff + readCid.length, readCid, 0, readCid.length)) {
            return drop(DropReason.CID_MISMATCH);
        }
        ReadEpoch st = readState(hEpoch);
        if (st == null) {
            return holdOrDrop(b, start, end, fromHeld);
        }
        if (st.cipher == null) {
            // Epoch 0 has no MAC, and RFC 6347 §4.1.2.6 moves the window only for records that authenticated:
            // one forged epoch-0 record with a high sequence number would otherwise make every genuine one
            // "too old" and stall the handshake. Duplicates are the handshake layer's to drop.
            return deliverClear(b, handler);
        }
        if (st.window.isTooOld(hSeq)) {
            return drop(DropReason.TOO_OLD);
        }
        if (!st.window.isFresh(hSeq)) {
            return drop(DropReason.REPLAY);
        }
        return openAndDeliver(st, b, handler, cidRecord);
    }

    private ReadEpoch readState(int epoch) {
        if (epoch == readCurrent.epoch) {
            return readCurrent;
        }
        if (readPrevious != null && epoch == readPrevious.epoch) {
            return readPrevious;
        }
        return null;
    }

    /** RFC 6347 §4.1: records of the next epoch may be buffered until the handshake installs its keys. */
    private boolean holdOrDrop(byte[] b, int start, int end, boolean fromHeld) {
        if (hEpoch != readCurrent.epoch + 1 || fromHeld) {
            return drop(hEpoch > readCurrent.epoch ? DropReason.UNKNOWN_EPOCH : DropReason.RETIRED_EPOCH);
        }
        if (!held.hold(hEpoch, b, start, end - start)) {
            return drop(DropReason.HELD_OVERFLOW);
        }
        return false;
    }

    private boolean deliverClear(byte[] b, RecordHandler handler) throws DtlsException {
        if (hType == ContentType.APPLICATION_DATA) {
            return drop(DropReason.CLEARTEXT_APPLICATION_DATA);
        }
        handler.onRecord(hType, hEpoch, hSeq, b, hFragOff, hFragLen);
        return true;
    }

    private boolean openAndDeliver(ReadEpoch st, byte[] b, RecordHandler handler, boolean cidRecord)
            throws DtlsException {
        if (hFragLen < st.cipher.protectedLength(cidRecord ? 1 : 0)) {
            return drop(DropReason.MALFORMED);
        }
        long seq64 = (long) hEpoch << 48 | hSeq;
        // Exact for AEAD; a CBC cipher rewrites the length field with what its MAC covers.
        int plainLength = Math.max(0, hFragLen - st.cipher.overhead());
        int aadLen = cidRecord
                ? cidAad(b, hCidOff, readCid.length, hVersion, seq64, plainLength)
                : plainAad(seq64, hType, hVersion, plainLength);
        if (plain.length < hFragLen) {
            // hFragLen is bounded by the header check; doubling keeps regrowth to a handful per connection.
            plain = new byte[Math.min(Math.max(hFragLen, 2 * plain.length),
                    config.maxPlaintext() + CIPHERTEXT_EXPANSION)];
        }
        int n;
        try {
            // plain has room for hFragLen (ensured above), which lets a cipher open in place at offset 0.
            n = st.cipher.open(seq64, aad, 0, aadLen, b, hFragOff, hFragLen, plain, 0);
        } catch (DtlsException e) {
            authFailures++;
            int limit = config.badMacLimit();
            if (limit > 0 && authFailures >= limit) {
                badMacLimitExceeded = true;
            }
            return drop(DropReason.AUTH_FAILED);
        }
        st.window.markReceived(hSeq);
        int type = hType;
        if (cidRecord) {
            // RFC 9146 §4: the real type is the last non-zero byte; padding after it is zeros.
            int i = n - 1;
            while (i >= 0 && plain[i] == 0) {
                i--;
            }
            if (i < 0) {
                return drop(DropReason.EMPTY_INNER_PLAINTEXT);
            }
            type = plain[i] & 0xff;
            n = i;
            if (!ContentType.isKnown(type)) {
                return drop(DropReason.UNKNOWN_CONTENT_TYPE);
            }
        }
        if (n > config.maxPlaintext()) {
            return drop(DropReason.OVERSIZED);
        }
        handler.onRecord(type, hEpoch, hSeq, plain, 0, n);
        return true;
    }

    // ---------------------------------------------------------------- counters

    private boolean drop(DropReason reason) {
        dropCounts[reason.ordinal()]++;
        return false;
    }

    /**
     * {@return records dropped for {@code reason} since this layer was created}
     *
     * @param reason the drop reason
     */
    public long drops(DropReason reason) {
        return dropCounts[reason.ordinal()];
    }

    /** {@return records dropped for any reason} */
    public long totalDrops() {
        long sum = 0;
        for (long c : dropCounts) {
            sum += c;
        }
        return sum;
    }

    /** {@return a snapshot of the non-zero drop counters, for logs and metrics} */
    public Map<DropReason, Long> dropCounts() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            if (dropCounts[r.ordinal()] != 0) {
                m.put(r, dropCounts[r.ordinal()]);
            }
        }
        return m;
    }

    /** {@return records that failed authentication, in any epoch} */
    public long authenticationFailures() {
        return authFailures;
    }

    /**
     * True once {@code badMacLimit} records failed authentication: the connection must close (mbedTLS's
     * badmac_limit; silent discard would otherwise give a forger an unlimited oracle). From then on the
     * layer opens nothing.
     *
     * @return whether the limit was reached
     */
    public boolean isBadMacLimitExceeded() {
        return badMacLimitExceeded;
    }

    @Override
    public String toString() {
        return "RecordLayer[read epoch " + readCurrent.epoch + ", write epoch " + writeCurrent.epoch
                + ", drops " + totalDrops() + "]";
    }
}
