package org.dtls4j.handshake.message;

import org.dtls4j.handshake.HandshakeType;
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
    public CertificateVerify {
        Codec.u16(signatureScheme, "signature scheme");
        Codec.bytes(signature, 0, 0xffff, "signature");
    }

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
