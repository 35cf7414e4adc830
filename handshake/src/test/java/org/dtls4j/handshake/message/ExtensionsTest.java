package org.dtls4j.handshake.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.junit.jupiter.api.Test;

class ExtensionsTest {

    static <T> T decode(Extensions.Decoder<T> d, String hex) throws DtlsException {
        return d.decode(new Reader(HexFormat.of().parseHex(hex)));
    }

    static void assertAlert(AlertDescription alert, Extensions.Decoder<?> d, String hex) {
        DtlsException e = assertThrows(DtlsException.class, () -> decode(d, hex));
        assertEquals(alert, e.alert(), e.getMessage());
    }

    @Test
    void extensionTypeCodesMatchTheIanaRegistry() {
        Map<ExtensionType, Integer> iana = Map.ofEntries(
                Map.entry(ExtensionType.SERVER_NAME, 0), Map.entry(ExtensionType.MAX_FRAGMENT_LENGTH, 1),
                Map.entry(ExtensionType.SUPPORTED_GROUPS, 10), Map.entry(ExtensionType.EC_POINT_FORMATS, 11),
                Map.entry(ExtensionType.SIGNATURE_ALGORITHMS, 13), Map.entry(ExtensionType.USE_SRTP, 14),
                Map.entry(ExtensionType.APPLICATION_LAYER_PROTOCOL_NEGOTIATION, 16),
                Map.entry(ExtensionType.EXTENDED_MASTER_SECRET, 23), Map.entry(ExtensionType.RECORD_SIZE_LIMIT, 28),
                Map.entry(ExtensionType.SESSION_TICKET, 35), Map.entry(ExtensionType.CONNECTION_ID, 54),
                Map.entry(ExtensionType.RENEGOTIATION_INFO, 0xff01));
        iana.forEach((type, code) -> {
            assertEquals(code, type.code(), type.name());
            assertSame(type, ExtensionType.of(code));
        });
    }

    @Test
    void unknownExtensionTypeIsAValueNotAnError() {
        ExtensionType t = ExtensionType.of(53);
        assertEquals(53, t.code());
        assertEquals("unknown(53)", t.toString());
        assertEquals(t, ExtensionType.of(53));
        assertNotSame(ExtensionType.CONNECTION_ID, t);
    }

