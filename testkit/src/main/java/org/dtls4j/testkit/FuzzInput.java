package org.dtls4j.testkit;

import java.util.Arrays;

/**
 * A fuzz target's raw input read as a sequence of small fields. Reads past the end give zeros or fewer
 * bytes instead of failing, so every byte string is a valid input and the fuzzer never wastes runs on the
 * target's own framing. The seed writers build the same layout with {@code org.dtls4j.wire.Writer}.
 */
public final class FuzzInput {
    private final byte[] data;
    private int pos;

    public FuzzInput(byte[] data) {
        this.data = data;
    }

    public boolean hasRemaining() {
        return pos < data.length;
    }

    public int remaining() {
        return data.length - pos;
    }

    /** The next byte, 0 past the end. */
    public int u8() {
        return pos < data.length ? data[pos++] & 0xff : 0;
    }

    /** The next two bytes, big-endian. */
    public int u16() {
        return u8() << 8 | u8();
    }

    /** The next {@code n} bytes, or fewer when the input ends first. */
    public byte[] bytes(int n) {
        int take = Math.min(n, remaining());
        byte[] out = Arrays.copyOfRange(data, pos, pos + take);
        pos += take;
        return out;
    }

    /** A two-byte length, then that many bytes (fewer at the end of the input). */
    public byte[] chunk() {
        return bytes(u16());
    }

    /** Everything left. */
    public byte[] rest() {
        return bytes(remaining());
    }
}
