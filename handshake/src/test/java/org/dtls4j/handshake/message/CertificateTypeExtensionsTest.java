package org.dtls4j.handshake.message;

import static org.dtls4j.handshake.message.ExtensionsTest.assertAlert;
import static org.dtls4j.handshake.message.ExtensionsTest.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.junit.jupiter.api.Test;

/** The RFC 7250 codecs: both forms of client/server_certificate_type and the RawPublicKey Certificate. */
class CertificateTypeExtensionsTest {
    private static final ExtensionType CLIENT = ExtensionType.CLIENT_CERTIFICATE_TYPE;
    private static final ExtensionType SERVER = ExtensionType.SERVER_CERTIFICATE_TYPE;

    @Test
    void codesMatchTheIanaRegistries() {
        assertEquals(19, CLIENT.code());
        assertEquals(20, SERVER.code());
        assertSame(CLIENT, ExtensionType.of(19));
        assertSame(SERVER, ExtensionType.of(20));
        assertEquals(0, CertificateType.X509);
        assertEquals(2, CertificateType.RAW_PUBLIC_KEY);
        assertEquals("RawPublicKey", CertificateType.name(2));
    }

    @Test
    void offerListBoundsAreOneTo255Types() throws DtlsException {
        assertAlert(AlertDescription.DECODE_ERROR, r -> CertificateTypeOffer.decode(SERVER, r), "00");
        assertEquals(List.of(2), decode(r -> CertificateTypeOffer.decode(SERVER, r), "0102").types());
        String max = "ff" + "02".repeat(254) + "00";
        assertEquals(255, decode(r -> CertificateTypeOffer.decode(CLIENT, r), max).types().size());
        String maxMinusOne = "fe" + "02".repeat(254);
        assertEquals(254, decode(r -> CertificateTypeOffer.decode(CLIENT, r), maxMinusOne).types().size());
        assertAlert(AlertDescription.DECODE_ERROR, r -> CertificateTypeOffer.decode(CLIENT, r), "020200" + "00");
        assertAlert(AlertDescription.DECODE_ERROR, r -> CertificateTypeOffer.decode(CLIENT, r), "0302");
        assertThrows(IllegalArgumentException.class, () -> new CertificateTypeOffer(CLIENT, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new CertificateTypeOffer(CLIENT, Collections.nCopies(256, 2)));
        assertThrows(IllegalArgumentException.class, () -> new CertificateTypeOffer(CLIENT, List.of(256)));
    }

    @Test
    void choiceIsExactlyOneByte() throws DtlsException {
        assertEquals(2, decode(r -> CertificateTypeChoice.decode(CLIENT, r), "02").certificateType());
        assertEquals(255, decode(r -> CertificateTypeChoice.decode(CLIENT, r), "ff").certificateType());
        assertAlert(AlertDescription.DECODE_ERROR, r -> CertificateTypeChoice.decode(CLIENT, r), "");
        assertAlert(AlertDescription.DECODE_ERROR, r -> CertificateTypeChoice.decode(CLIENT, r), "0200");
        assertThrows(IllegalArgumentException.class, () -> new CertificateTypeChoice(SERVER, 256));
    }

    @Test
    void onlyTheTwoCertificateTypeExtensionsCarryTheseForms() {
        assertThrows(IllegalArgumentException.class,
                () -> new CertificateTypeChoice(ExtensionType.SERVER_NAME, CertificateType.X509));
        assertThrows(IllegalArgumentException.class,
                () -> new CertificateTypeOffer(ExtensionType.of(21), List.of(CertificateType.X509)));
    }

    @Test
    void helloAccessorsReadEachFormUnderItsOwnCode() throws DtlsException {
        Extensions hello = Extensions.of(CertificateTypeOffer.client(2), CertificateTypeOffer.server(2, 0));
        assertEquals(List.of(2, 0), hello.certificateTypeOffer(SERVER).orElseThrow().types());
        assertEquals(List.of(2), hello.certificateTypeOffer(CLIENT).orElseThrow().types());
        Extensions serverHello = Extensions.of(new CertificateTypeChoice(SERVER, 2));
        assertEquals(2, serverHello.certificateTypeChoice(SERVER).orElseThrow().certificateType());
        assertTrue(serverHello.certificateTypeChoice(CLIENT).isEmpty());
        // The ServerHello form read where a ClientHello form is expected: one byte is no list.
        DtlsException e = assertThrows(DtlsException.class, () -> serverHello.certificateTypeOffer(SERVER));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
    }

    @Test
    void rawPublicKeyCertificateIsOneOpaque24() throws DtlsException {
        byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + "11".repeat(32));
        RawPublicKeyCertificate c = new RawPublicKeyCertificate(Bytes.of(spki));
        byte[] wire = c.toByteArray();
        assertEquals("00002c", HexFormat.of().formatHex(wire, 0, 3));
        assertEquals(c, RawPublicKeyCertificate.decode(new Reader(wire)));
        assertTrue(RawPublicKeyCertificate.decode(new Reader(new byte[3])).isEmpty());
        DtlsException e = assertThrows(DtlsException.class,
                () -> RawPublicKeyCertificate.decode(new Reader(HexFormat.of().parseHex("000002aa"))));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        e = assertThrows(DtlsException.class,
                () -> RawPublicKeyCertificate.decode(new Reader(HexFormat.of().parseHex("000001aabb"))));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
    }
}
