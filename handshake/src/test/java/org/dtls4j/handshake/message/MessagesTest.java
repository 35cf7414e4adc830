package org.dtls4j.handshake.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;
import org.junit.jupiter.api.Test;

class MessagesTest {
    private static final HandshakeMessages.Context ECDHE = HandshakeMessages.Context.of(KeyExchangeKind.ECDHE_SIGNED);
    private static final HandshakeMessages.Context PSK = HandshakeMessages.Context.of(KeyExchangeKind.PSK);
    private static final HandshakeMessages.Context ECDHE_PSK = HandshakeMessages.Context.of(KeyExchangeKind.ECDHE_PSK);

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static HandshakeMessage decode(int type, String hex, HandshakeMessages.Context ctx) throws DtlsException {
        return HandshakeMessages.decode(type, hex(hex), ctx);
    }

    static void assertAlert(AlertDescription alert, int type, String hex, HandshakeMessages.Context ctx) {
        DtlsException e = assertThrows(DtlsException.class, () -> decode(type, hex, ctx));
        assertEquals(alert, e.alert(), e.getMessage());
    }

    @Test
    void decodesOpenSslHelloVerifyRequest() throws DtlsException {
        // OpenSSL test/dtlsv1listentest.c "verify": server_version DTLS 1.0, 20-byte cookie 00..13.
        String body = "feff14" + ClientHelloTest.COOKIE_20;
        HelloVerifyRequest hvr = (HelloVerifyRequest) decode(HandshakeType.HELLO_VERIFY_REQUEST, body,
                HandshakeMessages.Context.INITIAL);
        assertEquals(ProtocolVersion.DTLS_1_0, hvr.serverVersion());
        assertEquals(ClientHelloTest.COOKIE_20, hvr.cookie().hex());
        assertEquals(0x17, hvr.toByteArray().length);
    }

