package org.dtls4j.record.layer;

import java.util.Arrays;
import java.util.Objects;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.record.ContentType;
import org.dtls4j.record.DropReason;
import org.dtls4j.record.RecordLayerConfig;
import org.dtls4j.record.SequenceNumberExhaustedException;
import org.dtls4j.record.internal.HeldRecords;
import org.dtls4j.record.internal.ReadEpoch;
import org.dtls4j.record.internal.WriteEpoch;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.RecordPeek;

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
 * <p>Receiving is pulled: {@link #open} returns a {@link RecordCursor} over one datagram, whose
 * {@code next()} yields the records that authenticate, one at a time, opened in place in the caller's
 * buffer; everything else is dropped silently and counted by {@link DropReason} (RFC 6347 §4.1.2.7). The
 * caller installs keys between two records (a ChangeCipherSpec), then reads the next-epoch records that
 * arrived early through {@link #openHeld}; nothing here calls back into the caller.
 *
 * <p>Bounds on what a peer can make this object hold: a replay bitmap per read epoch (two epochs at most)
 * and the held next-epoch records ({@code maxHeldRecords}, {@code maxHeldBytes}); no plaintext buffer,
 * since records open in the datagram's own bytes. Steady-state protect and open allocate nothing beyond
 * what the JDK's {@code Cipher} allocates. Not thread-safe.
 */
public final class RecordLayer {
    /** The first sequence number that is never sent: RFC 6347 §4.1 forbids wrapping, so we stop one short. */
    static final long SEQUENCE_LIMIT = (1L << 48) - 1;

    private static final int VERSION_1_2 = RecordPeek.DTLS_1_2;
    private static final int VERSION_1_0 = RecordPeek.DTLS_1_0;
    /**
     * Ciphertext expansion we accept over the plaintext limit. AEAD adds at most 24 bytes; a CBC record
     * up to 16 (IV) + 48 (MAC) + 256 (padding, RFC 5246 §6.2.3.2), which peers that pad randomly do send.
     * RFC 5246 §6.2.3 allows 2048; nothing we negotiate needs more than 320.
     */
    private static final int CIPHERTEXT_EXPANSION = 512;
    /** RFC 5246 §6.2.3.3 additional_data: seq_num (epoch and sequence number), type, version, length. */
    private static final int PLAIN_AAD_LENGTH = 8 + 1 + 2 + 2;
    /** The largest additional_data: RFC 9146 §5 with a 255-byte CID. */
    private static final int MAX_AAD = 8 + 1 + 1 + 1 + 2 + 2 + 6 + 255 + 2;

    private final RecordLayerConfig config;
    /**
     * The additional data of the record being sealed or opened, per thread rather than per layer (296 bytes
     * each for 100,000 connections otherwise): it is written and consumed within one protect or open call.
     */
    private static final ThreadLocal<byte[]> AAD = ThreadLocal.withInitial(() -> new byte[MAX_AAD]);
    private final RecordCursor datagramCursor = new RecordCursor(this, false);
    /** Made by {@link #openHeld} and let go at the next {@link #open}: most layers never hold a record. */
    private RecordCursor heldCursor;
    /** Made at the first drop: a connection whose peer behaves drops nothing (and 100,000 of them add up). */
    private long[] dropCounts;
    /** Made when the first next-epoch record is held and dropped with the last: most layers never hold one. */
    private HeldRecords held;

    private ReadEpoch readCurrent;
    private ReadEpoch readPrevious;
    private WriteEpoch writeCurrent;
    private WriteEpoch writePrevious;
    /** The held records were handed out by {@link #openHeld}; their arena is cleared at the next {@link #open}. */
    private boolean heldReleased;

    private byte[] readCid;
    private byte[] writeCid;
    private int peerRecordSizeLimit = RecordLayerConfig.MAX_PLAINTEXT;
    private int epoch0WriteVersion = VERSION_1_2;
    /** The first write sequence number of the current epoch not to use: 2^48-1, or a snapshot's reservation. */
    private long writeSequenceLimit = SEQUENCE_LIMIT;

    private long authFailures;
    private boolean badMacLimitExceeded;

    /**
     * A layer in epoch 0 (clear) in both directions.
     *
     * @param config its bounds: replay window, held records, retention, plaintext limit
     */
    public RecordLayer(RecordLayerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
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
     * one before that is retired and its keys destroyed. Held records of the new epoch are then the
     * caller's to read through {@link #openHeld}.
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
        if (held != null && held.epoch() != epoch) {
            held = null;
        }
        expire(nowNanos);
    }

    /**
     * Retires the previous read epoch once its retention has passed; {@link #open} calls it too.
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
        held = null;
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

    // ---------------------------------------------------------------- snapshots (RFC 9146 connections that outlive a process)

    /**
     * Caps the current write epoch's sequence numbers below {@code limit}: a snapshot handed the numbers from
     * {@code limit} on to whoever restores it, so this layer must never use them (one nonce, one record).
     * Past it, {@link #protect} throws {@link SequenceNumberExhaustedException}.
     *
     * @param limit the first sequence number this layer may not write, above the next one
     */
    public void limitWriteSequence(long limit) {
        if (limit <= writeCurrent.nextSequence || limit > SEQUENCE_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " not above the next sequence number "
                    + writeCurrent.nextSequence);
        }
        writeSequenceLimit = limit;
    }

    /**
     * Continues the current write epoch at {@code next}: a restored connection starts at its snapshot's
     * reservation, never below a number the original may have used.
     *
     * @param next the next sequence number to write
     */
    public void restoreWriteSequence(long next) {
        if (next < writeCurrent.nextSequence || next >= SEQUENCE_LIMIT) {
            throw new IllegalArgumentException("sequence " + next);
        }
        writeCurrent.nextSequence = next;
    }

    /**
     * Marks every sequence number up to {@code rightEdge} of the current read epoch as received: a restored
     * connection does not know which of them the original saw, so it takes none of them again (a late record
     * is lost rather than a replay accepted).
     *
     * @param rightEdge the highest sequence number the original authenticated, or -1 for none
     */
    public void restoreReadWindow(long rightEdge) {
        if (rightEdge >= 0) {
            readCurrent.window.markAllUpTo(rightEdge);
        }
    }

    /**
     * Puts back the current read epoch's replay window exactly as {@link #readRightEdge()} and
     * {@link #readWindowWords()} read it from a layer of the same configuration: what a connection kept at
     * rest in the same process does, where nothing was received in between.
     *
     * @param rightEdge the highest sequence number authenticated, or -1 for none
     * @param words the window's bitmap words
     * @throws IllegalArgumentException when the words do not fit this layer's window
     */
    public void restoreReadWindow(long rightEdge, long[] words) {
        readCurrent.window.restore(rightEdge, words);
    }

    /** {@return a copy of the current read epoch's replay-window bitmap, see {@link #restoreReadWindow(long, long[])}} */
    public long[] readWindowWords() {
        return readCurrent.window.words();
    }

    /**
     * Carries the count of records that failed authentication over to a rebuilt connection, so the bad-MAC
     * limit ({@link RecordLayerConfig#badMacLimit()}) bounds forgery attempts across a rest, not per wake.
     *
     * @param failures the count the original layer reached, at least 0
     */
    public void restoreAuthenticationFailures(long failures) {
        if (failures < 0) {
            throw new IllegalArgumentException("failures " + failures);
        }
        authFailures = failures;
    }

    /** {@return the first write sequence number of the current epoch this layer may not use ({@link #limitWriteSequence})} */
    public long writeSequenceLimit() {
        return writeSequenceLimit;
    }

    /** {@return the highest sequence number authenticated in the current read epoch, or -1} */
    public long readRightEdge() {
        return readCurrent.window.rightEdge();
    }

    /**
     * Test hook: jumps a write epoch's counter, to reach the 2^48 limit without 2^48 records. Public only
     * because the record tests live in {@code org.dtls4j.record}; this package is not exported to users.
     *
     * @param epoch an epoch whose write keys are installed
     * @param seq the next sequence number to write
     */
    public void setNextWriteSequence(int epoch, long seq) {
        writeState(epoch).nextSequence = seq;
    }

    /** {@return how many next-epoch records are held until their keys arrive} */
    public int heldRecordCount() {
        return heldReleased || held == null ? 0 : held.count();
    }

    /** {@return bytes of the next-epoch records held now, at most {@link RecordLayerConfig#maxHeldBytes()}} */
    public int heldBytes() {
        return heldReleased || held == null ? 0 : held.bytes();
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
            return RecordPeek.HEADER_LENGTH + plaintextLength;
        }
        if (writeCid == null) {
            return RecordPeek.HEADER_LENGTH + w.cipher.protectedLength(plaintextLength);
        }
        return RecordPeek.HEADER_LENGTH + writeCid.length + w.cipher.protectedLength(innerLength(plaintextLength));
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
        return maxRecordOverhead(writeState(epoch).cipher);
    }

    /**
     * {@link #maxRecordOverhead(int)} for a write epoch sealed with {@code cipher}, installed or not yet: the
     * handshake plans a flight whose last records go out in an epoch it has only just derived.
     *
     * @param cipher the epoch's sealing cipher, or null for epoch 0 (plaintext)
     * @return the overhead in bytes
     */
    public int maxRecordOverhead(RecordCipher cipher) {
        return maxRecordOverhead(cipher, writeCid);
    }

    /**
     * {@link #maxRecordOverhead(RecordCipher)} for records that will carry {@code cid}: a handshake sizes the
     * flight that follows its CID agreement (RFC 9146) before this layer is told the CID.
     *
     * @param cipher the epoch's sealing cipher, or null for epoch 0 (plaintext, never a CID)
     * @param cid the write CID the records will carry; null or empty for none
     * @return the overhead in bytes
     */
    public int maxRecordOverhead(RecordCipher cipher, byte[] cid) {
        if (cipher == null) {
            return RecordPeek.HEADER_LENGTH;
        }
        if (cid == null || cid.length == 0) {
            return RecordPeek.HEADER_LENGTH + cipher.overhead();
        }
        return RecordPeek.HEADER_LENGTH + cid.length + innerLength(0) + cipher.overhead();
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
        if (w.nextSequence >= (w == writeCurrent ? writeSequenceLimit : SEQUENCE_LIMIT)) {
            throw new SequenceNumberExhaustedException(epoch);
        }
        long seq = w.nextSequence++;
        boolean cid = w.cipher != null && writeCid != null;
        int version = epoch == 0 ? epoch0WriteVersion : VERSION_1_2;
        int headerLength = RecordPeek.headerLength(cid ? writeCid.length : 0);
        RecordPeek.writeHeader(out, outOff, cid ? ContentType.TLS12_CID : type, version, epoch, seq,
                cid ? writeCid : null, total - headerLength);
        int fragOff = outOff + headerLength;
        if (w.cipher == null) {
            System.arraycopy(in, inOff, out, fragOff, len);
            return total;
        }
        long seq64 = (long) epoch << 48 | seq;
        byte[] aad = AAD.get();
        if (!cid) {
            int aadLen = plainAad(aad, seq64, type, version, len);
            w.cipher.seal(seq64, aad, 0, aadLen, in, inOff, len, out, fragOff);
            return total;
        }
        // RFC 9146 §4: DTLSInnerPlaintext = content || real_type || zeros, sealed in place.
        int innerOff = fragOff + w.cipher.recordIvLength();
        int innerLen = innerLength(len);
        System.arraycopy(in, inOff, out, innerOff, len);
        out[innerOff + len] = (byte) type;
        Arrays.fill(out, innerOff + len + 1, innerOff + innerLen, (byte) 0);
        int aadLen = cidAad(aad, writeCid, 0, writeCid.length, version, seq64, innerLen);
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

    /** RFC 6347 §4.1.2.1 / RFC 5246 §6.2.3.3: epoch||seq (8) || type || version || plaintext length. */
    private static int plainAad(byte[] aad, long seq64, int type, int version, int length) {
        putLong(aad, 0, seq64);
        aad[8] = (byte) type;
        aad[9] = (byte) (version >>> 8);
        aad[10] = (byte) version;
        aad[11] = (byte) (length >>> 8);
        aad[12] = (byte) length;
        return PLAIN_AAD_LENGTH;
    }

    /**
     * RFC 9146 §5 (AEAD): seq_num_placeholder (8 x 0xff) || tls12_cid || cid_length || tls12_cid ||
     * version || epoch || sequence_number || cid || length_of_DTLSInnerPlaintext.
     */
    private static int cidAad(byte[] aad, byte[] cid, int cidOff, int cidLen, int version, long seq64, int innerLength) {
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
     * Starts reading the records of one received datagram {@code datagram[off, off+len)}: each
     * {@link RecordCursor#next()} yields the next valid record and counts every drop before it. Epoch-0
     * payloads are slices of {@code datagram}; protected records are opened in place, so the datagram's bytes
     * are overwritten with plaintext. Records of the next epoch are held, unopened, until its keys exist
     * ({@link #openHeld}). The returned cursor is the layer's own and is reused by the next call.
     *
     * @param datagram the buffer holding the datagram; its protected records are decrypted in place
     * @param off where the datagram starts
     * @param len the datagram's length
     * @param nowNanos the caller's clock (for epoch retention)
     * @return the cursor over the datagram's records
     */
    public RecordCursor open(byte[] datagram, int off, int len, long nowNanos) {
        Objects.checkFromIndexSize(off, len, datagram.length);
        expire(nowNanos);
        if (heldReleased) {
            // The last released records' plaintext was readable until now; the arena may be reused.
            heldReleased = false;
            held = null;
        }
        heldCursor = null;
        RecordCursor c = datagramCursor;
        c.buf = datagram;
        c.pos = off;
        c.end = off + len;
        if (badMacLimitExceeded) {
            drop(DropReason.CLOSED);
            c.pos = c.end;
        }
        return c;
    }

    /**
     * {@return true when records of the current read epoch are held: they arrived before its keys, which are now installed}
     */
    public boolean hasReleasableHeld() {
        return !heldReleased && held != null && held.count() > 0 && held.epoch() == readCurrent.epoch;
    }

    /**
     * Starts reading the held records of the current read epoch, once the caller installed its keys: call it
     * between two records of a datagram (the datagram's cursor stays where it was) or after one. Their
     * plaintext stays readable until the next {@link #open}. Records held for an epoch that is not the current
     * one are forgotten.
     *
     * @param nowNanos the caller's clock
     * @return the cursor over the held records (empty when none can be released)
     */
    public RecordCursor openHeld(long nowNanos) {
        expire(nowNanos);
        RecordCursor c = heldCursor;
        if (c == null) {
            c = new RecordCursor(this, true);
            heldCursor = c;
        }
        c.heldIndex = 0;
        c.heldCount = 0;
        if (held == null || held.epoch() != readCurrent.epoch || heldReleased) {
            c.buf = null;
            held = null;
            return c;
        }
        c.buf = held.arena();
        c.heldCount = held.count();
        heldReleased = c.heldCount > 0;
        return c;
    }

    /** Moves {@code c} to its next valid record; the work behind {@link RecordCursor#next()}. */
    boolean advance(RecordCursor c) {
        return c.held ? advanceHeld(c) : advanceDatagram(c);
    }

    private boolean advanceDatagram(RecordCursor c) {
        while (c.pos < c.end && !badMacLimitExceeded) {
            int start = c.pos;
            int next = readHeader(c, c.buf, start, c.end);
            if (next < 0) {
                // No trustworthy length: the rest of the datagram cannot be framed (RFC 6347 §4.1.2.7).
                drop(next == -2 ? DropReason.CID_MISMATCH : DropReason.MALFORMED);
                c.pos = c.end;
                break;
            }
            c.pos = next;
            if (accept(c, start, next)) {
                return true;
            }
        }
        // Done with the caller's datagram: do not keep it reachable until the next one (for an idle connection,
        // that is for ever).
        c.buf = null;
        return false;
    }

    private boolean advanceHeld(RecordCursor c) {
        // held is null when the layer was destroyed (or the epoch moved on) while the caller walked them.
        while (held != null && c.heldIndex < c.heldCount && !badMacLimitExceeded) {
            int i = c.heldIndex++;
            int start = held.offset(i);
            int end = start + held.length(i);
            if (readHeader(c, c.buf, start, end) != end) {
                drop(DropReason.MALFORMED); // only if the read CID changed while the record was held
            } else if (accept(c, start, end)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses the header at {@code pos} into the cursor's h* fields through {@link RecordPeek}, which neither
     * throws nor allocates on a short record, as a {@code Reader} would.
     *
     * @return the offset after the record; -1 when the header or fragment runs past {@code end}; -2 for a
     *     tls12_cid record when we expect no CID, whose header length is then unknown
     */
    private int readHeader(RecordCursor c, byte[] b, int pos, int end) {
        int n = end - pos;
        c.hType = RecordPeek.type(b, pos, n);
        if (c.hType < 0) {
            return -1;
        }
        c.hVersion = RecordPeek.version(b, pos, n);
        c.hEpoch = RecordPeek.epoch(b, pos, n);
        c.hSeq = RecordPeek.sequenceNumber(b, pos, n);
        int cidLen = 0;
        if (c.hType == ContentType.TLS12_CID) {
            if (readCid == null) {
                return -2;
            }
            cidLen = readCid.length;
        }
        int recordLength = RecordPeek.recordLength(b, pos, n, cidLen);
        if (recordLength < 0) {
            return -1;
        }
        c.hCidOff = pos + RecordPeek.CID_OFFSET;
        c.hFragOff = pos + RecordPeek.headerLength(cidLen);
        c.hFragLen = recordLength - RecordPeek.headerLength(cidLen);
        return pos + recordLength;
    }

    /** Checks and opens the record whose header readHeader just parsed; true when it is valid. */
    private boolean accept(RecordCursor c, int start, int end) {
        int hType = c.hType;
        int hEpoch = c.hEpoch;
        boolean cidRecord = hType == ContentType.TLS12_CID;
        if (!cidRecord && !ContentType.isKnown(hType)) {
            return drop(DropReason.UNKNOWN_CONTENT_TYPE);
        }
        if (c.hVersion != VERSION_1_2 && !(c.hVersion == VERSION_1_0 && hEpoch == 0
                && (hType == ContentType.HANDSHAKE || hType == ContentType.ALERT))) {
            // RFC 6347 §4.1: DTLS 1.0 record versions only in the first flights, before a version is agreed.
            return drop(DropReason.BAD_VERSION);
        }
        if (c.hFragLen > config.maxPlaintext() + (hEpoch == 0 ? 0 : CIPHERTEXT_EXPANSION)) {
            return drop(DropReason.OVERSIZED);
        }
        // RFC 9146 §4: with a negotiated CID every record above epoch 0 carries it; none do in epoch 0.
        boolean cidExpected = hEpoch > 0 && readCid != null;
        if (cidRecord != cidExpected || cidRecord
                && !Arrays.equals(c.buf, c.hCidOff, c.hCidOff + readCid.length, readCid, 0, readCid.length)) {
            return drop(DropReason.CID_MISMATCH);
        }
        ReadEpoch st = readState(hEpoch);
        if (st == null) {
            return holdOrDrop(c, start, end);
        }
        if (st.cipher == null) {
            // Epoch 0 has no MAC, and RFC 6347 §4.1.2.6 moves the window only for records that authenticated:
            // one forged epoch-0 record with a high sequence number would otherwise make every genuine one
            // "too old" and stall the handshake. Duplicates are the handshake layer's to drop.
            if (hType == ContentType.APPLICATION_DATA) {
                return drop(DropReason.CLEARTEXT_APPLICATION_DATA);
            }
            c.type = hType;
            c.plainOff = c.hFragOff;
            c.plainLen = c.hFragLen;
            return true;
        }
        if (st.window.isTooOld(c.hSeq)) {
            return drop(DropReason.TOO_OLD);
        }
        if (!st.window.isFresh(c.hSeq)) {
            return drop(DropReason.REPLAY);
        }
        return openInPlace(st, c, cidRecord);
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
    private boolean holdOrDrop(RecordCursor c, int start, int end) {
        if (c.hEpoch != readCurrent.epoch + 1 || c.held) {
            return drop(c.hEpoch > readCurrent.epoch ? DropReason.UNKNOWN_EPOCH : DropReason.RETIRED_EPOCH);
        }
        if (!heldReleased && held == null) {
            held = new HeldRecords(config.maxHeldRecords(), config.maxHeldBytes());
        }
        if (heldReleased || !held.hold(c.hEpoch, c.buf, start, end - start)) {
            // heldReleased: the arena still holds plaintext the caller may read until the next datagram.
            return drop(DropReason.HELD_OVERFLOW);
        }
        return false;
    }

    private boolean openInPlace(ReadEpoch st, RecordCursor c, boolean cidRecord) {
        byte[] b = c.buf;
        if (c.hFragLen < st.cipher.protectedLength(cidRecord ? 1 : 0)) {
            return drop(DropReason.MALFORMED);
        }
        long seq64 = (long) c.hEpoch << 48 | c.hSeq;
        // Exact for AEAD; a CBC cipher rewrites the length field with what its MAC covers.
        int plainLength = Math.max(0, c.hFragLen - st.cipher.overhead());
        byte[] aad = AAD.get();
        int aadLen = cidRecord
                ? cidAad(aad, b, c.hCidOff, readCid.length, c.hVersion, seq64, plainLength)
                : plainAad(aad, seq64, c.hType, c.hVersion, plainLength);
        int n;
        try {
            // RecordCipher opens in place when out == in at the same offset: the plaintext replaces the fragment.
            n = st.cipher.open(seq64, aad, 0, aadLen, b, c.hFragOff, c.hFragLen, b, c.hFragOff);
        } catch (DtlsException e) {
            authFailures++;
            int limit = config.badMacLimit();
            if (limit > 0 && authFailures >= limit) {
                badMacLimitExceeded = true;
            }
            return drop(DropReason.AUTH_FAILED);
        }
        st.window.markReceived(c.hSeq);
        int type = c.hType;
        if (cidRecord) {
            // RFC 9146 §4: the real type is the last non-zero byte; padding after it is zeros.
            int i = n - 1;
            while (i >= 0 && b[c.hFragOff + i] == 0) {
                i--;
            }
            if (i < 0) {
                return drop(DropReason.EMPTY_INNER_PLAINTEXT);
            }
            type = b[c.hFragOff + i] & 0xff;
            n = i;
            if (!ContentType.isKnown(type)) {
                return drop(DropReason.UNKNOWN_CONTENT_TYPE);
            }
        }
        if (n > config.maxPlaintext()) {
            return drop(DropReason.OVERSIZED);
        }
        c.type = type;
        c.plainOff = c.hFragOff;
        c.plainLen = n;
        return true;
    }

    // ---------------------------------------------------------------- counters

    private boolean drop(DropReason reason) {
        if (dropCounts == null) {
            dropCounts = new long[DropReason.values().length];
        }
        dropCounts[reason.ordinal()]++;
        return false;
    }

    /**
     * {@return records dropped for {@code reason} since this layer was created}
     *
     * @param reason the drop reason
     */
    public long drops(DropReason reason) {
        return dropCounts == null ? 0 : dropCounts[reason.ordinal()];
    }

    /** {@return records dropped for any reason} */
    public long totalDrops() {
        long sum = 0;
        if (dropCounts == null) {
            return 0;
        }
        for (long c : dropCounts) {
            sum += c;
        }
        return sum;
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
