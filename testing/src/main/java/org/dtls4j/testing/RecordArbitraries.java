package org.dtls4j.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.ProtocolVersion;

/**
 * jqwik {@link Arbitrary}s for DTLS records in both header forms: plain DTLSPlaintext/DTLSCiphertext
 * headers (RFC 6347 §4.1) and tls12_cid headers (RFC 9146 §4). Every record parses back equal with
 * {@link WireRecord#parseAll} and the right CID length. Epoch-0 records carry a fragment that is valid
 * for their content type (a handshake fragment, a one-byte CCS, a two-byte alert); protected records
 * carry opaque bytes shaped like an AEAD fragment (explicit nonce, ciphertext, tag).
 */
public final class RecordArbitraries {
    /** The largest 48-bit sequence number. */
    public static final long MAX_SEQUENCE_NUMBER = (1L << 48) - 1;

    private RecordArbitraries() {
    }

    /** {@return a 48-bit sequence number (RFC 6347 §4.1), biased to 0, 1 and the largest} */
    public static Arbitrary<Long> sequenceNumber() {
        return Arbitraries.longs().between(0, MAX_SEQUENCE_NUMBER).edgeCases(c -> c.includeOnly(0L, 1L, MAX_SEQUENCE_NUMBER));
    }

    /** {@return an epoch-0 handshake record carrying one generated handshake fragment} */
    public static Arbitrary<WireRecord> handshakeRecord() {
        return Combinators.combine(sequenceNumber(), MessageArbitraries.fragment())
                .as((seq, f) -> plain(ContentType.HANDSHAKE, seq, f.encode()));
    }

    /** {@return an epoch-0 ChangeCipherSpec record: the single byte 1 (RFC 5246 §7.1)} */
    public static Arbitrary<WireRecord> changeCipherSpecRecord() {
        return sequenceNumber().map(seq -> plain(ContentType.CHANGE_CIPHER_SPEC, seq, new byte[] {1}));
    }

    /** {@return an epoch-0 alert record: level warning or fatal, any description code} */
    public static Arbitrary<WireRecord> alertRecord() {
        return Combinators.combine(sequenceNumber(), Arbitraries.of(1, 2), Arbitraries.integers().between(0, 255))
                .as((seq, level, desc) -> plain(ContentType.ALERT, seq, new byte[] {level.byteValue(), desc.byteValue()}));
    }

    /** {@return any epoch-0 record: handshake, CCS or alert} */
    public static Arbitrary<WireRecord> plaintextRecord() {
        return Arbitraries.oneOf(handshakeRecord(), changeCipherSpecRecord(), alertRecord());
    }

    /**
     * A protected record without a CID: handshake, alert or application data in epoch 1..65535, with
     * an opaque AEAD-shaped fragment of 24 (explicit nonce and tag around nothing) to 120 bytes.
     *
     * @return the generator
     */
    public static Arbitrary<WireRecord> protectedRecord() {
        return Combinators.combine(Arbitraries.of(ContentType.HANDSHAKE, ContentType.ALERT, ContentType.APPLICATION_DATA),
                Arbitraries.integers().between(1, 0xffff), sequenceNumber(), MessageArbitraries.opaque(24, 120))
                .as((type, epoch, seq, body) -> new WireRecord(type, ProtocolVersion.DTLS_1_2.wire(), epoch, seq,
                        null, body.toByteArray()));
    }

    /**
     * A tls12_cid record (RFC 9146 §4) in epoch 1..65535 with an opaque AEAD-shaped fragment.
     *
     * @param cidLength the exact CID length in bytes, 1..255; the parser must be told the same length
     * @return the generator
     * @throws IllegalArgumentException when {@code cidLength} is outside 1..255
     */
    public static Arbitrary<WireRecord> cidRecord(int cidLength) {
        if (cidLength < 1 || cidLength > 255) {
            throw new IllegalArgumentException("cid length " + cidLength + " outside 1..255");
        }
        return Combinators.combine(Arbitraries.integers().between(1, 0xffff), sequenceNumber(),
                MessageArbitraries.opaque(cidLength, cidLength), MessageArbitraries.opaque(24, 120))
                .as((epoch, seq, cid, body) -> new WireRecord(ContentType.TLS12_CID,
                        ProtocolVersion.DTLS_1_2.wire(), epoch, seq, cid.toByteArray(), body.toByteArray()));
    }

    /** {@return any record: plaintext or protected, without a CID} */
    public static Arbitrary<WireRecord> record() {
        return Arbitraries.oneOf(plaintextRecord(), protectedRecord());
    }

    private static WireRecord plain(int type, long seq, byte[] fragment) {
        return WireRecord.of(type, ProtocolVersion.DTLS_1_2.wire(), 0, seq, fragment);
    }
}
