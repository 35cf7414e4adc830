package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SrtpKeysTest {
    private static final byte[] MASTER = Hex.decode(
            "916abf9da55973e13614ae0a3f5d3f37b023ba129aee02cc9134338127cd7049781c8e19fc1eb2a7387ac06ae237344c");
    private static final byte[] CLIENT_RANDOM = new byte[32];
    private static final byte[] SERVER_RANDOM = new byte[32];

    static {
        Arrays.fill(CLIENT_RANDOM, (byte) 0x11);
        Arrays.fill(SERVER_RANDOM, (byte) 0x22);
    }

    @Test
    void profilesCarryRfcCodesAndLengths() {
        assertEquals(0x0001, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80.code());
        assertEquals(0x0002, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32.code());
        assertEquals(0x0007, SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM.code());
        assertEquals(0x0008, SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM.code());
        assertEquals(60, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80.keyingMaterialLength());
        assertEquals(60, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32.keyingMaterialLength());
        assertEquals(56, SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM.keyingMaterialLength());
        assertEquals(88, SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM.keyingMaterialLength());
        assertTrue(SrtpProtectionProfile.of(0x0005).isEmpty(), "a code we do not implement");
        assertEquals(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
                SrtpProtectionProfile.byName("srtp_aes128_cm_sha1_80").orElseThrow(), "OpenSSL's name");
        assertEquals(SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM,
                SrtpProtectionProfile.byName("SRTP_AEAD_AES_256_GCM").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(SrtpProtectionProfile.class)
    void splitsClientKeyServerKeyClientSaltServerSalt(SrtpProtectionProfile profile) {
        byte[] material = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        SrtpKeys keys = SrtpKeys.split(material, profile);
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        assertArrayEquals(Arrays.copyOfRange(material, 0, k), keys.clientMasterKey());
        assertArrayEquals(Arrays.copyOfRange(material, k, 2 * k), keys.serverMasterKey());
        assertArrayEquals(Arrays.copyOfRange(material, 2 * k, 2 * k + s), keys.clientMasterSalt());
        assertArrayEquals(Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s), keys.serverMasterSalt());
        assertArrayEquals(keys.clientMasterKey(), keys.localMasterKey(true));
        assertArrayEquals(keys.serverMasterSalt(), keys.localMasterSalt(false));
        assertFalse(keys.toString().contains("00010203"), "no key bytes in toString");
        assertThrows(IllegalArgumentException.class, () -> SrtpKeys.split(new byte[material.length - 1], profile));
    }

    @Test
    void deriveRunsTheExporterWithTheDtlsSrtpLabelAndNoContext() {
        String[] label = new String[1];
        byte[][] context = {new byte[1]};
        int[] length = new int[1];
        SrtpKeys.derive((l, c, n) -> {
            label[0] = l;
            context[0] = c;
            length[0] = n;
            return new byte[n];
        }, SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM);
        assertEquals("EXTRACTOR-dtls_srtp", label[0]);
        assertNull(context[0], "RFC 5764 §4.2: no context");
        assertEquals(88, length[0]);
    }

    @Test
    void exporterSecretMatchesBouncyCastlePrfAndRefusesOnceDestroyed() {
        ExporterSecret secret = new ExporterSecret(PrfHash.SHA256, MASTER, CLIENT_RANDOM, SERVER_RANDOM);
        SrtpKeys keys = SrtpKeys.derive(secret, SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        byte[] seed = KeyScheduleTest.concat(CLIENT_RANDOM, SERVER_RANDOM);
        byte[] expected = new BcTlsCrypto(new java.security.SecureRandom()).createSecret(MASTER)
                .deriveUsingPRF(PRFAlgorithm.tls_prf_sha256, "EXTRACTOR-dtls_srtp", seed, 60).extract();
        assertArrayEquals(Arrays.copyOfRange(expected, 0, 16), keys.clientMasterKey());
        assertArrayEquals(Arrays.copyOfRange(expected, 46, 60), keys.serverMasterSalt());

        secret.destroy();
        assertTrue(secret.isDestroyed());
        assertThrows(IllegalStateException.class, () -> secret.exportKeyingMaterial("EXTRACTOR-dtls_srtp", null, 60));
        assertThrows(IllegalArgumentException.class,
                () -> new ExporterSecret(PrfHash.SHA256, new byte[47], CLIENT_RANDOM, SERVER_RANDOM));
    }
}
