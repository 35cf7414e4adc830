package org.dtls4j.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.handshake.message.ApplicationProtocols;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.Certificate;
import org.dtls4j.handshake.message.CertificateRequest;
import org.dtls4j.handshake.message.CertificateVerify;
import org.dtls4j.handshake.message.ClientHello;
import org.dtls4j.handshake.message.ClientKeyExchange;
import org.dtls4j.handshake.message.ConnectionId;
import org.dtls4j.handshake.message.EcPointFormats;
import org.dtls4j.handshake.message.EcdheClientKeyExchange;
import org.dtls4j.handshake.message.EcdhePskClientKeyExchange;
import org.dtls4j.handshake.message.EcdhePskServerKeyExchange;
import org.dtls4j.handshake.message.EcdheServerKeyExchange;
import org.dtls4j.handshake.message.ExtendedMasterSecret;
import org.dtls4j.handshake.message.CertificateType;
import org.dtls4j.handshake.message.CertificateTypeChoice;
import org.dtls4j.handshake.message.CertificateTypeOffer;
import org.dtls4j.handshake.message.EncryptThenMac;
import org.dtls4j.handshake.message.Extension;
import org.dtls4j.handshake.message.ExtensionData;
import org.dtls4j.handshake.message.ExtensionType;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.handshake.message.Finished;
import org.dtls4j.handshake.message.HandshakeMessage;
import org.dtls4j.handshake.message.HelloRequest;
import org.dtls4j.handshake.message.HelloVerifyRequest;
import org.dtls4j.handshake.message.MaxFragmentLength;
import org.dtls4j.handshake.message.NewSessionTicket;
import org.dtls4j.handshake.message.PskClientKeyExchange;
import org.dtls4j.handshake.message.PskServerKeyExchange;
import org.dtls4j.handshake.message.RecordSizeLimit;
import org.dtls4j.handshake.message.RenegotiationInfo;
import org.dtls4j.handshake.message.ServerEcdhParams;
import org.dtls4j.handshake.message.ServerHello;
import org.dtls4j.handshake.message.ServerHelloDone;
import org.dtls4j.handshake.message.ServerKeyExchange;
import org.dtls4j.handshake.message.ServerName;
import org.dtls4j.handshake.message.SessionTicket;
import org.dtls4j.handshake.message.SignatureAlgorithms;
import org.dtls4j.handshake.message.SupportedGroups;
import org.dtls4j.handshake.message.UseSrtp;
import org.dtls4j.wire.ProtocolVersion;

/**
 * jqwik {@link Arbitrary}s for every DTLS 1.2 handshake message and extension dtls4j's codecs know.
 * Every value is valid by construction: it encodes, and the project's decoder gives it back equal
 * (the module's own tests check this for each generator). Values are built from jqwik combinators
 * only, so a failing property shrinks towards short lists, empty opaques and the first registry entry.
 *
 * <p>Codes lean towards what real stacks send (registered suites, groups and schemes, DTLS 1.2 and
 * 1.0 versions) but also take any 16-bit value, since unknown codes must round-trip too. Sizes are
 * kept small so properties stay fast; a test that needs the bounds can build its own from
 * {@link #opaque(int, int)}.
 */
public final class MessageArbitraries {
    private MessageArbitraries() {
    }

    /**
     * Opaque bytes of any content.
     *
     * @param min the shortest length in bytes, at least 0
     * @param max the longest length in bytes, at least {@code min}
     * @return the generator
     */
    public static Arbitrary<Bytes> opaque(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(Bytes::of);
    }

