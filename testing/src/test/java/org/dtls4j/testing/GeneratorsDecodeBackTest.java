package org.dtls4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.handshake.message.ClientKeyExchange;
import org.dtls4j.handshake.message.EcdheClientKeyExchange;
import org.dtls4j.handshake.message.EcdheServerKeyExchange;
import org.dtls4j.handshake.message.CertificateTypeChoice;
import org.dtls4j.handshake.message.CertificateTypeOffer;
import org.dtls4j.handshake.message.Extension;
import org.dtls4j.handshake.message.ExtensionData;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.handshake.message.HandshakeMessage;
import org.dtls4j.handshake.message.HandshakeMessages;
import org.dtls4j.handshake.message.KeyExchangeKind;
import org.dtls4j.handshake.message.PskClientKeyExchange;
import org.dtls4j.handshake.message.PskServerKeyExchange;
import org.dtls4j.handshake.message.ServerKeyExchange;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/** Every generated value decodes back equal with the project's own decoders. */
class GeneratorsDecodeBackTest {

    @Property(tries = 600)
    void everyGeneratedMessageDecodesBackEqualFromItsWireForm(@ForAll("messages") HandshakeMessage m) throws DtlsException {
        byte[] wire = HandshakeFragment.whole(m.type(), 3, m.toByteArray()).encode();
        HandshakeFragment f = HandshakeFragment.decode(new Reader(wire));
        HandshakeMessage back = HandshakeMessages.decode(f.msgType(), f.body(), HandshakeMessages.Context.of(kindOf(m)));
        assertEquals(m, back);
        assertArrayEquals(m.toByteArray(), back.toByteArray());
    }

    @Property(tries = 400)
    void everyGeneratedExtensionDecodesBackThroughItsTypedAccessor(@ForAll("extensionData") ExtensionData d)
            throws DtlsException {
        Writer w = new Writer();
        Extensions.of(d).encode(w);
        Extensions back = Extensions.decode(new Reader(w.toByteArray()));
        Extension e = back.get(d.type()).orElseThrow();
        assertEquals(d.toExtension(), e);
        assertEquals(d, typed(back, d));
    }

    @Property(tries = 300)
    void everyGeneratedExtensionsBlockDecodesBackEqual(@ForAll("extensions") Extensions block) throws DtlsException {
        Writer w = new Writer();
        block.encode(w);
        Reader r = new Reader(w.toByteArray());
        assertEquals(block, Extensions.decode(r));
        r.expectEnd();
    }

    @Property(tries = 400)
    void everyGeneratedFragmentDecodesBackEqualAndLiesInsideItsMessage(@ForAll("fragments") HandshakeFragment f)
            throws DtlsException {
        HandshakeFragment back = HandshakeFragment.decode(new Reader(f.encode()));
        assertEquals(f, back);
        assertEquals(true, f.fragmentOffset() + f.fragmentLength() <= f.length());
    }

    @Property(tries = 400)
    void everyGeneratedRecordParsesBackEqual(@ForAll("records") WireRecord r) throws DtlsException {
        assertEquals(List.of(r), WireRecord.parseAll(r.encode(), 0));
    }

    @Property(tries = 200)
    void everyGeneratedCidRecordParsesBackEqualWithItsCidLength(@ForAll("cidRecords") WireRecord r) throws DtlsException {
        int cidLength = r.connectionId().length;
        assertEquals(List.of(r), WireRecord.parseAll(r.encode(), cidLength));
    }

    @Property(tries = 100)
    void severalRecordsInOneDatagramParseBackInOrder(@ForAll("recordLists") List<WireRecord> records) throws DtlsException {
        assertEquals(records, WireRecord.parseAll(WireRecord.datagram(records), 0));
    }

    @Provide
    Arbitrary<HandshakeMessage> messages() {
        return MessageArbitraries.handshakeMessage();
    }

    @Provide
    Arbitrary<ExtensionData> extensionData() {
        return MessageArbitraries.extensionData();
    }

    @Provide
    Arbitrary<Extensions> extensions() {
        return MessageArbitraries.extensions();
    }

    @Provide
    Arbitrary<HandshakeFragment> fragments() {
        return MessageArbitraries.fragment();
    }

    @Provide
    Arbitrary<WireRecord> records() {
        return RecordArbitraries.record();
    }

    @Provide
    Arbitrary<List<WireRecord>> recordLists() {
        return RecordArbitraries.record().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<WireRecord> cidRecords() {
        return Arbitraries.integers().between(1, 255).flatMap(RecordArbitraries::cidRecord);
    }

    /** The key-exchange kind a ServerKeyExchange or ClientKeyExchange body is parsed with. */
    static KeyExchangeKind kindOf(HandshakeMessage m) {
        if (m instanceof ServerKeyExchange) {
            return m instanceof EcdheServerKeyExchange ? KeyExchangeKind.ECDHE_SIGNED
                    : m instanceof PskServerKeyExchange ? KeyExchangeKind.PSK : KeyExchangeKind.ECDHE_PSK;
        }
        if (m instanceof ClientKeyExchange) {
            return m instanceof EcdheClientKeyExchange ? KeyExchangeKind.ECDHE_SIGNED
                    : m instanceof PskClientKeyExchange ? KeyExchangeKind.PSK : KeyExchangeKind.ECDHE_PSK;
        }
        return KeyExchangeKind.PSK;
    }

    private static Object typed(Extensions e, ExtensionData d) throws DtlsException {
        // RFC 7250's two extensions have a ClientHello and a ServerHello form under one code: the form decides.
        if (d instanceof CertificateTypeOffer o) {
            return e.certificateTypeOffer(o.type()).orElseThrow();
        }
        if (d instanceof CertificateTypeChoice c) {
            return e.certificateTypeChoice(c.type()).orElseThrow();
        }
        return switch (d.type().name()) {
            case "server_name" -> e.serverName().orElseThrow();
            case "max_fragment_length" -> e.maxFragmentLength().orElseThrow();
            case "supported_groups" -> e.supportedGroups().orElseThrow();
            case "ec_point_formats" -> e.ecPointFormats().orElseThrow();
            case "signature_algorithms" -> e.signatureAlgorithms().orElseThrow();
            case "use_srtp" -> e.useSrtp().orElseThrow();
            case "application_layer_protocol_negotiation" -> e.applicationProtocols().orElseThrow();
            case "extended_master_secret" -> e.extendedMasterSecret().orElseThrow();
            case "record_size_limit" -> e.recordSizeLimit().orElseThrow();
            case "session_ticket" -> e.sessionTicket().orElseThrow();
            case "connection_id" -> e.connectionId().orElseThrow();
            case "renegotiation_info" -> e.renegotiationInfo().orElseThrow();
            case "encrypt_then_mac" -> e.encryptThenMac().orElseThrow();
            default -> throw new AssertionError("no typed accessor for " + d.type());
        };
    }
}
