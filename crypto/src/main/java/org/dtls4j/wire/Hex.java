package org.dtls4j.wire;

/** Lower-case hex encoding and decoding, for key logs, the command line and test vectors. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /**
     * {@return the bytes as lower-case hex digits}
     *
     * @param bytes the bytes
     */
    public static String encode(byte[] bytes) {
        return encode(bytes, 0, bytes.length);
    }

    /**
     * {@return {@code bytes[off, off + len)} as lower-case hex digits}
     *
     * @param bytes the buffer
     * @param off where to start
     * @param len how many bytes
     */
    public static String encode(byte[] bytes, int off, int len) {
        char[] out = new char[len * 2];
        for (int i = 0; i < len; i++) {
            int b = bytes[off + i] & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0f];
        }
        return new String(out);
    }

    /**
     * Decodes hex digits, ignoring white space and ':' separators.
     *
     * @param hex the digits
     * @return the bytes
     * @throws IllegalArgumentException for a non-hex character or an odd number of digits
     */
    public static byte[] decode(CharSequence hex) {
        StringBuilder digits = new StringBuilder(hex.length());
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!Character.isWhitespace(c) && c != ':') {
                digits.append(c);
            }
        }
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(digits.charAt(2 * i), 16);
            int lo = Character.digit(digits.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex digit near position " + 2 * i);
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
