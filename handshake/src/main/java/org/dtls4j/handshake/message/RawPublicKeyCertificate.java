package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The Certificate message when RawPublicKey was negotiated for its sender (RFC 7250 §3): one DER
 * SubjectPublicKeyInfo in place of the certificate_list (parsing it is the verifier's job).
 * <pre>
 * opaque ASN.1_subjectPublicKeyInfo&lt;1..2^24-1&gt;;
 * </pre>
 * An empty key (three zero bytes, the same bytes as an empty certificate_list) is also read, as a client
 * that has no key to answer a CertificateRequest with (RFC 5246 §7.4.6); the RFC's lower bound of 1 is
 * kept for what this side sends when it has a key.
 *
 * @param subjectPublicKeyInfo the DER SubjectPublicKeyInfo, empty when the sender has no key
 */
public record RawPublicKeyCertificate(Bytes subjectPublicKeyInfo) implements HandshakeMessage {
    private static final int MAX = 0xffffff;

    /**
     * Checks the key fits the 3-byte length.
     *
     * @param subjectPublicKeyInfo the DER SubjectPublicKeyInfo, 0 to 2^24-1 bytes; not parsed here
     * @throws IllegalArgumentException when it is longer than 2^24-1 bytes
     */
    public RawPublicKeyCertificate {
        Codec.bytes(subjectPublicKeyInfo, 0, MAX, "ASN.1_subjectPublicKeyInfo");
    }

    /**
     * Reads the body: a 3-byte length and that many bytes of SubjectPublicKeyInfo, nothing after.
     *
     * @param r the message body
     * @return the message; the key bytes are not parsed here
     * @throws DtlsException decode_error when the length runs past the body or bytes follow the key
     */
    public static RawPublicKeyCertificate decode(Reader r) throws DtlsException {
        Bytes spki = Codec.opaque(r, 3, 0, MAX, "ASN.1_subjectPublicKeyInfo");
        r.expectEnd();
        return new RawPublicKeyCertificate(spki);
    }

    /** {@return true when the sender presented no key} */
    public boolean isEmpty() {
        return subjectPublicKeyInfo.isEmpty();
    }

    @Override
    public int type() {
        return HandshakeType.CERTIFICATE;
    }

    @Override
    public void encode(Writer w) {
        Codec.opaque(w, 3, subjectPublicKeyInfo);
    }
}
