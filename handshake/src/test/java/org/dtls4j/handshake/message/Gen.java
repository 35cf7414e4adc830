package org.dtls4j.handshake.message;

import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.dtls4j.wire.ProtocolVersion;

/** jqwik generators for every message and extension, sized to keep the properties quick. */
final class Gen {
    private Gen() {
    }

    static Arbitrary<Bytes> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(Bytes::of);
    }

    static Arbitrary<Integer> u8() {
        return Arbitraries.integers().between(0, 0xff);
    }

    static Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 0xffff);
    }

    static Arbitrary<List<Integer>> u16s(int min, int max) {
        return u16().list().ofMinSize(min).ofMaxSize(max);
    }

    static Arbitrary<List<Integer>> u8s(int min, int max) {
        return u8().list().ofMinSize(min).ofMaxSize(max);
    }

    static Arbitrary<ProtocolVersion> version() {
        return Arbitraries.oneOf(Arbitraries.of(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_0),
                u16().map(ProtocolVersion::of));
    }

    // ---- extensions

    static Arbitrary<ServerName> serverName() {
        Arbitrary<ServerName.Entry> entry = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(0)), Tuple.of(1, u8())),
                bytes(1, 24)).as(ServerName.Entry::new);
        return entry.list().ofMinSize(1).ofMaxSize(3).uniqueElements(ServerName.Entry::nameType).map(ServerName::new);
    }

    static Arbitrary<ExtensionData> extensionData() {
        return Arbitraries.oneOf(List.of(
                serverName(),
                Arbitraries.integers().between(1, 4).map(MaxFragmentLength::new),
                u16s(1, 12).map(SupportedGroups::new),
                u8s(1, 4).map(EcPointFormats::new),
                u16s(1, 12).map(SignatureAlgorithms::new),
                Combinators.combine(u16s(1, 5), bytes(0, 12)).as(UseSrtp::new),
                bytes(1, 12).list().ofMinSize(1).ofMaxSize(4).map(ApplicationProtocols::new),
                Arbitraries.just(new ExtendedMasterSecret()),
                Arbitraries.integers().between(64, 0xffff).map(RecordSizeLimit::new),
                bytes(0, 64).map(SessionTicket::new),
                bytes(0, 255).map(ConnectionId::new),
                bytes(0, 24).map(RenegotiationInfo::new),
                Combinators.combine(certificateTypeExtension(), u8s(1, 6)).as(CertificateTypeOffer::new),
                Combinators.combine(certificateTypeExtension(), u8()).as(CertificateTypeChoice::new)));
    }

    /** client_certificate_type or server_certificate_type (RFC 7250 §3): the same shapes under two codes. */
    static Arbitrary<ExtensionType> certificateTypeExtension() {
        return Arbitraries.of(ExtensionType.CLIENT_CERTIFICATE_TYPE, ExtensionType.SERVER_CERTIFICATE_TYPE);
    }

    /** Typed extensions in wire form, mixed with raw ones of any code (unknown ones included). */
    static Arbitrary<Extension> extension() {
        Arbitrary<Extension> raw = Combinators.combine(u16(), bytes(0, 24)).as((t, d) -> new Extension(ExtensionType.of(t), d));
        return Arbitraries.oneOf(extensionData().map(ExtensionData::toExtension), raw);
    }

    static Arbitrary<Extensions> extensions() {
        return extension().list().ofMaxSize(6).uniqueElements(e -> e.type().code()).map(Extensions::of);
    }

    static Arbitrary<Optional<Extensions>> optionalExtensions() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Optional.<Extensions>empty())),
                Tuple.of(1, Arbitraries.just(Optional.of(Extensions.EMPTY))),
                Tuple.of(4, extensions().map(Optional::of)));
    }

    // ---- messages

    static Arbitrary<ClientHello> clientHello() {
        return Combinators.combine(version(), bytes(32, 32), bytes(0, 32), bytes(0, 255), u16s(1, 20), u8s(1, 3),
                optionalExtensions()).as(ClientHello::new);
    }

    static Arbitrary<ServerHello> serverHello() {
        return Combinators.combine(version(), bytes(32, 32), bytes(0, 32), u16(), u8(), optionalExtensions())
                .as(ServerHello::new);
    }

    static Arbitrary<HelloVerifyRequest> helloVerifyRequest() {
        return Combinators.combine(version(), bytes(0, 255)).as(HelloVerifyRequest::new);
    }

    static Arbitrary<Certificate> certificate() {
        return bytes(1, 300).list().ofMaxSize(4).map(Certificate::new);
    }

    static Arbitrary<CertificateRequest> certificateRequest() {
        return Combinators.combine(u8s(1, 4), u16s(1, 12), bytes(1, 40).list().ofMaxSize(3))
                .as(CertificateRequest::new);
    }

    static Arbitrary<ServerEcdhParams> ecdhParams() {
        return Combinators.combine(u16(), bytes(1, 133)).as(ServerEcdhParams::new);
    }

    static Arbitrary<ServerKeyExchange> serverKeyExchange() {
        return Arbitraries.oneOf(
                Combinators.combine(ecdhParams(), u16(), bytes(0, 140)).as(EcdheServerKeyExchange::new),
                bytes(0, 40).map(PskServerKeyExchange::new),
                Combinators.combine(bytes(0, 40), ecdhParams()).as(EcdhePskServerKeyExchange::new));
    }

    static Arbitrary<ClientKeyExchange> clientKeyExchange() {
        return Arbitraries.oneOf(
                bytes(1, 133).map(EcdheClientKeyExchange::new),
                bytes(0, 40).map(PskClientKeyExchange::new),
                Combinators.combine(bytes(0, 40), bytes(1, 133)).as(EcdhePskClientKeyExchange::new));
    }

    static Arbitrary<HandshakeMessage> message() {
        return Arbitraries.oneOf(List.of(
                clientHello(), serverHello(), helloVerifyRequest(), certificate(), certificateRequest(),
                serverKeyExchange(), clientKeyExchange(), bytes(0, 120).map(RawPublicKeyCertificate::new),
                Combinators.combine(u16(), bytes(0, 140)).as(CertificateVerify::new),
                bytes(12, 12).map(Finished::new),
                Combinators.combine(Arbitraries.longs().between(0, 0xffffffffL), bytes(0, 100)).as(NewSessionTicket::new),
                Arbitraries.just(new HelloRequest()),
                Arbitraries.just(new ServerHelloDone())));
    }
}
