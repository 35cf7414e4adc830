package org.dtls4j.wire;

import java.util.Arrays;

/**
 * Appends wire values to a growable buffer, or to a caller's array when hot paths must not allocate.
 * Vector lengths are back-filled: {@link #beginLength(int)} reserves the prefix, {@link #endLength(int)}
 * writes it once the body is known, and refuses a body too long for its prefix.
 */
public final class Writer {
    private byte[] buf;
    private final int start;
    private int pos;
    private final boolean growable;
    private static final int[] NONE = {};
    /**
     * Prefix widths of open vectors, by the position of their first length byte. Empty until the first
     * {@link #beginLength}: many writers (a header, a fixed-size field) never open one.
     */
    private int[] openWidths = NONE;
    private int[] openMarks = NONE;
    private int open;

    /** A growable writer. */
    public Writer() {
        this(256);
    }

    /**
     * A growable writer with the given first capacity.
     *
     * @param capacity the first buffer size; it grows as needed
     */
    public Writer(int capacity) {
        this.buf = new byte[Math.max(16, capacity)];
        this.start = 0;
        this.growable = true;
    }

    /**
     * A writer into {@code buf} from {@code off}; writing past the array's end is a programming error.
     *
     * @param buf the buffer written into
     * @param off where writing starts
     */
    public Writer(byte[] buf, int off) {
        this.buf = buf;
        this.start = off;
        this.pos = off;
        this.growable = false;
    }

    private void ensure(int n) {
        if (pos + n <= buf.length) {
            return;
        }
        if (!growable) {
            throw new IllegalStateException("writer overflow: need " + n + " bytes at " + pos + " of " + buf.length);
        }
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    /** {@return bytes written so far} */
    public int size() {
        return pos - start;
    }

    /** {@return the absolute position the next byte goes to} */
    public int position() {
        return pos;
    }

    /** {@return the underlying array (it changes when a growable writer grows)} */
    public byte[] array() {
        return buf;
    }

    /**
     * Forgets everything written, keeping the buffer.
     *
     * @return this writer
     */
    public Writer reset() {
        pos = start;
        open = 0;
        return this;
    }

    /**
     * {@return a copy of the bytes written}
     *
     * @throws IllegalStateException while a length prefix is still open
     */
    public byte[] toByteArray() {
        if (open != 0) {
            throw new IllegalStateException(open + " vector length(s) not closed");
        }
        return Arrays.copyOfRange(buf, start, pos);
    }

    /**
     * Writes one byte.
     *
     * @throws IllegalArgumentException when {@code v} is outside 0..255: a caller's value that does not fit
     *     its wire field is a bug to surface, not a number to truncate silently
     * @param v the number
     * @return this writer
     */
    public Writer u8(int v) {
        checkRange(v, 8);
        ensure(1);
        buf[pos++] = (byte) v;
        return this;
    }

    /**
     * Writes a big-endian uint16.
     *
     * @throws IllegalArgumentException when {@code v} is outside 0..65535
     * @param v the number
     * @return this writer
     */
    public Writer u16(int v) {
        checkRange(v, 16);
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    /**
     * Writes a big-endian uint24.
     *
     * @throws IllegalArgumentException when {@code v} is outside 0..2^24-1
     * @param v the number
     * @return this writer
     */
    public Writer u24(int v) {
        checkRange(v, 24);
        ensure(3);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
        return this;
    }

    /**
     * Writes the low 32 bits of {@code v} big-endian.
     *
     * @param v the number
     * @return this writer
     */
    public Writer u32(long v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
        return this;
    }

    /**
     * Writes the low 48 bits of {@code v} big-endian.
     *
     * @param v the number
     * @return this writer
     */
    public Writer u48(long v) {
        ensure(6);
        for (int shift = 40; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
        return this;
    }

    /**
     * Writes the low 64 bits of {@code v} big-endian.
     *
     * @param v the number
     * @return this writer
     */
    public Writer u64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
        return this;
    }

    /**
     * Writes {@code b} as is.
     *
     * @param b the bytes
     * @return this writer
     */
    public Writer bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    /**
     * Writes {@code b[off, off + len)} as is.
     *
     * @param b the buffer
     * @param off where the bytes start
     * @param len how many
     * @return this writer
     */
    public Writer bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        return this;
    }

    /**
     * Writes {@code opaque x<0..2^8-1>}.
     *
     * @param b the vector's contents
     * @return this writer
     */
    public Writer opaque8(byte[] b) {
        checkFits(b.length, 1);
        return u8(b.length).bytes(b);
    }

    /**
     * Writes {@code opaque x<0..2^16-1>}.
     *
     * @param b the vector's contents
     * @return this writer
     */
    public Writer opaque16(byte[] b) {
        checkFits(b.length, 2);
        return u16(b.length).bytes(b);
    }

    /**
     * Writes {@code opaque x<0..2^24-1>}.
     *
     * @param b the vector's contents
     * @return this writer
     */
    public Writer opaque24(byte[] b) {
        checkFits(b.length, 3);
        return u24(b.length).bytes(b);
    }

    /**
     * Reserves a length prefix of {@code width} bytes (1, 2 or 3).
     *
     * @param width bytes of the length prefix: 1, 2 or 3
     * @return the mark for {@link #endLength}
     */
    public int beginLength(int width) {
        if (width < 1 || width > 3) {
            throw new IllegalArgumentException("length width " + width);
        }
        ensure(width);
        int mark = pos;
        pos += width;
        if (open == openMarks.length) {
            openMarks = Arrays.copyOf(openMarks, Math.max(4, open * 2));
            openWidths = Arrays.copyOf(openWidths, Math.max(4, open * 2));
        }
        openMarks[open] = mark;
        openWidths[open] = width;
        open++;
        return mark;
    }

    /**
     * Back-fills the length of the innermost open vector, which must be the one {@code mark} names.
     *
     * @param mark what {@link #beginLength} returned
     * @return this writer
     */
    public Writer endLength(int mark) {
        if (open == 0 || openMarks[open - 1] != mark) {
            throw new IllegalStateException("vectors closed out of order");
        }
        int width = openWidths[open - 1];
        int len = pos - mark - width;
        // Check before popping: a refused vector stays open, so the writer cannot emit it half-done.
        checkFits(len, width);
        open--;
        for (int i = width - 1; i >= 0; i--) {
            buf[mark + i] = (byte) (len >>> (8 * (width - 1 - i)));
        }
        return this;
    }

    private static void checkRange(int v, int bits) {
        if (v >>> bits != 0) {
            throw new IllegalArgumentException(v + " does not fit a uint" + bits);
        }
    }

    private static void checkFits(int len, int width) {
        if (len >>> (8 * width) != 0) {
            throw new IllegalArgumentException(len + " bytes do not fit a " + width + "-byte length");
        }
    }
}
