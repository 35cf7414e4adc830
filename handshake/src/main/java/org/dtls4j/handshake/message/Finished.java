package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * Finished (RFC 5246 §7.4.9): {@code opaque verify_data[verify_data_length];} with no length on the
 * wire, so decoding needs the suite's length (12 for every suite we offer; never below 12). Compare
 * verify_data with {@link Bytes#equalsConstantTime}.
 */
public record Finished(Bytes verifyData) implements HandshakeMessage {
    /** verify_data_length of all TLS 1.2 suites that do not say otherwise. */
    public static final int DEFAULT_LENGTH = 12;

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param verifyData the verify_data, 12 bytes for every suite we run (at least 12, at most 2^24-1)
     */
    public Finished {
        Codec.bytes(verifyData, DEFAULT_LENGTH, 0xffffff, "verify_data");
    }

    /**
     * Reads exactly {@code length} bytes of verify_data; any other body length is decode_error.
     *
     * @param r the reader, at the body's first byte
     * @param length the verify_data length the suite uses
     * @return the message
     * @throws DtlsException decode_error for any other body length
     */
    public static Finished decode(Reader r, int length) throws DtlsException {
        if (length < DEFAULT_LENGTH) {
            throw new IllegalArgumentException("verify_data_length " + length + " below 12");
        }
        Bytes data = Bytes.wrap(r.bytes(length));
        r.expectEnd();
        return new Finished(data);
    }

    @Override
    public int type() {
        return HandshakeType.FINISHED;
    }

    @Override
    public void encode(Writer w) {
        verifyData.writeTo(w);
    }
}
