package org.dtls4j;

import static org.dtls4j.crypto.SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM;
import static org.dtls4j.crypto.SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM;
import static org.dtls4j.crypto.SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32;
import static org.dtls4j.crypto.SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.SrtpKeys;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.wire.AlertDescription;
import org.junit.jupiter.api.Test;

/** The RFC 5705 exporter on the engine, and use_srtp (RFC 5764 §4.1) end to end between two engines. */
class ExporterAndSrtpTest {
    private static final CipherSuite SUITE = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;

    private static DtlsConfig.Builder client() {
        return TestConfigs.certClient(TestConfigs.ecServer(), SUITE);
    }

    private static DtlsConfig.Builder server() {
        return TestConfigs.certServer(TestConfigs.ecServer(), SUITE);
    }

    private static Harness handshake(DtlsConfig.Builder client, DtlsConfig.Builder server) {
        Harness h = new Harness(client.build(), server.build()).start();
        h.runUntil(() -> (h.clientEvents.isComplete() || h.clientEvents.isClosed())
                && (h.serverEvents.isComplete() || h.serverEvents.isClosed()));
        return h;
    }

    @Test
    void bothSidesExportTheSameBytesAndContextShapesThem() {
        Harness h = new Harness(client().build(), server().build());
        assertThrows(IllegalStateException.class, () -> h.client.exportKeyingMaterial("EXPERIMENTAL a", null, 16),
                "before start");
        h.start();
        assertThrows(IllegalStateException.class, () -> h.client.exportKeyingMaterial("EXPERIMENTAL a", null, 16),
                "while handshaking");
        assertTrue(h.handshake());
        DtlsConnection c = h.client;
        DtlsConnection s = h.server();
        byte[] none = c.exportKeyingMaterial("EXPERIMENTAL a", null, 32);
        assertArrayEquals(none, s.exportKeyingMaterial("EXPERIMENTAL a", null, 32));
        byte[] empty = c.exportKeyingMaterial("EXPERIMENTAL a", new byte[0], 32);
        assertArrayEquals(empty, s.exportKeyingMaterial("EXPERIMENTAL a", new byte[0], 32));
        byte[] ctx = c.exportKeyingMaterial("EXPERIMENTAL a", new byte[] {1, 2, 3}, 32);
        assertArrayEquals(ctx, s.exportKeyingMaterial("EXPERIMENTAL a", new byte[] {1, 2, 3}, 32));
        assertFalse(Arrays.equals(none, empty), "RFC 5705 §4: no context differs from an empty one");
        assertFalse(Arrays.equals(empty, ctx));
        assertFalse(Arrays.equals(none, c.exportKeyingMaterial("EXPERIMENTAL b", null, 32)), "the label counts");
        assertArrayEquals(Arrays.copyOf(none, 16), c.exportKeyingMaterial("EXPERIMENTAL a", null, 16),
                "a shorter export is a prefix (one PRF stream)");
        assertEquals(65535 + 1, s.exportKeyingMaterial("EXPERIMENTAL a", new byte[65535], 65536).length);
    }

    @Test
    void reservedLabelsAndOversizedContextsAreRefused() {
        Harness h = handshake(client(), server());
        for (String label : new String[] {"client finished", "server finished", "master secret", "key expansion",
                "extended master secret", "master secret2", "key expansion for me"}) {
            assertThrows(IllegalArgumentException.class, () -> h.client.exportKeyingMaterial(label, null, 12), label);
            assertThrows(IllegalArgumentException.class, () -> h.server().exportKeyingMaterial(label, null, 12), label);
        }
        assertThrows(IllegalArgumentException.class,
                () -> h.client.exportKeyingMaterial("EXPERIMENTAL a", new byte[65536], 12));
    }

    @Test
    void exporterIsRefusedOnceTheConnectionEnded() {
        Harness h = handshake(client(), server());
        DtlsConnection s = h.server();
        h.client.close(h.now);
        h.drain();
        assertTrue(h.client.isClosed() && s.isClosed());
        assertThrows(IllegalStateException.class, () -> h.client.exportKeyingMaterial("EXPERIMENTAL a", null, 16));
        assertThrows(IllegalStateException.class, () -> s.exportKeyingMaterial("EXPERIMENTAL a", null, 16));
    }

