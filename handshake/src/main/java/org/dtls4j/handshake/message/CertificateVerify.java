package org.dtls4j.handshake.message;

import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * CertificateVerify (RFC 5246 §7.4.8): a TLS 1.2 digitally-signed struct (§4.7), the
 * SignatureAndHashAlgorithm as one raw 16-bit code:
 * <pre>
 * struct {
 *     SignatureAndHashAlgorithm algorithm;
 *     opaque signature&lt;0..2^16-1&gt;;
 * } DigitallySigned;
 * </pre>
 */
public record CertificateVerify(int signatureScheme, Bytes signature) implements HandshakeMessage {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param signatureScheme the SignatureAndHashAlgorithm code, 16 bits
     * @param signature the signature over the handshake messages so far, 0 to 65535 bytes
     */
    public CertificateVerify {
        Codec.u16(signatureScheme, "signature scheme");
        Codec.bytes(signature, 0, 0xffff, "signature");
    }

    /**
     * Reads a {@code CertificateVerify} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static CertificateVerify decode(Reader r) throws DtlsException {
        int scheme = r.u16();
        Bytes signature = Codec.opaque(r, 2, 0, 0xffff, "signature");
        r.expectEnd();
        return new CertificateVerify(scheme, signature);
    }

    @Override
    public int type() {
        return HandshakeType.CERTIFICATE_VERIFY;
    }

    @Override
    public void encode(Writer w) {
        w.u16(signatureScheme);
        Codec.opaque(w, 2, signature);
    }
}
