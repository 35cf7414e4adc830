package org.dtls4j.handshake.message;

import org.dtls4j.wire.Writer;

/**
 * The typed body of a known hello extension. Each implementation has a
 * {@code static X decode(Reader data)} that reads exactly the extension_data (and calls
 * {@code expectEnd}), next to {@link #encodeData}; the RFC 7250 certificate-type forms, shared by two
 * codes, take the code as well.
 */
public sealed interface ExtensionData
        permits ServerName, MaxFragmentLength, SupportedGroups, EcPointFormats, SignatureAlgorithms, UseSrtp,
        ApplicationProtocols, EncryptThenMac, ExtendedMasterSecret, RecordSizeLimit, SessionTicket, ConnectionId,
        RenegotiationInfo, CertificateTypeOffer, CertificateTypeChoice {

    /** {@return the extension type this data belongs to} */
    ExtensionType type();

    /**
     * Writes the extension_data contents, without the extension's type and length.
     *
     * @param w where the data goes
     */
    void encodeData(Writer w);

    /** {@return this extension in its raw, wire form} */
    default Extension toExtension() {
        return new Extension(type(), Bytes.wrap(Scratch.encode(this::encodeData)));
    }
}
