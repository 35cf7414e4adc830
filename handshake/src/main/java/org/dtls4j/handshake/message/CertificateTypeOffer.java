package org.dtls4j.handshake.message;

import java.util.List;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The ClientHello form of the client_certificate_type (19) and server_certificate_type (20) extensions,
 * RFC 7250 §3: the certificate types the client can send (19) or can process from the server (20), most
 * preferred first. The ServerHello form is {@link CertificateTypeChoice}.
 * <pre>
 * CertificateType client_certificate_types&lt;1..2^8-1&gt;;   (or server_certificate_types)
 * </pre>
 *
 * @param type {@link ExtensionType#CLIENT_CERTIFICATE_TYPE} or {@link ExtensionType#SERVER_CERTIFICATE_TYPE}
 * @param types {@link CertificateType} codes
 */
public record CertificateTypeOffer(ExtensionType type, List<Integer> types) implements ExtensionData {
    /**
     * Checks the extension type and the list, and copies it.
     *
     * @param type {@link ExtensionType#CLIENT_CERTIFICATE_TYPE} or {@link ExtensionType#SERVER_CERTIFICATE_TYPE}
     * @param types {@link CertificateType} codes, most preferred first: 1 to 255 of them, each 0 to 255
     * @throws IllegalArgumentException for another extension type, an empty or too long list, or a code over 255
     */
    public CertificateTypeOffer {
        CertificateTypeChoice.checkType(type);
        types = Codec.codes(types, 8, 1, 0xff, "certificate_types");
    }

    /**
     * Reads the offer of extension {@code type}; every byte of the data must belong to the list.
     *
     * @param type which of the two extensions the data belongs to
     * @param r the extension data
     * @return the offer, unknown codes kept
     * @throws DtlsException decode_error when the list is empty, runs past the data, or bytes follow it
     */
    public static CertificateTypeOffer decode(ExtensionType type, Reader r) throws DtlsException {
        List<Integer> types = Codec.u8List(r, 1, 0xff, "certificate_types");
        r.expectEnd();
        return new CertificateTypeOffer(type, types);
    }

    /**
     * The client_certificate_type offer: the types the client can send.
     *
     * @param types {@link CertificateType} codes, most preferred first, at least one
     * @return the offer
     */
    public static CertificateTypeOffer client(Integer... types) {
        return new CertificateTypeOffer(ExtensionType.CLIENT_CERTIFICATE_TYPE, List.of(types));
    }

    /**
     * The server_certificate_type offer: the types the client can process from the server.
     *
     * @param types {@link CertificateType} codes, most preferred first, at least one
     * @return the offer
     */
    public static CertificateTypeOffer server(Integer... types) {
        return new CertificateTypeOffer(ExtensionType.SERVER_CERTIFICATE_TYPE, List.of(types));
    }

    @Override
    public void encodeData(Writer w) {
        Codec.u8List(w, types);
    }
}
