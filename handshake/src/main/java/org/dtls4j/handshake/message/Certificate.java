package org.dtls4j.handshake.message;

import java.util.List;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * Certificate (RFC 5246 §7.4.2): the sender's chain, leaf first, each certificate as opaque DER bytes
 * (parsing X.509 is the verifier's job). An empty list is legal: a client without a suitable
 * certificate answers a CertificateRequest with one (§7.4.6).
 * <pre>
 * opaque ASN.1Cert&lt;1..2^24-1&gt;;
 * struct { ASN.1Cert certificate_list&lt;0..2^24-1&gt;; } Certificate;
 * </pre>
 */
public record Certificate(List<Bytes> certificates) implements HandshakeMessage {
    private static final int MAX = 0xffffff;

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param certificates the DER certificates, leaf first, each 1 to 2^24-1 bytes; empty for a client without one
     */
    public Certificate {
        certificates = Codec.items(certificates, 1, MAX, 3, 0, MAX, "certificate_list");
    }

    /**
     * Reads a {@code Certificate} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static Certificate decode(Reader r) throws DtlsException {
        List<Bytes> certs = Codec.opaqueList(r, 3, 0, MAX, 3, 1, MAX, "certificate_list");
        r.expectEnd();
        return new Certificate(certs);
    }

    @Override
    public int type() {
        return HandshakeType.CERTIFICATE;
    }

    @Override
    public void encode(Writer w) {
        Codec.opaqueList(w, 3, 3, certificates);
    }
}
