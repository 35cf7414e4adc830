package org.dtls4j.handshake.message;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.dtls4j.wire.Writer;

/**
 * An immutable byte string for message fields: compares by content (records holding {@code byte[]}
 * would compare by identity) and copies on the way in and out, so messages are truly immutable.
 */
public final class Bytes {
    /** The empty byte string. */
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    /** toString shows at most this many bytes, so a 10 kB certificate does not flood a log line. */
    private static final int SHOWN = 32;

    private final byte[] value;

    private Bytes(byte[] value) {
        this.value = value;
    }

    /**
     * {@return a copy of {@code bytes}}
     *
     * @param bytes the bytes
     */
    public static Bytes of(byte... bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /**
     * {@return the bytes a hex string spells (even length, no separators)}
     *
     * @param hex hex digits
     */
    public static Bytes fromHex(String hex) {
        return wrap(HexFormat.of().parseHex(hex));
    }

    /** Takes ownership of an array nobody else holds (the decoders' fresh copies). */
    static Bytes wrap(byte[] owned) {
        return owned.length == 0 ? EMPTY : new Bytes(owned);
    }

    /** The backing array, for reading inside this package only; never hand it out. */
    byte[] array() {
        return value;
    }

    /** {@return how many bytes} */
    public int length() {
        return value.length;
    }

    /** {@return true for no bytes} */
    public boolean isEmpty() {
        return value.length == 0;
    }

    /**
     * {@return the byte at {@code index}}
     *
     * @param index from 0
     */
    public byte get(int index) {
        return value[index];
    }

    /** {@return a fresh copy of the bytes} */
    public byte[] toByteArray() {
        return value.clone();
    }

    /**
     * Writes the bytes without a length prefix.
     *
     * @param w where the bytes go
     */
    public void writeTo(Writer w) {
        w.bytes(value);
    }

    /**
     * Compares in time independent of where the first difference is, for Finished and cookies.
     *
     * @param other the bytes to compare with
     * @return true when equal
     */
    public boolean equalsConstantTime(byte[] other) {
        return MessageDigest.isEqual(value, other);
    }

    /** {@return the bytes as lower-case hex} */
    public String hex() {
        return HexFormat.of().formatHex(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        if (value.length <= SHOWN) {
            return hex();
        }
        return HexFormat.of().formatHex(value, 0, SHOWN) + "...(" + value.length + " bytes)";
    }
}
