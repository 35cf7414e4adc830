package org.dtls4j.handshake.machine;

import static org.dtls4j.crypto.SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM;
import static org.dtls4j.crypto.SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32;
import static org.dtls4j.crypto.SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.List;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.handshake.message.UseSrtp;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/** RFC 5764 §4.1.1-4.1.3 decisions, including what a client must refuse in a server's use_srtp. */
class SrtpNegotiationTest {
    private static final byte[] MKI = {1, 2, 3};

    /** Settings answering only the SRTP questions. */
    private static HandshakeSettings settings(List<SrtpProtectionProfile> profiles, byte[] mki, boolean acceptMki,
                                              boolean require) {
        return (HandshakeSettings) Proxy.newProxyInstance(HandshakeSettings.class.getClassLoader(),
                new Class<?>[] {HandshakeSettings.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "srtpProfiles" -> profiles;
                    case "srtpMki" -> mki.clone();
                    case "srtpAcceptMki" -> acceptMki;
                    case "requireSrtp" -> require;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Extensions ext(List<Integer> profiles, byte[] mki) {
        return Extensions.of(new UseSrtp(profiles, Bytes.of(mki)));
    }

    private static void assertAlert(AlertDescription alert, org.junit.jupiter.api.function.Executable call) {
        assertEquals(alert, assertThrows(DtlsException.class, call).alert());
    }

    @Test
    void clientOffersItsProfilesAndMkiInOrder() {
        UseSrtp offer = SrtpNegotiation.offer(settings(List.of(SRTP_AEAD_AES_128_GCM, SRTP_AES128_CM_HMAC_SHA1_80),
                MKI, false, false));
        assertEquals(List.of(7, 1), offer.profiles());
        assertArrayEquals(MKI, offer.mki().toByteArray());
        assertNull(SrtpNegotiation.offer(settings(List.of(), new byte[0], false, false)));
    }

    @Test
    void serverIgnoresUnknownCodesAndPicksItsOwnPreference() throws DtlsException {
        HandshakeSettings server = settings(List.of(SRTP_AES128_CM_HMAC_SHA1_32, SRTP_AES128_CM_HMAC_SHA1_80),
                new byte[0], false, false);
        SrtpNegotiation.Choice c = SrtpNegotiation.select(server, ext(List.of(0x0005, 0xffff, 1, 2), MKI));
        assertEquals(SRTP_AES128_CM_HMAC_SHA1_32, c.profile());
        assertArrayEquals(new byte[0], c.mki(), "a server that does not use MKIs answers with an empty one");
        UseSrtp echo = SrtpNegotiation.echo(c);
        assertEquals(List.of(2), echo.profiles(), "exactly one profile echoed");
        assertNull(SrtpNegotiation.select(server, ext(List.of(0x0005), MKI)));
        assertNull(SrtpNegotiation.select(server, Extensions.EMPTY));
        HandshakeSettings mkiServer = settings(List.of(SRTP_AES128_CM_HMAC_SHA1_80), new byte[0], true, false);
        assertArrayEquals(MKI, SrtpNegotiation.select(mkiServer, ext(List.of(1), MKI)).mki());
    }

    @Test
    void serverThatRequiresSrtpFailsWithHandshakeFailure() {
        HandshakeSettings server = settings(List.of(SRTP_AES128_CM_HMAC_SHA1_80), new byte[0], false, true);
        assertAlert(AlertDescription.HANDSHAKE_FAILURE, () -> SrtpNegotiation.select(server, ext(List.of(7), MKI)));
        assertAlert(AlertDescription.HANDSHAKE_FAILURE, () -> SrtpNegotiation.select(server, Extensions.EMPTY));
    }

    @Test
    void clientAcceptsOnlyOneOfferedProfileWithItsOwnOrAnEmptyMki() throws DtlsException {
        HandshakeSettings client = settings(List.of(SRTP_AES128_CM_HMAC_SHA1_80, SRTP_AEAD_AES_128_GCM), MKI,
                false, false);
        assertEquals(SRTP_AEAD_AES_128_GCM, SrtpNegotiation.accept(client, ext(List.of(7), new byte[0])).profile());
        assertArrayEquals(MKI, SrtpNegotiation.accept(client, ext(List.of(1), MKI)).mki());
        assertNull(SrtpNegotiation.accept(client, Extensions.EMPTY));

        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> SrtpNegotiation.accept(client, ext(List.of(2), MKI)));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> SrtpNegotiation.accept(client, ext(List.of(0x5), MKI)));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER, () -> SrtpNegotiation.accept(client, ext(List.of(1, 7), MKI)));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER,
                () -> SrtpNegotiation.accept(client, ext(List.of(1), new byte[] {1, 2, 4})));
        assertAlert(AlertDescription.ILLEGAL_PARAMETER,
                () -> SrtpNegotiation.accept(client, ext(List.of(1), new byte[] {1, 2})));
    }

    @Test
    void clientThatRequiresSrtpFailsWhenTheServerEchoesNone() {
        HandshakeSettings client = settings(List.of(SRTP_AES128_CM_HMAC_SHA1_80), new byte[0], false, true);
        assertAlert(AlertDescription.HANDSHAKE_FAILURE, () -> SrtpNegotiation.accept(client, Extensions.EMPTY));
    }
}