    @Test
    void helloVerifyRequestCookieLengthBeyondBodyIsADecodeError() {
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.HELLO_VERIFY_REQUEST, "feff15" + ClientHelloTest.COOKIE_20,
                HandshakeMessages.Context.INITIAL);
    }

    @Test
    void decodesServerHelloWithRenegotiationInfo() throws DtlsException {
        String random = "11".repeat(32);
        String body = "fefd" + random + "00" + "c02b" + "00" + "0005" + "ff01000100";
        ServerHello sh = (ServerHello) decode(HandshakeType.SERVER_HELLO, body, HandshakeMessages.Context.INITIAL);
        assertEquals(0xc02b, sh.cipherSuite());
        assertEquals(0, sh.compressionMethod());
        assertEquals(RenegotiationInfo.INITIAL, sh.extensionsOrEmpty().renegotiationInfo().orElseThrow());
        assertEquals(body, HexFormat.of().formatHex(sh.toByteArray()));
    }

    @Test
    void decodesEcdheServerKeyExchangeAndItsSignedContent() throws DtlsException {
        String point = "04" + "ab".repeat(64);
        String params = "03" + "0017" + "41" + point;
        String body = params + "0403" + "0003" + "010203";
        EcdheServerKeyExchange ske = (EcdheServerKeyExchange) decode(HandshakeType.SERVER_KEY_EXCHANGE, body, ECDHE);
        assertEquals(23, ske.params().namedGroup());
        assertEquals(point, ske.params().publicPoint().hex());
        assertEquals(0x0403, ske.signatureScheme());
        assertEquals("010203", ske.signature().hex());
        assertEquals(params, HexFormat.of().formatHex(ske.params().toByteArray()));
        Bytes cr = Bytes.of(hex("aa".repeat(32)));
        Bytes sr = Bytes.of(hex("bb".repeat(32)));
        assertEquals("aa".repeat(32) + "bb".repeat(32) + params,
                HexFormat.of().formatHex(EcdheServerKeyExchange.signedContent(cr, sr, ske.params())));
    }

    @Test
    void explicitCurveParametersAreADecodeError() {
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.SERVER_KEY_EXCHANGE, "01" + "0017" + "0104" + "0403" + "0000", ECDHE);
    }

    @Test
    void emptyEcdhPointIsADecodeError() {
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.SERVER_KEY_EXCHANGE, "03001d00" + "0403" + "0000", ECDHE);
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.CLIENT_KEY_EXCHANGE, "00", ECDHE);
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.CLIENT_KEY_EXCHANGE, "000100", ECDHE_PSK);
    }

    @Test
    void decodesPskAndEcdhePskKeyExchanges() throws DtlsException {
        assertEquals(new PskServerKeyExchange(Bytes.of("hint".getBytes())),
                decode(HandshakeType.SERVER_KEY_EXCHANGE, "000468696e74", PSK));
        assertEquals(new PskClientKeyExchange(Bytes.of("id".getBytes())),
                decode(HandshakeType.CLIENT_KEY_EXCHANGE, "00026964", PSK));
        String x25519 = "09".repeat(32);
        assertEquals(new EcdhePskServerKeyExchange(Bytes.EMPTY, new ServerEcdhParams(29, Bytes.fromHex(x25519))),
                decode(HandshakeType.SERVER_KEY_EXCHANGE, "0000" + "03001d20" + x25519, ECDHE_PSK));
        assertEquals(new EcdhePskClientKeyExchange(Bytes.of("id".getBytes()), Bytes.fromHex(x25519)),
                decode(HandshakeType.CLIENT_KEY_EXCHANGE, "00026964" + "20" + x25519, ECDHE_PSK));
        assertEquals(new EcdheClientKeyExchange(Bytes.fromHex(x25519)),
                decode(HandshakeType.CLIENT_KEY_EXCHANGE, "20" + x25519, ECDHE));
    }

    @Test
    void keyExchangeBeforeASuiteIsChosenIsUnexpected() {
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, HandshakeType.SERVER_KEY_EXCHANGE, "0000", HandshakeMessages.Context.INITIAL);
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, HandshakeType.CLIENT_KEY_EXCHANGE, "0000", HandshakeMessages.Context.INITIAL);
    }

    @Test
    void unknownHandshakeTypeIsUnexpected() {
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, 99, "", HandshakeMessages.Context.INITIAL);
        assertAlert(AlertDescription.UNEXPECTED_MESSAGE, 8, "0000", HandshakeMessages.Context.INITIAL);
    }

    @Test
    void finishedMustHaveExactlyTheSuitesLength() throws DtlsException {
        String twelve = "0102030405060708090a0b0c";
        Finished f = (Finished) decode(HandshakeType.FINISHED, twelve, HandshakeMessages.Context.INITIAL);
        assertTrue(f.verifyData().equalsConstantTime(hex(twelve)));
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.FINISHED, twelve.substring(2), HandshakeMessages.Context.INITIAL);
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.FINISHED, twelve + "0d", HandshakeMessages.Context.INITIAL);
        HandshakeMessages.Context longer = new HandshakeMessages.Context(Optional.of(KeyExchangeKind.PSK), 13);
        assertEquals(13, ((Finished) decode(HandshakeType.FINISHED, twelve + "0d", longer)).verifyData().length());
    }

    @Test
    void decodesCertificateChainAndEmptyChain() throws DtlsException {
        Certificate c = (Certificate) decode(HandshakeType.CERTIFICATE, "000005" + "000002aabb",
                HandshakeMessages.Context.INITIAL);
        assertEquals(List.of(Bytes.fromHex("aabb")), c.certificates());
        assertEquals(List.of(), ((Certificate) decode(HandshakeType.CERTIFICATE, "000000", HandshakeMessages.Context.INITIAL))
                .certificates());
    }

    @Test
    void emptyCertificateEntryIsADecodeError() {
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.CERTIFICATE, "000003000000", HandshakeMessages.Context.INITIAL);
    }

    @Test
    void certificateListLengthDisagreeingWithItsEntriesIsADecodeError() {
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.CERTIFICATE, "000006000002aabb", HandshakeMessages.Context.INITIAL);
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.CERTIFICATE, "000004000002aabb", HandshakeMessages.Context.INITIAL);
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.CERTIFICATE, "000005000003aabb", HandshakeMessages.Context.INITIAL);
    }

    @Test
    void decodesCertificateRequest() throws DtlsException {
        String body = "02" + "4001" + "0004" + "04030804" + "0007" + "0005" + "3003310141";
        CertificateRequest cr = (CertificateRequest) decode(HandshakeType.CERTIFICATE_REQUEST, body,
                HandshakeMessages.Context.INITIAL);
        assertEquals(List.of(CertificateRequest.ECDSA_SIGN, CertificateRequest.RSA_SIGN), cr.certificateTypes());
        assertEquals(List.of(0x0403, 0x0804), cr.signatureSchemes());
        assertEquals(List.of(Bytes.fromHex("3003310141")), cr.certificateAuthorities());
        assertEquals(body, HexFormat.of().formatHex(cr.toByteArray()));
    }

    @Test
    void certificateRequestWithoutSignatureAlgorithmsIsADecodeError() {
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.CERTIFICATE_REQUEST, "0140" + "0000" + "0000",
                HandshakeMessages.Context.INITIAL);
    }

    @Test
    void decodesNewSessionTicketWithFullRangeLifetime() throws DtlsException {
        NewSessionTicket t = (NewSessionTicket) decode(HandshakeType.NEW_SESSION_TICKET, "ffffffff0002abcd",
                HandshakeMessages.Context.INITIAL);
        assertEquals(0xffffffffL, t.lifetimeHintSeconds());
        assertEquals("abcd", t.ticket().hex());
    }

    @Test
    void emptyMessagesRejectAnyBody() throws DtlsException {
        assertInstanceOf(HelloRequest.class, decode(HandshakeType.HELLO_REQUEST, "", HandshakeMessages.Context.INITIAL));
        assertInstanceOf(ServerHelloDone.class, decode(HandshakeType.SERVER_HELLO_DONE, "", HandshakeMessages.Context.INITIAL));
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.HELLO_REQUEST, "00", HandshakeMessages.Context.INITIAL);
        assertAlert(AlertDescription.DECODE_ERROR, HandshakeType.SERVER_HELLO_DONE, "00", HandshakeMessages.Context.INITIAL);
    }

    @Test
    void certificateVerifyRoundTripsAnEmptySignature() throws DtlsException {
        CertificateVerify cv = new CertificateVerify(0x0807, Bytes.EMPTY);
        assertArrayEquals(hex("08070000"), cv.toByteArray());
        assertEquals(cv, decode(HandshakeType.CERTIFICATE_VERIFY, "08070000", HandshakeMessages.Context.INITIAL));
    }

    @Test
    void typeCodesMatchRfc5246() {
        assertEquals(HandshakeType.HELLO_REQUEST, new HelloRequest().type());
        assertEquals(HandshakeType.SERVER_HELLO_DONE, new ServerHelloDone().type());
        assertEquals(12, new PskServerKeyExchange(Bytes.EMPTY).type());
        assertEquals(16, new PskClientKeyExchange(Bytes.EMPTY).type());
        assertEquals(20, new Finished(Bytes.of(new byte[12])).type());
    }
}
