package org.dtls4j.handshake.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The extensions block of a hello, {@code Extension extensions<0..2^16-1>} (RFC 5246 §7.4.1.2,
 * §7.4.1.3): in wire order, unknown extensions kept so they round-trip (ignoring them is the state
 * machines' call), at most one of each type ("There MUST NOT be more than one extension of the same
 * type", RFC 5246 §7.4.1.4; a repeat is decode_error). Typed views decode an extension's data on
 * request, so a malformed known extension fails when its owner reads it.
 *
 * <p>Bound: the block is at most 65535 bytes, hence at most 16383 extensions; duplicate detection sorts
 * the type codes once (O(n log n)), never a pairwise scan, and look-ups are binary searches over them:
 * no map and no boxed codes per hello.
 */
public final class Extensions {
    /** A present but empty block (two zero bytes on the wire). */
    public static final Extensions EMPTY = new Extensions(List.of());
    private static final Comparator<Extension> BY_CODE = Comparator.comparingInt(e -> e.type().code());

    /** Decodes the data of one extension; implemented by the typed decoders such as {@link SupportedGroups#decode}. */
    @FunctionalInterface
    public interface Decoder<T> {
        /**
         * Decodes one extension's data.
         *
         * @param data a reader over extension_data
         * @return the typed value
         * @throws DtlsException decode_error or illegal_parameter for data that does not parse or is out of range
         */
        T decode(Reader data) throws DtlsException;
    }

    private final List<Extension> list;
    /** The type codes in ascending order, and the extension of each: binary-searched by type. */
    private final int[] codes;
    private final Extension[] byCode;

    private Extensions(List<Extension> list) {
        this.list = list;
        this.byCode = list.toArray(new Extension[0]);
        Arrays.sort(byCode, BY_CODE);
        this.codes = new int[byCode.length];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = byCode[i].type().code();
        }
    }

    /** {@return a type that occurs twice, or null when every type occurs once} */
    private ExtensionType repeated() {
        for (int i = 1; i < codes.length; i++) {
            if (codes[i] == codes[i - 1]) {
                return byCode[i].type();
            }
        }
        return null;
    }

    private Extension byCode(int code) {
        int i = Arrays.binarySearch(codes, code);
        return i >= 0 ? byCode[i] : null;
    }

    /**
     * {@return the block holding {@code extensions} in order; a repeated type is an IllegalArgumentException}
     *
     * @param extensions the extensions, in wire order
     */
    public static Extensions of(List<Extension> extensions) {
        List<Extension> copy = List.copyOf(extensions);
        if (copy.isEmpty()) {
            return EMPTY;
        }
        Extensions block = new Extensions(copy);
        ExtensionType twice = block.repeated();
        if (twice != null) {
            throw new IllegalArgumentException("duplicate extension " + twice);
        }
        long total = 0;
        for (Extension e : copy) {
            total += 4 + e.data().length();
        }
        if (total > 0xffff) {
            throw new IllegalArgumentException("extensions block of " + total + " bytes exceeds 65535");
        }
        return block;
    }

    /**
     * {@return the block holding these typed extensions, in this order}
     *
     * @param extensions the typed extensions, in wire order
     */
    public static Extensions of(ExtensionData... extensions) {
        List<Extension> raw = new ArrayList<>(extensions.length);
        for (ExtensionData d : extensions) {
            raw.add(d.toExtension());
        }
        return of(raw);
    }

    /**
     * Reads the two-byte block length and the extensions inside it.
     *
     * @param r the reader, at the block's two-byte length
     * @return the extensions
     * @throws DtlsException decode_error for a malformed block or a repeated extension type
     */
    public static Extensions decode(Reader r) throws DtlsException {
        Reader block = Codec.vector(r, 2, 0, 0xffff, "extensions");
        List<Extension> list = new ArrayList<>();
        while (block.hasRemaining()) {
            list.add(Extension.decode(block));
        }
        if (list.isEmpty()) {
            return EMPTY;
        }
        Extensions decoded = new Extensions(List.copyOf(list));
        ExtensionType twice = decoded.repeated();
        if (twice != null) {
            throw DtlsException.decodeError("duplicate extension " + twice);
        }
        return decoded;
    }

    /**
     * Writes the two-byte block length and the extensions.
     *
     * @param w where the block goes
     */
    public void encode(Writer w) {
        int mark = w.beginLength(2);
        for (Extension e : list) {
            e.encode(w);
        }
        w.endLength(mark);
    }

    /** {@return the extensions in wire order} */
    public List<Extension> list() {
        return list;
    }

    /** {@return true when there is no extension} */
    public boolean isEmpty() {
        return list.isEmpty();
    }

    /**
     * {@return true when an extension of {@code type} is present}
     *
     * @param type the extension type
     */
    public boolean contains(ExtensionType type) {
        return byCode(type.code()) != null;
    }

    /**
     * {@return the raw extension of {@code type}, if present}
     *
     * @param type the extension type
     */
    public Optional<Extension> get(ExtensionType type) {
        return Optional.ofNullable(byCode(type.code()));
    }

    /**
     * The typed value of one extension, if present; its data must parse completely. A decoder's
     * illegal_parameter (such as a record_size_limit below 64) is passed through unchanged.
     *
     * @param <T> the typed value
     * @param type the extension type
     * @param decoder reads its data
     * @return the value, or empty when the extension is absent
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public <T> Optional<T> find(ExtensionType type, Decoder<T> decoder) throws DtlsException {
        Extension e = byCode(type.code());
        if (e == null) {
            return Optional.empty();
        }
        Reader data = e.reader();
        T value = decoder.decode(data);
        data.expectEnd();
        return Optional.of(value);
    }

    /**
     * {@return the ClientHello form of server_name; in a ServerHello the extension is empty (use {@link #contains})}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<ServerName> serverName() throws DtlsException {
        return find(ExtensionType.SERVER_NAME, ServerName::decode);
    }

    /**
     * {@return the max_fragment_length (RFC 6066 §4) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<MaxFragmentLength> maxFragmentLength() throws DtlsException {
        return find(ExtensionType.MAX_FRAGMENT_LENGTH, MaxFragmentLength::decode);
    }

    /**
     * {@return the supported_groups (RFC 8422 §5.1.1) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<SupportedGroups> supportedGroups() throws DtlsException {
        return find(ExtensionType.SUPPORTED_GROUPS, SupportedGroups::decode);
    }

    /**
     * {@return the ec_point_formats (RFC 8422 §5.1.2) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<EcPointFormats> ecPointFormats() throws DtlsException {
        return find(ExtensionType.EC_POINT_FORMATS, EcPointFormats::decode);
    }

    /**
     * {@return the signature_algorithms (RFC 5246 §7.4.1.4.1) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<SignatureAlgorithms> signatureAlgorithms() throws DtlsException {
        return find(ExtensionType.SIGNATURE_ALGORITHMS, SignatureAlgorithms::decode);
    }

    /**
     * {@return the use_srtp (RFC 5764 §4.1.1) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<UseSrtp> useSrtp() throws DtlsException {
        return find(ExtensionType.USE_SRTP, UseSrtp::decode);
    }

    /**
     * {@return the application_layer_protocol_negotiation (RFC 7301) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<ApplicationProtocols> applicationProtocols() throws DtlsException {
        return find(ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION, ApplicationProtocols::decode);
    }

    /**
     * {@return the encrypt_then_mac (RFC 7366) extension, if present}
     *
     * @throws DtlsException decode_error when its data is not empty
     */
    public Optional<EncryptThenMac> encryptThenMac() throws DtlsException {
        return find(ExtensionType.ENCRYPT_THEN_MAC, EncryptThenMac::decode);
    }

    /**
     * The ClientHello form of client_certificate_type (19) or server_certificate_type (20), RFC 7250 §3.
     *
     * @param type {@link ExtensionType#CLIENT_CERTIFICATE_TYPE} or {@link ExtensionType#SERVER_CERTIFICATE_TYPE}
     * @return the offer, if the extension is present
     * @throws DtlsException decode_error when the data does not parse as a list of types
     */
    public Optional<CertificateTypeOffer> certificateTypeOffer(ExtensionType type) throws DtlsException {
        return find(type, r -> CertificateTypeOffer.decode(type, r));
    }

    /**
     * The ServerHello form of client_certificate_type (19) or server_certificate_type (20), RFC 7250 §3.
     *
     * @param type {@link ExtensionType#CLIENT_CERTIFICATE_TYPE} or {@link ExtensionType#SERVER_CERTIFICATE_TYPE}
     * @return the choice, if the extension is present
     * @throws DtlsException decode_error when the data is not exactly one byte
     */
    public Optional<CertificateTypeChoice> certificateTypeChoice(ExtensionType type) throws DtlsException {
        return find(type, r -> CertificateTypeChoice.decode(type, r));
    }

    /**
     * {@return the extended_master_secret (RFC 7627) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<ExtendedMasterSecret> extendedMasterSecret() throws DtlsException {
        return find(ExtensionType.EXTENDED_MASTER_SECRET, ExtendedMasterSecret::decode);
    }

    /**
     * {@return the record_size_limit (RFC 8449) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<RecordSizeLimit> recordSizeLimit() throws DtlsException {
        return find(ExtensionType.RECORD_SIZE_LIMIT, RecordSizeLimit::decode);
    }

    /**
     * {@return the session_ticket (RFC 5077) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<SessionTicket> sessionTicket() throws DtlsException {
        return find(ExtensionType.SESSION_TICKET, SessionTicket::decode);
    }

    /**
     * {@return the connection_id (RFC 9146) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<ConnectionId> connectionId() throws DtlsException {
        return find(ExtensionType.CONNECTION_ID, ConnectionId::decode);
    }

    /**
     * {@return the renegotiation_info (RFC 5746) extension, if present}
     *
     * @throws DtlsException decode_error when the data does not parse, or the decoder's own alert
     */
    public Optional<RenegotiationInfo> renegotiationInfo() throws DtlsException {
        return find(ExtensionType.RENEGOTIATION_INFO, RenegotiationInfo::decode);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Extensions other && list.equals(other.list);
    }

    @Override
    public int hashCode() {
        return list.hashCode();
    }

    @Override
    public String toString() {
        return list.toString();
    }
}