    @Test
    void recordSizeLimitBelow64IsIllegalParameter() throws DtlsException {
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, RecordSizeLimit::decode, "003f");
        assertEquals(64, decode(RecordSizeLimit::decode, "0040").limit());
        assertEquals(0xffff, decode(RecordSizeLimit::decode, "ffff").limit());
        assertAlert(AlertDescription.DECODE_ERROR, RecordSizeLimit::decode, "00");
    }

    @Test
    void maxFragmentLengthOutside1To4IsIllegalParameter() throws DtlsException {
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, MaxFragmentLength::decode, "00");
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, MaxFragmentLength::decode, "05");
        assertEquals(512, decode(MaxFragmentLength::decode, "01").bytes());
        assertEquals(4096, decode(MaxFragmentLength::decode, "04").bytes());
        assertThrows(IllegalArgumentException.class, () -> MaxFragmentLength.ofBytes(1000));
    }

    @Test
    void illegalParameterSurvivesTheTypedAccessor() {
        Extensions e = Extensions.of(List.of(Extension.of(28, new byte[] {0, 10})));
        DtlsException ex = assertThrows(DtlsException.class, e::recordSizeLimit);
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, ex.alert());
    }

    @Test
    void encryptThenMacWithDataIsADecodeErrorAndEmptyRoundTrips() throws DtlsException {
        assertAlert(AlertDescription.DECODE_ERROR, EncryptThenMac::decode, "00");
        Extensions e = Extensions.of(new EncryptThenMac());
        assertEquals(new EncryptThenMac(), e.encryptThenMac().orElseThrow());
        assertEquals(0, new EncryptThenMac().toExtension().data().length());
        assertEquals(22, new EncryptThenMac().type().code());
    }

    @Test
    void extendedMasterSecretWithDataIsADecodeError() {
        assertAlert(AlertDescription.DECODE_ERROR, ExtendedMasterSecret::decode, "00");
    }

    @Test
    void decodesServerNameHostName() throws DtlsException {
        // server_name_list length 14, host_name(0), length 11, "example.com"
        ServerName sn = decode(ServerName::decode, "000e" + "00" + "000b" + "6578616d706c652e636f6d");
        assertEquals(Optional.of("example.com"), sn.hostName());
        assertEquals(ServerName.ofHostName("example.com"), sn);
    }

    @Test
    void serverNameRepeatedTypeOrEmptyNameOrEmptyListIsADecodeError() {
        assertAlert(AlertDescription.DECODE_ERROR, ServerName::decode, "0008" + "00000161" + "00000162");
        assertAlert(AlertDescription.DECODE_ERROR, ServerName::decode, "0003" + "000000");
        assertAlert(AlertDescription.DECODE_ERROR, ServerName::decode, "0000");
    }

    @Test
    void decodesAlpnList() throws DtlsException {
        ApplicationProtocols a = decode(ApplicationProtocols::decode, "000c" + "02" + "6832" + "08" + "687474702f312e31");
        assertEquals(List.of("h2", "http/1.1"), a.names());
        assertEquals(ApplicationProtocols.of("h2", "http/1.1"), a);
    }

    @Test
    void alpnEmptyNameOrEmptyListIsADecodeError() {
        assertAlert(AlertDescription.DECODE_ERROR, ApplicationProtocols::decode, "0001" + "00");
        assertAlert(AlertDescription.DECODE_ERROR, ApplicationProtocols::decode, "0000");
    }

    @Test
    void oddLengthCodeListsAreDecodeErrors() {
        assertAlert(AlertDescription.DECODE_ERROR, SupportedGroups::decode, "0003001d00");
        assertAlert(AlertDescription.DECODE_ERROR, SignatureAlgorithms::decode, "0003040308");
        assertAlert(AlertDescription.DECODE_ERROR, UseSrtp::decode, "0003000100" + "00");
        assertAlert(AlertDescription.DECODE_ERROR, SupportedGroups::decode, "0000");
        assertAlert(AlertDescription.DECODE_ERROR, EcPointFormats::decode, "00");
    }

    @Test
    void decodesUseSrtpWithMki() throws DtlsException {
        UseSrtp u = decode(UseSrtp::decode, "0004" + "00010007" + "02" + "abcd");
        assertEquals(List.of(1, 7), u.profiles());
        assertEquals("abcd", u.mki().hex());
        assertAlert(AlertDescription.DECODE_ERROR, UseSrtp::decode, "0004" + "00010007");
    }

    @Test
    void connectionIdLengthBeyondDataIsADecodeError() throws DtlsException {
        assertEquals("0102", decode(ConnectionId::decode, "020102").cid().hex());
        assertAlert(AlertDescription.DECODE_ERROR, ConnectionId::decode, "030102");
        assertAlert(AlertDescription.DECODE_ERROR, RenegotiationInfo::decode, "");
    }

    @Test
    void connectionIdTakesEveryLengthFromZeroTo255() throws DtlsException {
        for (int n : new int[] {0, 1, 254, 255}) {
            byte[] cid = new byte[n];
            java.util.Arrays.fill(cid, (byte) 0x5a);
            ConnectionId c = new ConnectionId(Bytes.of(cid));
            org.dtls4j.wire.Writer w = new org.dtls4j.wire.Writer();
            c.encodeData(w);
            assertEquals(n + 1, w.size());
            assertEquals(c, ConnectionId.decode(new org.dtls4j.wire.Reader(w.toByteArray())));
        }
        assertAlert(AlertDescription.DECODE_ERROR, ConnectionId::decode, "");
        assertAlert(AlertDescription.DECODE_ERROR, ConnectionId::decode, "ff" + "00".repeat(254));
    }

    @Test
    void sessionTicketDataIsTheBareTicket() throws DtlsException {
        assertEquals(SessionTicket.EMPTY, decode(SessionTicket::decode, ""));
        assertEquals("00ff", decode(SessionTicket::decode, "00ff").ticket().hex());
    }

    @Test
    void buildingABlockWithARepeatedTypeIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Extensions.of(new ExtendedMasterSecret(), new ExtendedMasterSecret()));
    }

    @Test
    void extensionDataLongerThan65535IsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Extension.of(5, new byte[0x10000]));
    }

    @Test
    void constructorsRejectValuesTheWireCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> new RecordSizeLimit(63));
        assertThrows(IllegalArgumentException.class, () -> new MaxFragmentLength(5));
        assertThrows(IllegalArgumentException.class, () -> new SupportedGroups(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new EcPointFormats(List.of(256)));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionId(Bytes.of(new byte[256])));
        assertThrows(IllegalArgumentException.class, () -> new ApplicationProtocols(List.of(Bytes.EMPTY)));
        assertThrows(IllegalArgumentException.class, () -> new ServerName(List.of(
                new ServerName.Entry(0, Bytes.fromHex("61")), new ServerName.Entry(0, Bytes.fromHex("62")))));
    }

    /** Look-ups are binary searches over the sorted type codes; the list keeps wire order. */
    @Test
    void extensionsOutOfCodeOrderAreFoundAndKeepTheirWireOrder() throws DtlsException {
        // renegotiation_info (ff01, empty), then extended_master_secret (0017), then an unknown 0035 of one byte.
        byte[] block = HexFormat.of().parseHex("000e" + "ff01000100" + "00170000" + "0035000107");
        Extensions e = Extensions.decode(new Reader(block));
        assertEquals(List.of(ExtensionType.RENEGOTIATION_INFO, ExtensionType.EXTENDED_MASTER_SECRET,
                ExtensionType.of(0x35)), e.list().stream().map(Extension::type).toList());
        assertEquals(true, e.contains(ExtensionType.EXTENDED_MASTER_SECRET));
        assertEquals(true, e.contains(ExtensionType.RENEGOTIATION_INFO));
        assertEquals(false, e.contains(ExtensionType.SERVER_NAME));
        assertEquals(Optional.empty(), e.get(ExtensionType.of(0xffff)));
        assertEquals(1, e.get(ExtensionType.of(0x35)).orElseThrow().data().length());
    }

    /** RFC 5246 §7.4.1.4: one extension per type; a repeat anywhere in the block is caught, not only adjacent ones. */
    @Test
    void aRepeatedTypeAnywhereInTheBlockIsRefused() {
        byte[] block = HexFormat.of().parseHex("000d" + "00170000" + "ff01000100" + "001700" + "00");
        DtlsException e = assertThrows(DtlsException.class, () -> Extensions.decode(new Reader(block)));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        Extension ems = new Extension(ExtensionType.EXTENDED_MASTER_SECRET, Bytes.EMPTY);
        Extension reneg = new Extension(ExtensionType.RENEGOTIATION_INFO, Bytes.wrap(new byte[] {0}));
        assertThrows(IllegalArgumentException.class, () -> Extensions.of(List.of(ems, reneg, ems)));
        assertEquals(2, Extensions.of(List.of(reneg, ems)).list().size());
    }
}
