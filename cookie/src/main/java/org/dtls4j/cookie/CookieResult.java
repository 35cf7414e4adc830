package org.dtls4j.cookie;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import org.dtls4j.wire.ClientHelloPeek;
import org.dtls4j.wire.ProtocolVersion;
import org.dtls4j.wire.Reader;

/**
 * What {@link CookieVerifier#verify} answers for one datagram: the ClientHello carried a valid cookie
 * ({@link Verified}), the peer must prove its address first ({@link SendHelloVerifyRequest}), or the
 * datagram is not a ClientHello worth answering ({@link Drop}).
 */
public sealed interface CookieResult
        permits CookieResult.Verified, CookieResult.SendHelloVerifyRequest, CookieResult.Drop {

    /**
     * Send these bytes, one HelloVerifyRequest record, back to the peer as one datagram. {@code buffer}
     * is either a fresh array or the caller's buffer that {@link CookieVerifier} wrote into; the
     * verifier may return the same instance for the same caller buffer and offset, since only the
     * bytes inside change.
     */
    record SendHelloVerifyRequest(byte[] buffer, int offset, int length) implements CookieResult {
        /**
         * Checks that the datagram lies inside {@code buffer}.
         *
         * @param buffer the array holding the datagram
         * @param offset where the datagram starts
         * @param length the datagram's length
         */
        public SendHelloVerifyRequest {
            Objects.checkFromIndexSize(offset, length, buffer.length);
        }

        /** {@return a copy of the datagram bytes} */
        public byte[] toByteArray() {
            return Arrays.copyOfRange(buffer, offset, offset + length);
        }
    }

    /** Drop the datagram silently (RFC 6347 §4.1.2.7); the reason is for counters and debugging. */
    record Drop(DropReason reason) implements CookieResult {
        private static final Map<DropReason, Drop> SHARED = new EnumMap<>(DropReason.class);

        static {
            for (DropReason r : DropReason.values()) {
                SHARED.put(r, new Drop(r));
            }
        }

        /**
         * Checks that there is a reason.
         *
         * @param reason why the datagram is dropped
         */
        public Drop {
            Objects.requireNonNull(reason, "reason");
        }

        /**
         * {@return the shared instance for {@code reason}, so dropping allocates nothing}
         *
         * @param reason why the datagram is dropped
         */
        public static Drop of(DropReason reason) {
            return SHARED.get(reason);
        }
    }

    /**
     * Proof that a ClientHello carried a cookie this server made for the sender's address and for this
     * very ClientHello: only {@link CookieVerifier} creates it, so code that needs a verified
     * ClientHello can demand one in its signature. It holds its own copy of the handshake message
     * (12-byte header and body, as received and unfragmented, which is also its transcript form,
     * RFC 6347 §4.2.6), so the datagram buffer can be reused at once.
     */
    final class Verified implements CookieResult {
        /** Bytes of the DTLS handshake header in front of the ClientHello body. */
        public static final int HANDSHAKE_HEADER_LENGTH = ClientHelloPeek.HANDSHAKE_HEADER_LENGTH;

        private final byte[] message;
        private final long recordSequenceNumber;
        private final int recordVersion;
        private final int messageSeq;
        private final int sessionIdAt;
        private final int cookieAt;
        private final int suitesAt;
        private final int compressionAt;
        private final int extensionsAt;

        Verified(byte[] message, long recordSequenceNumber, int recordVersion, int messageSeq,
                 int sessionIdAt, int cookieAt, int suitesAt, int compressionAt, int extensionsAt) {
            this.message = message;
            this.recordSequenceNumber = recordSequenceNumber;
            this.recordVersion = recordVersion;
            this.messageSeq = messageSeq;
            this.sessionIdAt = sessionIdAt;
            this.cookieAt = cookieAt;
            this.suitesAt = suitesAt;
            this.compressionAt = compressionAt;
            this.extensionsAt = extensionsAt;
        }

        /**
         * The ClientHello's record sequence number. A stateless server answers from here (RFC 6347
         * §4.2.1 mirrors it in the HelloVerifyRequest), so its next epoch-0 record may use this number.
         *
         * @return the 48-bit sequence number
         */
        public long recordSequenceNumber() {
            return recordSequenceNumber;
        }

        /**
         * The ClientHello's message_seq. The server's ServerHello carries this same message_seq (its
         * HelloVerifyRequest mirrored the first ClientHello's, RFC 6347 §4.2.2), and the client's next
         * message is expected with {@code messageSeq() + 1}.
         *
         * @return the message_seq
         */
        public int messageSeq() {
            return messageSeq;
        }

        /** {@return the record-layer version the ClientHello came in: DTLS 1.0 or 1.2} */
        public ProtocolVersion recordVersion() {
            return ProtocolVersion.of(recordVersion);
        }

        /** {@return ClientHello.client_version} */
        public ProtocolVersion clientVersion() {
            return ProtocolVersion.of(u16(HANDSHAKE_HEADER_LENGTH));
        }

        /** {@return ClientHello.random (32 bytes)} */
        public byte[] random() {
            return slice(HANDSHAKE_HEADER_LENGTH + 2, ClientHelloPeek.RANDOM_LENGTH);
        }

        /** {@return ClientHello.session_id (0 to 32 bytes)} */
        public byte[] sessionId() {
            return slice(sessionIdAt + 1, message[sessionIdAt] & 0xff);
        }

        /** {@return ClientHello.cookie, the one that verified} */
        public byte[] cookie() {
            return slice(cookieAt + 1, message[cookieAt] & 0xff);
        }

        /** {@return ClientHello.cipher_suites as 16-bit values, in the client's order} */
        public int[] cipherSuites() {
            int[] suites = new int[u16(suitesAt) / 2];
            for (int i = 0; i < suites.length; i++) {
                suites[i] = u16(suitesAt + 2 + 2 * i);
            }
            return suites;
        }

        /** {@return ClientHello.compression_methods} */
        public byte[] compressionMethods() {
            return slice(compressionAt + 1, message[compressionAt] & 0xff);
        }

        /** {@return true when the ClientHello has an extensions block (RFC 5246 §7.4.1.2 lets it be absent)} */
        public boolean hasExtensions() {
            return extensionsAt >= 0;
        }

        /** {@return the extension list without its two-byte length: empty when absent; framing already checked} */
        public byte[] extensions() {
            return extensionsAt < 0 ? new byte[0] : slice(extensionsAt + 2, u16(extensionsAt));
        }

        /** {@return the whole handshake message: 12-byte header then body, as it goes into the transcript} */
        public byte[] message() {
            return message.clone();
        }

        /** {@return a reader over the ClientHello body, for the handshake layer's own decoder} */
        public Reader bodyReader() {
            return new Reader(message.clone(), HANDSHAKE_HEADER_LENGTH, message.length - HANDSHAKE_HEADER_LENGTH);
        }

        private int u16(int at) {
            return (message[at] & 0xff) << 8 | (message[at + 1] & 0xff);
        }

        private byte[] slice(int from, int length) {
            return Arrays.copyOfRange(message, from, from + length);
        }

        @Override
        public String toString() {
            return "Verified[messageSeq=" + messageSeq + ", recordSequenceNumber=" + recordSequenceNumber
                    + ", length=" + message.length + "]";
        }
    }
}
