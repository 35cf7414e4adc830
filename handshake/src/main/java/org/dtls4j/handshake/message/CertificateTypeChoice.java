package org.dtls4j.handshake.message;

import java.util.Objects;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The ServerHello form of the client_certificate_type (19) and server_certificate_type (20) extensions,
 * RFC 7250 §3: the one type the server chose from the client's {@link CertificateTypeOffer}.
 * <pre>
 * CertificateType client_certificate_type;   (or server_certificate_type)
 * </pre>
 *
 * @param type {@link ExtensionType#CLIENT_CERTIFICATE_TYPE} or {@link ExtensionType#SERVER_CERTIFICATE_TYPE}
 * @param certificateType a {@link CertificateType} code
 */
public record CertificateTypeChoice(ExtensionType type, int certificateType) implements ExtensionData {
    /**
     * Checks the extension type and that the code fits one byte.
     *
     * @param type {@link ExtensionType#CLIENT_CERTIFICATE_TYPE} or {@link ExtensionType#SERVER_CERTIFICATE_TYPE}
     * @param certificateType a {@link CertificateType} code, 0 to 255; unknown codes are kept
     * @throws IllegalArgumentException for another extension type or a code over 255
     */
    public CertificateTypeChoice {
        checkType(type);
        Codec.u8(certificateType, "certificate_type");
    }

    /**
     * Reads the choice of extension {@code type}: exactly one byte.
     *
     * @param type which of the two extensions the data belongs to
     * @param r the extension data
     * @return the choice
     * @throws DtlsException decode_error when the data is empty or longer than one byte
     */
    public static CertificateTypeChoice decode(ExtensionType type, Reader r) throws DtlsException {
        int chosen = r.u8();
        r.expectEnd();
        return new CertificateTypeChoice(type, chosen);
    }

    static void checkType(ExtensionType type) {
        Objects.requireNonNull(type, "type");
        if (!type.equals(ExtensionType.CLIENT_CERTIFICATE_TYPE) && !type.equals(ExtensionType.SERVER_CERTIFICATE_TYPE)) {
            throw new IllegalArgumentException(type + " is not a certificate type extension");
        }
    }

    @Override
    public void encodeData(Writer w) {
        w.u8(certificateType);
    }

    @Override
    public String toString() {
        return type + "=" + CertificateType.name(certificateType);
    }
}
