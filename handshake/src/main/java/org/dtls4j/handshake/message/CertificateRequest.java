package org.dtls4j.handshake.message;

import java.util.List;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * CertificateRequest (RFC 5246 §7.4.4, with the errata's {@code <2..2^16-2>} bound), types and
 * schemes as raw codes and each DistinguishedName as opaque DER bytes:
 * <pre>
 * struct {
 *     ClientCertificateType certificate_types&lt;1..2^8-1&gt;;
 *     SignatureAndHashAlgorithm supported_signature_algorithms&lt;2..2^16-2&gt;;
 *     DistinguishedName certificate_authorities&lt;0..2^16-1&gt;;
 * } CertificateRequest;
 * opaque DistinguishedName&lt;1..2^16-1&gt;;
 * </pre>
 */
public record CertificateRequest(
        List<Integer> certificateTypes,
        List<Integer> signatureSchemes,
        List<Bytes> certificateAuthorities) implements HandshakeMessage {

    /** ClientCertificateType rsa_sign (RFC 5246 §7.4.4). */
    public static final int RSA_SIGN = 1;
    /** ClientCertificateType ecdsa_sign (RFC 8422 §5.5). */
    public static final int ECDSA_SIGN = 64;

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param certificateTypes the ClientCertificateType codes, 1 to 255 of them
     * @param signatureSchemes the signature schemes the server accepts, at least one, each 16 bits
     * @param certificateAuthorities the DER distinguished names of acceptable CAs, each 1 to 65535 bytes; empty for any
     */
    public CertificateRequest {
        certificateTypes = Codec.codes(certificateTypes, 8, 1, 0xff, "certificate_types");
        signatureSchemes = Codec.codes(signatureSchemes, 16, 1, 0x7fff, "supported_signature_algorithms");
        certificateAuthorities = Codec.items(certificateAuthorities, 1, 0xffff, 2, 0, 0xffff,
                "certificate_authorities");
    }

    /**
     * Reads a {@code CertificateRequest} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static CertificateRequest decode(Reader r) throws DtlsException {
        List<Integer> types = Codec.u8List(r, 1, 0xff, "certificate_types");
        List<Integer> schemes = Codec.u16List(r, 2, 2, 0xfffe, "supported_signature_algorithms");
        List<Bytes> authorities = Codec.opaqueList(r, 2, 0, 0xffff, 2, 1, 0xffff, "certificate_authorities");
        r.expectEnd();
        return new CertificateRequest(types, schemes, authorities);
    }

    @Override
    public int type() {
        return HandshakeType.CERTIFICATE_REQUEST;
    }

    @Override
    public void encode(Writer w) {
        Codec.u8List(w, certificateTypes);
        Codec.u16List(w, 2, signatureSchemes);
        Codec.opaqueList(w, 2, 2, certificateAuthorities);
    }
}
