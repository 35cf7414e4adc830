package org.dtls4j.wire;

import java.util.Objects;

/**
 * The one bounds-checked cursor over peer bytes. Every read checks what remains first and throws
 * {@link DtlsException} (decode_error) instead of reading past its limit, so no index arithmetic on
 * peer data happens anywhere else. A reader can be {@linkplain #reset reset} over new bytes so hot
 * paths reuse one instance instead of allocating per datagram.
 */
public final class Reader {
    private byte[] buf;
    private int pos;
    private int limit;

    /**
     * A reader over the whole of {@code buf} (not copied).
     *
     * @param buf the bytes to read
     */
    public Reader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    /**
     * A reader over {@code buf[off, off + len)} (not copied).
     *
     * @param buf the buffer
     * @param off where reading starts
     * @param len how many bytes may be read
     */
    public Reader(byte[] buf, int off, int len) {
        reset(buf, off, len);
    }

    /**
     * Points this reader at {@code buf[off, off + len)}.
     *
     * @param buf the buffer (not copied)
     * @param off where reading starts
     * @param len how many bytes may be read
     * @return this reader
     */
    public Reader reset(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        this.buf = buf;
        this.pos = off;
        this.limit = off + len;
        return this;
    }

    /** {@return bytes left to read} */
    public int remaining() {
        return limit - pos;
    }

    /** {@return true while bytes are left to read} */
    public boolean hasRemaining() {
        return pos < limit;
    }

    /** {@return the absolute index of the next byte in the underlying array} */
    public int position() {
        return pos;
    }

    /** {@return the absolute index one past the last readable byte} */
    public int limit() {
        return limit;
    }

    /** {@return the underlying array; bytes outside {@code [position(), limit())} are not this reader's} */
    public byte[] array() {
        return buf;
    }

    private void need(int n) throws DtlsException {
        if (n < 0 || n > limit - pos) {
            throw DtlsException.decodeError("need " + n + " bytes, " + (limit - pos) + " remain");
        }
    }

    /**
     * Reads an unsigned 8-bit big-endian number.
     *
     * @return the number
     * @throws DtlsException decode_error when the bytes run out
     */
    public int u8() throws DtlsException {
        need(1);
        return buf[pos++] & 0xff;
    }

    /**
     * Reads an unsigned 16-bit big-endian number.
     *
     * @return the number
     * @throws DtlsException decode_error when the bytes run out
     */
    public int u16() throws DtlsException {
        need(2);
        int v = (buf[pos] & 0xff) << 8 | (buf[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    /**
     * Reads an unsigned 24-bit big-endian number.
     *
     * @return the number
     * @throws DtlsException decode_error when the bytes run out
     */
    public int u24() throws DtlsException {
        need(3);
        int v = (buf[pos] & 0xff) << 16 | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff);
        pos += 3;
        return v;
    }

    /**
     * Reads an unsigned 32-bit big-endian number.
     *
     * @return the number
     * @throws DtlsException decode_error when the bytes run out
     */
    public long u32() throws DtlsException {
        need(4);
        long v = (long) (buf[pos] & 0xff) << 24 | (buf[pos + 1] & 0xff) << 16
                | (buf[pos + 2] & 0xff) << 8 | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    /**
     * Reads an unsigned 48-bit big-endian number.
     *
     * @return the number
     * @throws DtlsException decode_error when the bytes run out
     */
    public long u48() throws DtlsException {
        need(6);
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = v << 8 | (buf[pos + i] & 0xff);
        }
        pos += 6;
        return v;
    }

    /**
     * Reads an unsigned 64-bit big-endian number.
     *
     * @return the number
     * @throws DtlsException decode_error when the bytes run out
     */
    public long u64() throws DtlsException {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    /**
     * Copies the next {@code n} bytes out.
     *
     * @param n how many bytes
     * @throws DtlsException decode_error when the bytes run out
     * @return a copy of them
     */
    public byte[] bytes(int n) throws DtlsException {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    /**
     * Skips {@code n} bytes.
     *
     * @param n how many bytes
     * @throws DtlsException decode_error when the bytes run out
     */
    public void skip(int n) throws DtlsException {
        need(n);
        pos += n;
    }

    /**
     * Reads {@code opaque x<0..2^8-1>}: a one-byte length, then that many bytes.
     *
     * @throws DtlsException decode_error when the bytes run out
     * @return a copy of the bytes
     */
    public byte[] opaque8() throws DtlsException {
        return bytes(u8());
    }

    /**
     * Reads {@code opaque x<0..2^16-1>}.
     *
     * @throws DtlsException decode_error when the bytes run out
     * @return a copy of the bytes
     */
    public byte[] opaque16() throws DtlsException {
        return bytes(u16());
    }

    /**
     * Reads {@code opaque x<0..2^24-1>}.
     *
     * @throws DtlsException decode_error when the bytes run out
     * @return a copy of the bytes
     */
    public byte[] opaque24() throws DtlsException {
        return bytes(u24());
    }

    /**
     * {@return a reader over the next {@code len} bytes, which this reader then skips}
     *
     * @param len bytes the sub-reader covers
     * @throws DtlsException decode_error when the bytes run out
     */
    public Reader sub(int len) throws DtlsException {
        need(len);
        Reader r = new Reader(buf, pos, len);
        pos += len;
        return r;
    }

    /**
     * {@return a reader over a vector with a one-byte length prefix}
     *
     * @throws DtlsException decode_error when the bytes run out
     */
    public Reader sub8() throws DtlsException {
        return sub(u8());
    }

    /**
     * {@return a reader over a vector with a two-byte length prefix}
     *
     * @throws DtlsException decode_error when the bytes run out
     */
    public Reader sub16() throws DtlsException {
        return sub(u16());
    }

    /**
     * {@return a reader over a vector with a three-byte length prefix}
     *
     * @throws DtlsException decode_error when the bytes run out
     */
    public Reader sub24() throws DtlsException {
        return sub(u24());
    }

    /**
     * Fails with decode_error unless every byte has been read: trailing bytes are an error in TLS.
     *
     * @throws DtlsException decode_error when bytes are left
     */
    public void expectEnd() throws DtlsException {
        if (pos != limit) {
            throw DtlsException.decodeError((limit - pos) + " trailing bytes");
        }
    }
}
