package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The extended_master_secret extension (23), RFC 7627 §5.1: "The extension_data field of this
 * extension SHALL be empty", so any data is decode_error.
 */
public record ExtendedMasterSecret() implements ExtensionData {
    /**
     * Reads a {@code ExtendedMasterSecret} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static ExtendedMasterSecret decode(Reader r) throws DtlsException {
        r.expectEnd();
        return new ExtendedMasterSecret();
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.EXTENDED_MASTER_SECRET;
    }

    @Override
    public void encodeData(Writer w) {
        // empty by definition
    }
}
