package org.dtls4j.handshake.message;

import java.util.function.Consumer;
import org.dtls4j.wire.Writer;

/**
 * Encodes into a per-thread scratch {@link Writer} and returns an exact-size copy, so encoding a message or an
 * extension allocates the result only, not a growable buffer as well (a PSK handshake encodes about twenty of
 * them). Re-entrant: the writer is taken off the thread while in use, so an encoder that encodes something else
 * inside gets a fresh writer instead of clobbering the outer one. What stays in the buffer between uses is the
 * last encoding, i.e. bytes that go on the wire; no key material is encoded through it.
 */
final class Scratch {
    /** Larger writers (a long certificate chain) are dropped after use rather than kept by the thread. */
    private static final int KEEP_AT_MOST = 16 * 1024;
    private static final ThreadLocal<Writer> WRITER = new ThreadLocal<>();

    private Scratch() {
    }

    /** {@return the bytes {@code encoder} writes, in a fresh array of their exact length} */
    static byte[] encode(Consumer<Writer> encoder) {
        Writer w = WRITER.get();
        if (w == null) {
            w = new Writer(512);
        } else {
            WRITER.set(null);
        }
        try {
            encoder.accept(w.reset());
            return w.toByteArray();
        } finally {
            if (w.array().length <= KEEP_AT_MOST) {
                WRITER.set(w.reset());
            }
        }
    }
}
