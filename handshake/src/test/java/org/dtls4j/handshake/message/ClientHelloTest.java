package org.dtls4j.handshake.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;
import org.dtls4j.wire.Reader;
import org.junit.jupiter.api.Test;

class ClientHelloTest {
    /** OpenSSL test/dtlsv1listentest.c, clienthello_nocookie, the 0x2E-byte body after the handshake header. */
    static final String OPENSSL_NO_COOKIE = "fefd"
            + "ca189f76ec57cee5b3ab7990adac6ed15835039716108256d855ffe18aa32ef6"
            + "00" + "00" + "0004002f00ff" + "0100" + "0000";
    static final String COOKIE_20 = "000102030405060708090a0b0c0d0e0f10111213";
    /** The same hello carrying the 20-byte cookie 00..13 (clienthello_cookie, body length 0x42). */
    static final String OPENSSL_COOKIE = OPENSSL_NO_COOKIE.substring(0, 68) + "00" + "14" + COOKIE_20
            + "0004002f00ff" + "0100" + "0000";

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static ClientHello decode(String hex) throws DtlsException {
        return ClientHello.decode(new Reader(hex(hex)));
    }

    @Test
    void decodesOpenSslListenTestHelloWithoutCookie() throws DtlsException {
        byte[] body = hex(OPENSSL_NO_COOKIE);
        assertEquals(0x2e, body.length);
        ClientHello ch = ClientHello.decode(new Reader(body));
        assertEquals(ProtocolVersion.DTLS_1_2, ch.clientVersion());
        assertEquals("ca189f76ec57cee5b3ab7990adac6ed15835039716108256d855ffe18aa32ef6", ch.random().hex());
        assertTrue(ch.sessionId().isEmpty());
        assertTrue(ch.cookie().isEmpty());
        assertEquals(List.of(0x002f, 0x00ff), ch.cipherSuites());
        assertEquals(List.of(ClientHello.NULL_COMPRESSION), ch.compressionMethods());
        assertEquals(Optional.of(Extensions.EMPTY), ch.extensions(), "a present, empty extensions block");
        assertArrayEquals(body, ch.toByteArray());
    }

    @Test
    void decodesOpenSslListenTestHelloWithCookie() throws DtlsException {
        byte[] body = hex(OPENSSL_COOKIE);
        assertEquals(0x42, body.length);
        ClientHello ch = ClientHello.decode(new Reader(body));
        assertEquals(COOKIE_20, ch.cookie().hex());
        assertEquals(decode(OPENSSL_NO_COOKIE).withCookie(Bytes.fromHex(COOKIE_20)), ch);
        assertArrayEquals(body, ch.toByteArray());
    }

    @Test
    void absentAndEmptyExtensionBlocksAreDifferentHellos() throws DtlsException {
        String absent = OPENSSL_NO_COOKIE.substring(0, OPENSSL_NO_COOKIE.length() - 4);
        ClientHello without = decode(absent);
        ClientHello empty = decode(OPENSSL_NO_COOKIE);
        assertEquals(Optional.empty(), without.extensions());
        assertEquals(Extensions.EMPTY, without.extensionsOrEmpty());
        assertNotEquals(without, empty);
        assertEquals(absent, HexFormat.of().formatHex(without.toByteArray()));
    }

    @Test
    void oneByteWhereTheExtensionsLengthBelongsIsADecodeError() {
        String oneByte = OPENSSL_NO_COOKIE.substring(0, OPENSSL_NO_COOKIE.length() - 2);
        assertDecodeError(oneByte);
    }

    @Test
    void sessionIdLongerThan32IsADecodeError() {
        StringBuilder sb = new StringBuilder(OPENSSL_NO_COOKIE.substring(0, 68)).append("21");
        sb.append("00".repeat(33)).append("00").append("0004002f00ff0100");
        assertDecodeError(sb.toString());
    }

    @Test
    void emptyOrOddCipherSuitesAreDecodeErrors() {
        String head = OPENSSL_NO_COOKIE.substring(0, 68) + "0000";
        assertDecodeError(head + "0000" + "0100");
        assertDecodeError(head + "0003002f00" + "0100");
    }

    @Test
    void emptyCompressionMethodsIsADecodeError() {
        assertDecodeError(OPENSSL_NO_COOKIE.substring(0, 68) + "0000" + "0004002f00ff" + "00");
    }

    @Test
    void cipherSuitesLengthOneTooLongOrShortIsADecodeError() {
        String head = OPENSSL_NO_COOKIE.substring(0, 68) + "0000";
        assertDecodeError(head + "0005002f00ff" + "0100" + "0000");
        assertDecodeError(head + "0003002f00ff" + "0100" + "0000");
        assertDecodeError(head + "0002002f00ff" + "0100" + "0000");
    }

    @Test
    void extensionsBlockLengthOneTooLongOrShortIsADecodeError() {
        String head = OPENSSL_NO_COOKIE.substring(0, OPENSSL_NO_COOKIE.length() - 4);
        assertDecodeError(head + "0005" + "00170000");
        assertDecodeError(head + "0003" + "00170000");
        assertDecodeError(head + "0004" + "00170001");
    }

