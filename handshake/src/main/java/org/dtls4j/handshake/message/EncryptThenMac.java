package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The encrypt_then_mac extension (22), RFC 7366 §2: "The "extension_data" field of this extension
 * SHALL be empty", so any data is decode_error. A server answers it only when it selects a CBC suite
 * (RFC 7366 §3).
 */
public record EncryptThenMac() implements ExtensionData {
    /**
     * Reads the extension data, which must be empty.
     *
     * @param r the extension data
     * @return the extension
     * @throws DtlsException decode_error when the data is not empty
     */
    public static EncryptThenMac decode(Reader r) throws DtlsException {
        r.expectEnd();
        return new EncryptThenMac();
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.ENCRYPT_THEN_MAC;
    }

    @Override
    public void encodeData(Writer w) {
        // empty by definition
    }
}