    /** A 16-bit code, usually one from {@code known}, sometimes any value. */
    static Arbitrary<Integer> code16(List<Integer> known) {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.of(known)),
                Tuple.of(1, Arbitraries.integers().between(0, 0xffff)));
    }

    /**
     * {@return a cipher suite code: a negotiable suite most of the time, TLS_FALLBACK_SCSV or an unknown code otherwise}
     */
    public static Arbitrary<Integer> cipherSuiteCode() {
        return code16(CipherSuite.negotiable().stream().map(CipherSuite::code).toList())
                .filter(c -> c <= 0x7fff || c == CipherSuite.TLS_FALLBACK_SCSV.code());
    }

    /** {@return a named-group code: x25519, secp256r1, secp384r1, or any 16-bit value} */
    public static Arbitrary<Integer> namedGroupCode() {
        return code16(List.of(NamedGroup.X25519.code(), NamedGroup.SECP256R1.code(), NamedGroup.SECP384R1.code()));
    }

    /** {@return a signature-scheme code, usually one dtls4j supports, sometimes any 16-bit value} */
    public static Arbitrary<Integer> signatureSchemeCode() {
        return code16(SignatureScheme.supported().stream().map(SignatureScheme::code).toList());
    }

    /** {@return a version: DTLS 1.2 mostly, DTLS 1.0 often, any 16-bit version sometimes} */
    public static Arbitrary<ProtocolVersion> version() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(ProtocolVersion.DTLS_1_2)),
                Tuple.of(2, Arbitraries.just(ProtocolVersion.DTLS_1_0)),
                Tuple.of(1, Arbitraries.integers().between(0, 0xffff).map(ProtocolVersion::of)));
    }

    private static Arbitrary<List<Integer>> nonEmpty(Arbitrary<Integer> codes, int max) {
        return codes.list().ofMinSize(1).ofMaxSize(max);
    }

    // ---- extensions

    /** {@return server_name with one host_name (two lowercase DNS labels), sometimes another name type too} */
    public static Arbitrary<ServerName> serverName() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
        Arbitrary<ServerName.Entry> host = Combinators.combine(label, label)
                .as((a, b) -> new ServerName.Entry(ServerName.HOST_NAME,
                        Bytes.of((a + "." + b).getBytes(StandardCharsets.US_ASCII))));
        Arbitrary<Optional<ServerName.Entry>> other = Combinators
                .combine(Arbitraries.integers().between(1, 0xff), opaque(1, 16))
                .as(ServerName.Entry::new).optional(0.2);
        return Combinators.combine(host, other)
                .as((h, o) -> new ServerName(o.map(e -> List.of(h, e)).orElse(List.of(h))));
    }

    /** {@return max_fragment_length with one of the four codes RFC 6066 §4 defines (1..4: 512 to 4096 bytes)} */
    public static Arbitrary<MaxFragmentLength> maxFragmentLength() {
        return Arbitraries.integers().between(1, 4).map(MaxFragmentLength::new);
    }

    /** {@return supported_groups with one to eight group codes, known ones mostly} */
    public static Arbitrary<SupportedGroups> supportedGroups() {
        return nonEmpty(namedGroupCode(), 8).map(SupportedGroups::new);
    }

    /** {@return ec_point_formats with uncompressed (0) first, the way RFC 8422 §5.1.2 requires it to be offered} */
    public static Arbitrary<EcPointFormats> ecPointFormats() {
        return Arbitraries.integers().between(0, 0xff).list().ofMaxSize(3)
                .map(rest -> {
                    List<Integer> all = new ArrayList<>();
                    all.add(0);
                    all.addAll(rest);
                    return new EcPointFormats(all);
                });
    }

    /** {@return signature_algorithms with one to eight scheme codes, supported ones mostly} */
    public static Arbitrary<SignatureAlgorithms> signatureAlgorithms() {
        return nonEmpty(signatureSchemeCode(), 8).map(SignatureAlgorithms::new);
    }

    /** {@return use_srtp with RFC 5764 profile codes (any code sometimes) and an MKI of up to 8 bytes} */
    public static Arbitrary<UseSrtp> useSrtp() {
        Arbitrary<Integer> profile = code16(List.of(1, 2, 5, 6, 7, 8)).filter(c -> c <= 0x7fff);
        return Combinators.combine(nonEmpty(profile, 4), opaque(0, 8)).as(UseSrtp::new);
    }

    /** {@return ALPN with one to three protocol names such as "coap" or "h2"} */
    public static Arbitrary<ApplicationProtocols> applicationProtocols() {
        Arbitrary<Bytes> name = Arbitraries.strings().withCharRange('a', 'z').withChars('/', '.', '1', '2')
                .ofMinLength(1).ofMaxLength(10).map(s -> Bytes.of(s.getBytes(StandardCharsets.US_ASCII)));
        return name.list().ofMinSize(1).ofMaxSize(3).map(ApplicationProtocols::new);
    }

    /** {@return the extended_master_secret extension (RFC 7627), which is always empty} */
    public static Arbitrary<ExtendedMasterSecret> extendedMasterSecret() {
        return Arbitraries.just(new ExtendedMasterSecret());
    }

    /** {@return record_size_limit from the RFC 8449 §4 minimum (64) to 65535} */
    public static Arbitrary<RecordSizeLimit> recordSizeLimit() {
        return Arbitraries.integers().between(RecordSizeLimit.MINIMUM, 0xffff).map(RecordSizeLimit::new);
    }

    /** {@return session_ticket with an opaque ticket of 0 (a request for one) to 48 bytes} */
    public static Arbitrary<SessionTicket> sessionTicket() {
        return opaque(0, 48).map(SessionTicket::new);
    }

    /** {@return connection_id: empty (the sender wants none) through 20 bytes} */
    public static Arbitrary<ConnectionId> connectionId() {
        return opaque(0, 20).map(ConnectionId::new);
    }

    /** {@return renegotiation_info: empty on an initial handshake, 12 or 24 bytes of verify_data otherwise} */
    public static Arbitrary<RenegotiationInfo> renegotiationInfo() {
        return Arbitraries.of(0, 12, 24).flatMap(n -> opaque(n, n)).map(RenegotiationInfo::new);
    }

    /** {@return any typed extension the codecs know} */
    public static Arbitrary<ExtensionData> extensionData() {
        return Arbitraries.oneOf(List.of(serverName(), maxFragmentLength(), supportedGroups(), ecPointFormats(),
                signatureAlgorithms(), useSrtp(), applicationProtocols(), extendedMasterSecret(),
                recordSizeLimit(), sessionTicket(), connectionId(), renegotiationInfo(), certificateTypeOffer(),
                certificateTypeChoice(), encryptThenMac()));
    }

    /**
     * client_certificate_type or server_certificate_type in its ClientHello form (RFC 7250 §3): one to
     * four certificate type codes, mostly X.509 (0) and RawPublicKey (2), sometimes any byte.
     *
     * @return offers of either extension type
     */
    public static Arbitrary<CertificateTypeOffer> certificateTypeOffer() {
        return Combinators.combine(certificateTypeExtension(), nonEmpty(certificateTypeCode(), 4))
                .as(CertificateTypeOffer::new);
    }

    /**
     * client_certificate_type or server_certificate_type in its ServerHello form (RFC 7250 §3): the one
     * certificate type chosen.
     *
     * @return choices of either extension type
     */
    public static Arbitrary<CertificateTypeChoice> certificateTypeChoice() {
        return Combinators.combine(certificateTypeExtension(), certificateTypeCode()).as(CertificateTypeChoice::new);
    }

    /**
     * encrypt_then_mac (RFC 7366 §2): always empty.
     *
     * @return the one encrypt_then_mac extension
     */
    public static Arbitrary<EncryptThenMac> encryptThenMac() {
        return Arbitraries.just(new EncryptThenMac());
    }

    private static Arbitrary<ExtensionType> certificateTypeExtension() {
        return Arbitraries.of(ExtensionType.CLIENT_CERTIFICATE_TYPE, ExtensionType.SERVER_CERTIFICATE_TYPE);
    }

    private static Arbitrary<Integer> certificateTypeCode() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(CertificateType.X509, CertificateType.RAW_PUBLIC_KEY)),
                Tuple.of(1, Arbitraries.integers().between(0, 0xff)));
    }

    /** {@return an extension in wire form: a typed one, or an opaque one of a code the codecs do not know} */
    public static Arbitrary<Extension> extension() {
        Arbitrary<Extension> unknown = Combinators
                .combine(Arbitraries.integers().between(0, 0xffff).map(ExtensionType::of), opaque(0, 16))
                .as(Extension::new);
        return Arbitraries.frequencyOf(
                Tuple.of(4, extensionData().map(ExtensionData::toExtension)),
                Tuple.of(1, unknown));
    }

    /** {@return an extensions block of up to five, no type twice (RFC 5246 §7.4.1.4)} */
    public static Arbitrary<Extensions> extensions() {
        return extension().list().ofMaxSize(5).uniqueElements(e -> e.type().code()).map(Extensions::of);
    }

    private static Arbitrary<Optional<Extensions>> helloExtensions() {
        return extensions().optional(0.85);
    }

    // ---- messages

    /** {@return a ClientHello with a 32-byte random, a session ID, a cookie, suites, null compression} */
    public static Arbitrary<ClientHello> clientHello() {
        return Combinators.combine(version(), opaque(32, 32), opaque(0, 32), opaque(0, 32),
                nonEmpty(cipherSuiteCode(), 10), helloExtensions())
                .as((v, random, sid, cookie, suites, ext) -> new ClientHello(v, random, sid, cookie, suites,
                        List.of(ClientHello.NULL_COMPRESSION), ext));
    }

    /** {@return a ServerHello with a 32-byte random, a session ID, one suite code, null compression} */
    public static Arbitrary<ServerHello> serverHello() {
        return Combinators.combine(version(), opaque(32, 32), opaque(0, 32), cipherSuiteCode(), helloExtensions())
                .as((v, random, sid, suite, ext) -> new ServerHello(v, random, sid, suite,
                        ClientHello.NULL_COMPRESSION, ext));
    }

    /** {@return a HelloVerifyRequest with a cookie of 0 to 32 bytes (RFC 6347 §4.2.1 allows up to 255)} */
    public static Arbitrary<HelloVerifyRequest> helloVerifyRequest() {
        return Combinators.combine(version(), opaque(0, 32)).as(HelloVerifyRequest::new);
    }

    /** {@return a certificate_list of zero (the empty Certificate) to three opaque "certificates"} */
    public static Arbitrary<Certificate> certificate() {
        return opaque(1, 200).list().ofMaxSize(3).map(Certificate::new);
    }

    /** {@return a CertificateRequest with certificate types, signature schemes and up to two opaque CA names} */
    public static Arbitrary<CertificateRequest> certificateRequest() {
        Arbitrary<List<Integer>> types = nonEmpty(Arbitraries.of(1, 64, 0, 2, 255), 3);
        return Combinators.combine(types, nonEmpty(signatureSchemeCode().filter(c -> c <= 0x7fff), 6),
                opaque(1, 30).list().ofMaxSize(2)).as(CertificateRequest::new);
    }

    /** {@return named-curve parameters with a share of the group's wire length (any length for unknown groups)} */
    public static Arbitrary<ServerEcdhParams> ecdhParams() {
        return namedGroupCode().flatMap(g -> {
            NamedGroup group = NamedGroup.of(g);
            Arbitrary<Bytes> share = group.isSupported()
                    ? opaque(group.publicKeyLength(), group.publicKeyLength())
                    : opaque(1, 40);
            return share.map(s -> new ServerEcdhParams(g, s));
        });
    }

    /** {@return a ServerKeyExchange of each kind: signed ECDHE, PSK hint, ECDHE_PSK} */
    public static Arbitrary<ServerKeyExchange> serverKeyExchange() {
        return Arbitraries.oneOf(
                Combinators.combine(ecdhParams(), signatureSchemeCode(), opaque(0, 96)).as(EcdheServerKeyExchange::new),
                opaque(0, 24).map(PskServerKeyExchange::new),
                Combinators.combine(opaque(0, 24), ecdhParams()).as(EcdhePskServerKeyExchange::new));
    }

    /** {@return a ClientKeyExchange of each kind: ECDHE share, PSK identity, ECDHE_PSK identity and share} */
    public static Arbitrary<ClientKeyExchange> clientKeyExchange() {
        Arbitrary<Bytes> share = Arbitraries.of(32, 65, 97).flatMap(n -> opaque(n, n));
        return Arbitraries.oneOf(
                share.map(EcdheClientKeyExchange::new),
                opaque(0, 24).map(PskClientKeyExchange::new),
                Combinators.combine(opaque(0, 24), share).as(EcdhePskClientKeyExchange::new));
    }

    /** {@return a CertificateVerify with a scheme code and an opaque signature of up to 96 bytes} */
    public static Arbitrary<CertificateVerify> certificateVerify() {
        return Combinators.combine(signatureSchemeCode(), opaque(0, 96)).as(CertificateVerify::new);
    }

    /** {@return Finished with the 12-byte verify_data every DTLS 1.2 suite uses} */
    public static Arbitrary<Finished> finished() {
        return opaque(Finished.DEFAULT_LENGTH, Finished.DEFAULT_LENGTH).map(Finished::new);
    }

    /** {@return a NewSessionTicket with any 32-bit lifetime hint and a ticket of up to 64 bytes} */
    public static Arbitrary<NewSessionTicket> newSessionTicket() {
        return Combinators.combine(Arbitraries.longs().between(0, 0xffff_ffffL), opaque(0, 64))
                .as(NewSessionTicket::new);
    }

    /** {@return any handshake message, of every type the codecs know} */
    public static Arbitrary<HandshakeMessage> handshakeMessage() {
        return Arbitraries.oneOf(List.of(clientHello(), serverHello(), helloVerifyRequest(), certificate(),
                certificateRequest(), serverKeyExchange(), clientKeyExchange(), certificateVerify(), finished(),
                newSessionTicket(), Arbitraries.just(new HelloRequest()), Arbitraries.just(new ServerHelloDone())));
    }

    /**
     * A fragment of a generated message: a message_seq, and an offset and length inside the body
     * (the whole body sometimes; an empty fragment never, since a zero-length fragment of a non-empty
     * message carries nothing).
     *
     * @return the generator
     */
    public static Arbitrary<HandshakeFragment> fragment() {
        return Combinators.combine(handshakeMessage(), Arbitraries.integers().between(0, 0xffff))
                .flatAs((m, seq) -> {
                    byte[] body = m.toByteArray();
                    if (body.length == 0) {
                        return Arbitraries.just(HandshakeFragment.whole(m.type(), seq, body));
                    }
                    return Arbitraries.integers().between(0, body.length - 1).flatMap(off -> Arbitraries
                            .integers().between(1, body.length - off).map(len -> new HandshakeFragment(m.type(),
                                    body.length, seq, off, Arrays.copyOfRange(body, off, off + len))));
                });
    }
}
