package org.dtls4j.record.internal;

/**
 * Raw records of the next epoch that arrived before its keys (typically a Finished overtaking the
 * ChangeCipherSpec). They are kept as received bytes, unopened, in one arena allocated on first use.
 * Bound: at most {@code maxRecords} records and {@code maxBytes} bytes, fixed at construction.
 */
public final class HeldRecords {
    private final int maxRecords;
    private final int maxBytes;
    /** Made with the arena, on the first record held: most connections never hold one. */
    private int[] offsets;
    private int[] lengths;
    private byte[] arena;
    private int count;
    private int used;
    private int epoch = -1;

    public HeldRecords(int maxRecords, int maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /** Copies a record of {@code epoch}; false when that would pass a bound (the caller counts the drop). */
    public boolean hold(int epoch, byte[] buf, int off, int len) {
        if (count == maxRecords || len > maxBytes - used || (count > 0 && epoch != this.epoch)) {
            return false;
        }
        if (arena == null) {
            arena = new byte[maxBytes];
            offsets = new int[maxRecords];
            lengths = new int[maxRecords];
        }
        System.arraycopy(buf, off, arena, used, len);
        offsets[count] = used;
        lengths[count] = len;
        used += len;
        count++;
        this.epoch = epoch;
        return true;
    }

    public int count() {
        return count;
    }

    public int bytes() {
        return used;
    }

    /** The epoch of the held records, or -1 when none are held. */
    public int epoch() {
        return count == 0 ? -1 : epoch;
    }

    public byte[] arena() {
        return arena;
    }

    public int offset(int i) {
        return offsets[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    /** Forgets every held record and frees the arena: the connection has ended. */
    public void release() {
        clear();
        arena = null;
        offsets = null;
        lengths = null;
    }

    /** Forgets every held record (after release or when their epoch can no longer come). */
    public void clear() {
        count = 0;
        used = 0;
        epoch = -1;
    }
}
