package org.dtls4j.handshake.message;

import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The max_fragment_length extension (1), RFC 6066 §4:
 * <pre>
 * enum { 2^9(1), 2^10(2), 2^11(3), 2^12(4), (255) } MaxFragmentLength;
 * </pre>
 * A code outside 1..4 is illegal_parameter in decode, because RFC 6066 §4 makes receiving one fatal
 * with that alert whichever side receives it.
 */
public record MaxFragmentLength(int code) implements ExtensionData {
    /**
     * Checks the code is one RFC 6066 defines (1 to 4).
     *
     * @param code the RFC 6066 §4 code, 1 to 4 (2^9 to 2^12 bytes)
     */
    public MaxFragmentLength {
        if (code < 1 || code > 4) {
            throw new IllegalArgumentException("max_fragment_length code " + code + " outside 1..4");
        }
    }

    /**
     * {@return the code for a fragment limit of {@code bytes}, which must be 512, 1024, 2048 or 4096}
     *
     * @param bytes 512, 1024, 2048 or 4096
     */
    public static MaxFragmentLength ofBytes(int bytes) {
        int code = Integer.numberOfTrailingZeros(bytes) - 8;
        if (Integer.bitCount(bytes) != 1 || code < 1 || code > 4) {
            throw new IllegalArgumentException("no max_fragment_length code for " + bytes + " bytes");
        }
        return new MaxFragmentLength(code);
    }

    /**
     * Reads a {@code MaxFragmentLength} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static MaxFragmentLength decode(Reader r) throws DtlsException {
        int code = r.u8();
        r.expectEnd();
        if (code < 1 || code > 4) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "max_fragment_length code " + code);
        }
        return new MaxFragmentLength(code);
    }

    /** {@return the plaintext fragment limit in bytes: 2^(8 + code)} */
    public int bytes() {
        return 1 << (8 + code);
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.MAX_FRAGMENT_LENGTH;
    }

    @Override
    public void encodeData(Writer w) {
        w.u8(code);
    }
}