    @Test
    void serverPicksItsFirstProfileTheClientOfferedAndBothDeriveTheSameKeys() {
        Harness h = handshake(client().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_32, SRTP_AEAD_AES_128_GCM,
                        SRTP_AES128_CM_HMAC_SHA1_80),
                server().srtpProfiles(SRTP_AEAD_AES_256_GCM, SRTP_AES128_CM_HMAC_SHA1_80, SRTP_AES128_CM_HMAC_SHA1_32));
        HandshakeResult cr = h.client.handshakeResult();
        HandshakeResult sr = h.server().handshakeResult();
        assertEquals(SRTP_AES128_CM_HMAC_SHA1_80, cr.srtpProfile(), "the server's preference among the client's");
        assertEquals(SRTP_AES128_CM_HMAC_SHA1_80, sr.srtpProfile());
        assertArrayEquals(new byte[0], cr.srtpMki());
        SrtpKeys ck = SrtpKeys.derive(h.client::exportKeyingMaterial, cr.srtpProfile());
        SrtpKeys sk = SrtpKeys.derive(h.server()::exportKeyingMaterial, sr.srtpProfile());
        assertArrayEquals(ck.clientMasterKey(), sk.clientMasterKey());
        assertArrayEquals(ck.serverMasterSalt(), sk.serverMasterSalt());
        assertEquals(16, ck.clientMasterKey().length);
        assertEquals(14, ck.clientMasterSalt().length);
        byte[] material = h.client.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null, 60);
        assertArrayEquals(Arrays.copyOfRange(material, 16, 32), sk.serverMasterKey(), "RFC 5764 §4.2 layout");
    }

    @Test
    void gcmProfilesNegotiateWithTheirKeyLengths() {
        Harness h = handshake(client().srtpProfiles(SRTP_AEAD_AES_256_GCM, SRTP_AEAD_AES_128_GCM),
                server().srtpProfiles(SRTP_AEAD_AES_256_GCM));
        assertEquals(SRTP_AEAD_AES_256_GCM, h.client.handshakeResult().srtpProfile());
        SrtpKeys keys = SrtpKeys.derive(h.client::exportKeyingMaterial, SRTP_AEAD_AES_256_GCM);
        assertEquals(32, keys.serverMasterKey().length);
        assertEquals(12, keys.serverMasterSalt().length);
    }

    @Test
    void mkiIsEchoedOnlyByAServerThatUsesIt() {
        byte[] mki = {9, 8, 7};
        Harness plain = handshake(client().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_80).srtpMki(mki),
                server().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_80));
        assertArrayEquals(new byte[0], plain.client.handshakeResult().srtpMki());
        assertArrayEquals(new byte[0], plain.server().handshakeResult().srtpMki());

        Harness echo = handshake(client().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_80).srtpMki(mki),
                server().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_80).srtpAcceptMki(true));
        assertArrayEquals(mki, echo.client.handshakeResult().srtpMki());
        assertArrayEquals(mki, echo.server().handshakeResult().srtpMki());
    }

    @Test
    void noCommonProfileGoesOnWithoutSrtp() {
        Harness h = handshake(client().srtpProfiles(SRTP_AEAD_AES_128_GCM),
                server().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_80));
        assertTrue(h.client.isEstablished() && h.server().isEstablished());
        assertNull(h.client.handshakeResult().srtpProfile());
        assertNull(h.server().handshakeResult().srtpMki());

        Harness unaware = handshake(client().srtpProfiles(SRTP_AEAD_AES_128_GCM), server());
        assertNull(unaware.client.handshakeResult().srtpProfile(), "a server without SRTP ignores use_srtp");
        Harness quiet = handshake(client(), server().srtpProfiles(SRTP_AEAD_AES_128_GCM));
        assertNull(quiet.server().handshakeResult().srtpProfile(), "nothing is echoed to a client that offered none");
    }

    @Test
    void serverRequiringSrtpFailsTheHandshakeWithoutACommonProfile() {
        Harness h = handshake(client().srtpProfiles(SRTP_AEAD_AES_128_GCM),
                server().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_80).requireSrtp(true));
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, h.clientEvents.closedCause.alert());
        assertTrue(h.clientEvents.closedCause.receivedFromPeer());

        Harness none = handshake(client(), server().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_80).requireSrtp(true));
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, none.clientEvents.closedCause.alert());
    }

    @Test
    void clientRequiringSrtpFailsTheHandshakeWhenTheServerDoesNotEchoIt() {
        Harness h = handshake(client().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_80).requireSrtp(true), server());
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, h.clientEvents.closedCause.alert());
        assertFalse(h.clientEvents.closedCause.receivedFromPeer());
    }

    @Test
    void resumedSessionNegotiatesSrtpAgainWithFreshKeys() {
        DtlsConfig.Builder server = server().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_80).sessionCache(new SessionCache(4));
        Harness h = handshake(client().srtpProfiles(SRTP_AES128_CM_HMAC_SHA1_80), server);
        byte[] first = h.client.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null, 60);
        Recorder again = new Recorder();
        DtlsConnection second = h.newClient(h.client.handshakeResult().session(), again);
        second.start(h.now);
        assertTrue(h.runUntil(again::isComplete));
        assertTrue(second.handshakeResult().resumed());
        assertEquals(SRTP_AES128_CM_HMAC_SHA1_80, second.handshakeResult().srtpProfile());
        assertFalse(Arrays.equals(first, second.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null, 60)),
                "new randoms, new SRTP keys");
    }

    @Test
    void configRefusesUnusableSrtpSettings() {
        assertThrows(IllegalArgumentException.class, () -> client().srtpMki(new byte[256]));
        assertThrows(IllegalArgumentException.class, () -> client().requireSrtp(true).build());
        assertThrows(IllegalArgumentException.class,
                () -> client().srtpProfiles(SRTP_AEAD_AES_128_GCM, SRTP_AEAD_AES_128_GCM).build());
        assertEquals(255, client().srtpMki(new byte[255]).build().srtpMki().length);
    }
}
