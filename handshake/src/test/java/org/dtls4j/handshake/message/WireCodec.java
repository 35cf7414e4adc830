package org.dtls4j.handshake.message;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * One decoder under test with its matching encoder, named as in the regression corpus
 * ({@code client_hello}, {@code server_key_exchange.psk}, {@code ext.server_name}, ...).
 */
record WireCodec(String name, Decoder decoder, Function<Object, byte[]> encoder) {

    interface Decoder {
        Object decode(byte[] body) throws DtlsException;
    }

    Object decode(byte[] body) throws DtlsException {
        return decoder.decode(body);
    }

    byte[] encode(Object value) {
        return encoder.apply(value);
    }

    /** Every decoder of the package, by name. */
    static final Map<String, WireCodec> ALL = build();

    private static Map<String, WireCodec> build() {
        Map<String, WireCodec> m = new LinkedHashMap<>();
        int[] plainTypes = {
            HandshakeType.HELLO_REQUEST, HandshakeType.CLIENT_HELLO, HandshakeType.SERVER_HELLO,
            HandshakeType.HELLO_VERIFY_REQUEST, HandshakeType.NEW_SESSION_TICKET, HandshakeType.CERTIFICATE,
            HandshakeType.CERTIFICATE_REQUEST, HandshakeType.SERVER_HELLO_DONE, HandshakeType.CERTIFICATE_VERIFY,
            HandshakeType.FINISHED,
        };
        for (int type : plainTypes) {
            put(m, message(HandshakeType.name(type), type, HandshakeMessages.Context.INITIAL));
        }
        for (KeyExchangeKind kind : KeyExchangeKind.values()) {
            HandshakeMessages.Context ctx = HandshakeMessages.Context.of(kind);
            String suffix = "." + kind.name().toLowerCase();
            put(m, message("server_key_exchange" + suffix, HandshakeType.SERVER_KEY_EXCHANGE, ctx));
            put(m, message("client_key_exchange" + suffix, HandshakeType.CLIENT_KEY_EXCHANGE, ctx));
        }
        put(m, extension(ExtensionType.SERVER_NAME, ServerName::decode));
        put(m, extension(ExtensionType.MAX_FRAGMENT_LENGTH, MaxFragmentLength::decode));
        put(m, extension(ExtensionType.SUPPORTED_GROUPS, SupportedGroups::decode));
        put(m, extension(ExtensionType.EC_POINT_FORMATS, EcPointFormats::decode));
        put(m, extension(ExtensionType.SIGNATURE_ALGORITHMS, SignatureAlgorithms::decode));
        put(m, extension(ExtensionType.USE_SRTP, UseSrtp::decode));
        put(m, extension(ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION, ApplicationProtocols::decode));
        put(m, extension(ExtensionType.ENCRYPT_THEN_MAC, EncryptThenMac::decode));
        put(m, extension(ExtensionType.EXTENDED_MASTER_SECRET, ExtendedMasterSecret::decode));
        put(m, extension(ExtensionType.RECORD_SIZE_LIMIT, RecordSizeLimit::decode));
        put(m, extension(ExtensionType.SESSION_TICKET, SessionTicket::decode));
        put(m, extension(ExtensionType.CONNECTION_ID, ConnectionId::decode));
        put(m, extension(ExtensionType.RENEGOTIATION_INFO, RenegotiationInfo::decode));
        for (ExtensionType t : List.of(ExtensionType.CLIENT_CERTIFICATE_TYPE, ExtensionType.SERVER_CERTIFICATE_TYPE)) {
            put(m, extension("ext." + t.name() + ".offer", r -> CertificateTypeOffer.decode(t, r)));
            put(m, extension("ext." + t.name() + ".choice", r -> CertificateTypeChoice.decode(t, r)));
        }
        put(m, new WireCodec("certificate.raw_public_key", body -> RawPublicKeyCertificate.decode(new Reader(body)),
                v -> ((HandshakeMessage) v).toByteArray()));
        put(m, new WireCodec("extensions", body -> {
            Reader r = new Reader(body);
            Extensions e = Extensions.decode(r);
            r.expectEnd();
            return e;
        }, v -> {
            Writer w = new Writer();
            ((Extensions) v).encode(w);
            return w.toByteArray();
        }));
        return Map.copyOf(m);
    }

    private static void put(Map<String, WireCodec> m, WireCodec c) {
        m.put(c.name(), c);
    }

    private static WireCodec message(String name, int type, HandshakeMessages.Context ctx) {
        return new WireCodec(name, body -> {
            HandshakeMessage msg = HandshakeMessages.decode(type, body, ctx);
            if (msg.type() != type) {
                throw new AssertionError("decoded " + msg + " as type " + type);
            }
            return msg;
        }, v -> ((HandshakeMessage) v).toByteArray());
    }

    private static WireCodec extension(ExtensionType type, Extensions.Decoder<? extends ExtensionData> d) {
        return extension("ext." + type.name(), d);
    }

    private static WireCodec extension(String name, Extensions.Decoder<? extends ExtensionData> d) {
        return new WireCodec(name, body -> d.decode(new Reader(body)),
                v -> ((ExtensionData) v).toExtension().data().toByteArray());
    }

    /** The codec that decodes {@code value}'s encoding back to it. */
    static WireCodec of(Object value) {
        if (value instanceof CertificateTypeOffer o) {
            return ALL.get("ext." + o.type().name() + ".offer");
        }
        if (value instanceof CertificateTypeChoice c) {
            return ALL.get("ext." + c.type().name() + ".choice");
        }
        if (value instanceof RawPublicKeyCertificate) {
            return ALL.get("certificate.raw_public_key");
        }
        if (value instanceof ExtensionData d) {
            return ALL.get("ext." + d.type().name());
        }
        if (value instanceof Extensions) {
            return ALL.get("extensions");
        }
        HandshakeMessage m = (HandshakeMessage) value;
        String name = HandshakeType.name(m.type());
        if (m instanceof ServerKeyExchange || m instanceof ClientKeyExchange) {
            name += "." + kind(m).name().toLowerCase();
        }
        return ALL.get(name);
    }

    private static KeyExchangeKind kind(HandshakeMessage m) {
        if (m instanceof EcdheServerKeyExchange || m instanceof EcdheClientKeyExchange) {
            return KeyExchangeKind.ECDHE_SIGNED;
        }
        if (m instanceof PskServerKeyExchange || m instanceof PskClientKeyExchange) {
            return KeyExchangeKind.PSK;
        }
        return KeyExchangeKind.ECDHE_PSK;
    }

    /** The one proper prefix of a hello's encoding that is itself valid: the hello without extensions. */
    static Optional<byte[]> validPrefix(Object value) {
        if (value instanceof ClientHello ch && ch.extensions().isPresent()) {
            return Optional.of(new ClientHello(ch.clientVersion(), ch.random(), ch.sessionId(), ch.cookie(),
                    ch.cipherSuites(), ch.compressionMethods(), Optional.empty()).toByteArray());
        }
        if (value instanceof ServerHello sh && sh.extensions().isPresent()) {
            return Optional.of(new ServerHello(sh.serverVersion(), sh.random(), sh.sessionId(), sh.cipherSuite(),
                    sh.compressionMethod(), Optional.empty()).toByteArray());
        }
        return Optional.empty();
    }

    /** session_ticket data is the bare ticket, so every prefix and extension of it is another valid ticket. */
    static boolean hasNoFraming(Object value) {
        return value instanceof SessionTicket;
    }

    static List<WireCodec> all() {
        return List.copyOf(ALL.values());
    }
}