    @Test
    void duplicateExtensionIsADecodeError() {
        String head = OPENSSL_NO_COOKIE.substring(0, OPENSSL_NO_COOKIE.length() - 4);
        assertDecodeError(head + "0008" + "00170000" + "00170000");
    }

    @Test
    void unknownExtensionsRoundTripInWireOrder() throws DtlsException {
        String head = OPENSSL_NO_COOKIE.substring(0, OPENSSL_NO_COOKIE.length() - 4);
        String body = head + "0010" + "fafa0001aa" + "00170000" + "1234000300ffee";
        ClientHello ch = decode(body);
        List<Extension> list = ch.extensionsOrEmpty().list();
        assertEquals(List.of(0xfafa, 23, 0x1234), list.stream().map(e -> e.type().code()).toList());
        assertEquals("unknown(64250)", list.get(0).type().name());
        assertTrue(ch.extensionsOrEmpty().extendedMasterSecret().isPresent());
        assertEquals(body, HexFormat.of().formatHex(ch.toByteArray()));
    }

    @Test
    void typedExtensionsAreReadBackFromAHello() throws DtlsException {
        Extensions ext = Extensions.of(ServerName.ofHostName("example.com"), new SupportedGroups(List.of(29, 23)),
                new EcPointFormats(List.of(0)), new SignatureAlgorithms(List.of(0x0403, 0x0804)),
                new ExtendedMasterSecret(), RenegotiationInfo.INITIAL, new ConnectionId(Bytes.EMPTY),
                ApplicationProtocols.of("coap"), new RecordSizeLimit(1024), MaxFragmentLength.ofBytes(1024),
                SessionTicket.EMPTY, new UseSrtp(List.of(0x0001, 0x0007), Bytes.EMPTY));
        ClientHello sent = new ClientHello(ProtocolVersion.DTLS_1_2, Bytes.of(new byte[32]), Bytes.EMPTY, Bytes.EMPTY,
                List.of(0xc02b), List.of(0), Optional.of(ext));
        HandshakeMessage got = HandshakeMessages.decode(HandshakeType.CLIENT_HELLO, sent.toByteArray(),
                HandshakeMessages.Context.INITIAL);
        Extensions e = ((ClientHello) got).extensionsOrEmpty();
        assertEquals(Optional.of("example.com"), e.serverName().flatMap(ServerName::hostName));
        assertEquals(List.of(29, 23), e.supportedGroups().orElseThrow().groups());
        assertEquals(List.of(0), e.ecPointFormats().orElseThrow().formats());
        assertEquals(List.of(0x0403, 0x0804), e.signatureAlgorithms().orElseThrow().schemes());
        assertTrue(e.extendedMasterSecret().isPresent());
        assertEquals(RenegotiationInfo.INITIAL, e.renegotiationInfo().orElseThrow());
        assertEquals(Bytes.EMPTY, e.connectionId().orElseThrow().cid());
        assertEquals(List.of("coap"), e.applicationProtocols().orElseThrow().names());
        assertEquals(1024, e.recordSizeLimit().orElseThrow().limit());
        assertEquals(1024, e.maxFragmentLength().orElseThrow().bytes());
        assertEquals(SessionTicket.EMPTY, e.sessionTicket().orElseThrow());
        assertEquals(List.of(1, 7), e.useSrtp().orElseThrow().profiles());
        assertFalse(e.contains(ExtensionType.STATUS_REQUEST));
        assertEquals(sent, got);
    }

    @Test
    void constructorRejectsFieldsTheWireCannotCarry() {
        Bytes random = Bytes.of(new byte[32]);
        Optional<Extensions> none = Optional.empty();
        assertThrows(IllegalArgumentException.class, () -> new ClientHello(ProtocolVersion.DTLS_1_2,
                Bytes.of(new byte[31]), Bytes.EMPTY, Bytes.EMPTY, List.of(1), List.of(0), none));
        assertThrows(IllegalArgumentException.class, () -> new ClientHello(ProtocolVersion.DTLS_1_2, random,
                Bytes.of(new byte[33]), Bytes.EMPTY, List.of(1), List.of(0), none));
        assertThrows(IllegalArgumentException.class, () -> new ClientHello(ProtocolVersion.DTLS_1_2, random,
                Bytes.EMPTY, Bytes.of(new byte[256]), List.of(1), List.of(0), none));
        assertThrows(IllegalArgumentException.class, () -> new ClientHello(ProtocolVersion.DTLS_1_2, random,
                Bytes.EMPTY, Bytes.EMPTY, List.of(), List.of(0), none));
        assertThrows(IllegalArgumentException.class, () -> new ClientHello(ProtocolVersion.DTLS_1_2, random,
                Bytes.EMPTY, Bytes.EMPTY, List.of(0x10000), List.of(0), none));
        assertThrows(IllegalArgumentException.class, () -> new ClientHello(ProtocolVersion.DTLS_1_2, random,
                Bytes.EMPTY, Bytes.EMPTY, List.of(1), List.of(), none));
    }

    static void assertDecodeError(String hex) {
        DtlsException e = assertThrows(DtlsException.class, () -> decode(hex));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
    }
}
