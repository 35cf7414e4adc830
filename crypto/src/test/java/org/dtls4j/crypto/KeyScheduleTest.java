package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

/**
 * Master secret and key block vectors from Bouncy Castle's PRFTest (testTLS12_SHA256PRF /
 * testTLS12_SHA384PRF, NIST CAVS SP 800-135 style): master secret over clientHello_random ||
 * serverHello_random, key block over server_random || client_random of a different pair of randoms.
 */
class KeyScheduleTest {
    private static final BcTlsCrypto BC = new BcTlsCrypto();

    private static final byte[] PMS_256 = Hex.decode("f8938ecc9edebc5030c0c6a441e213cd24e6f770a50dda07876f8d55da062bcadb386b411fd4fe4313a604fce6c17fbc");
    private static final byte[] SH_RANDOM_256 = Hex.decode("f6c9575ed7ddd73e1f7d16eca115415812a43c2b747daaaae043abfb50053fce");
    private static final byte[] CH_RANDOM_256 = Hex.decode("36c129d01a3200894b9179faac589d9835d58775f9b5ea3587cb8fd0364cae8c");
    private static final byte[] SERVER_RANDOM_256 = Hex.decode("ae6c806f8ad4d80784549dff28a4b58fd837681a51d928c3e30ee5ff14f39868");
    private static final byte[] CLIENT_RANDOM_256 = Hex.decode("62e1fd91f23f558a605f28478c58cf72637b89784d959df7e946d3f07bd1b616");
    private static final byte[] MASTER_256 = Hex.decode("202c88c00f84a17a20027079604787461176455539e705be730890602c289a5001e34eeb3a043e5d52a65e66125188bf");
    private static final String KEY_BLOCK_256 = "d06139889fffac1e3a71865f504aa5d0d2a2e89506c6f2279b670c3e1b74f531016a2530c51a3a0f7e1d6590d0f0566b"
            + "2f387f8d11fd4f731cdd572d2eae927f6f2f81410b25e6960be68985add6c38445ad9f8c64bf8068bf9a6679485d966f"
            + "1ad6f68b43495b10a683755ea2b858d70ccac7ec8b053c6bd41ca299d4e51928";

    private static final byte[] PMS_384 = Hex.decode("a5e2642633f5b8c81ad3fe0c2fe3a8e5ef806b06121dd10df4bb0fe857bfdcf522558e05d2682c9a80c741a3aab1716f");
    private static final byte[] SH_RANDOM_384 = Hex.decode("cb6e0b3eb02976b6466dfa9651c2919414f1648fd3a7838d02153e5bd39535b6");
    private static final byte[] CH_RANDOM_384 = Hex.decode("abe4bf5527429ac8eb13574d2709e8012bd1a113c6d3b1d3aa2c3840518778ac");
    private static final byte[] SERVER_RANDOM_384 = Hex.decode("1b1c8568344a65c30828e7483c0e353e2c68641c9551efae6927d9cd627a107c");
    private static final byte[] CLIENT_RANDOM_384 = Hex.decode("954b5fe1849c2ede177438261f099a2fcd884d001b9fe1de754364b1f6a6dd8e");
    private static final byte[] MASTER_384 = Hex.decode("b4d49bfa87747fe815457bc3da15073d6ac73389e703079a3503c09e14bd559a5b3c7c601c7365f6ea8c68d3d9596827");
    private static final String KEY_BLOCK_384 = "10fd89ef689c7ef033387b8a8f3e5e8e7c11f680f6bdd71fbac3246a73e98d45d03185dde686e6b2369e4503e9dc5a6d"
            + "2cee3e2bf2fa3f41d3de57dff3e197c8a9d5f74cc2d277119d894f8584b07a0a5822f0bd68b3433ec6adaf5c9406c5f3"
            + "ddbb71bbe17ce98f3d4d5893d3179ef369f57aad908e2bf710639100c3ce7e0c";

    @Test
    void masterSecretMatchesBouncyCastleVectors() {
        assertArrayEquals(MASTER_256, KeySchedule.masterSecret(PrfHash.SHA256, PMS_256, CH_RANDOM_256, SH_RANDOM_256));
        assertArrayEquals(MASTER_384, KeySchedule.masterSecret(PrfHash.SHA384, PMS_384, CH_RANDOM_384, SH_RANDOM_384));
    }

    @Test
    void keyExpansionMatchesBouncyCastleVectors() {
        assertEquals(KEY_BLOCK_256, Hex.encode(Prf.compute(PrfHash.SHA256, MASTER_256, "key expansion",
                concat(SERVER_RANDOM_256, CLIENT_RANDOM_256), 128)));
        assertEquals(KEY_BLOCK_384, Hex.encode(Prf.compute(PrfHash.SHA384, MASTER_384, "key expansion",
                concat(SERVER_RANDOM_384, CLIENT_RANDOM_384), 128)));
    }

    @Test
    void keyBlockSplitsInRfc5246OrderForGcm() {
        KeyBlock kb = KeySchedule.keyBlock(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, MASTER_256,
                CLIENT_RANDOM_256, SERVER_RANDOM_256);
        byte[] block = Hex.decode(KEY_BLOCK_256);
        assertArrayEquals(Arrays.copyOfRange(block, 0, 16), kb.clientWriteKey());
        assertArrayEquals(Arrays.copyOfRange(block, 16, 32), kb.serverWriteKey());
        assertArrayEquals(Arrays.copyOfRange(block, 32, 36), kb.clientWriteIv());
        assertArrayEquals(Arrays.copyOfRange(block, 36, 40), kb.serverWriteIv());
        assertEquals(0, kb.clientWriteMacKey().length);
        assertEquals(0, kb.serverWriteMacKey().length);
    }

    @Test
    void keyBlockUsesSuiteHashAndSizesForSha384AndChaCha() {
        KeyBlock gcm256 = KeySchedule.keyBlock(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, MASTER_384,
                CLIENT_RANDOM_384, SERVER_RANDOM_384);
        byte[] block = Hex.decode(KEY_BLOCK_384);
        assertArrayEquals(Arrays.copyOfRange(block, 0, 32), gcm256.clientWriteKey());
        assertArrayEquals(Arrays.copyOfRange(block, 32, 64), gcm256.serverWriteKey());
        assertArrayEquals(Arrays.copyOfRange(block, 64, 68), gcm256.clientWriteIv());
        assertArrayEquals(Arrays.copyOfRange(block, 68, 72), gcm256.serverWriteIv());

        KeyBlock chacha = KeySchedule.keyBlock(CipherSuite.TLS_PSK_WITH_CHACHA20_POLY1305_SHA256, MASTER_256,
                CLIENT_RANDOM_256, SERVER_RANDOM_256);
        byte[] b256 = Hex.decode(KEY_BLOCK_256);
        assertArrayEquals(Arrays.copyOfRange(b256, 64, 76), chacha.clientWriteIv());
        assertArrayEquals(Arrays.copyOfRange(b256, 76, 88), chacha.serverWriteIv());
    }

    @Test
    void destroyWipesKeyBlockAndToStringHidesSecrets() {
        KeyBlock kb = KeySchedule.keyBlock(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, MASTER_256,
                CLIENT_RANDOM_256, SERVER_RANDOM_256);
        byte[] key = kb.clientWriteKey();
        byte[] iv = kb.serverWriteIv();
        String text = kb.toString();
        assertFalse(text.contains(Hex.encode(key)), text);
        assertFalse(text.toLowerCase().contains(Hex.encode(key, 0, 4)), text);
        kb.destroy();
        assertArrayEquals(new byte[16], key);
        assertArrayEquals(new byte[4], iv);
        assertTrue(kb.isDestroyed());
        assertThrows(IllegalStateException.class, kb::clientWriteKey);
    }

    @Test
    void extendedMasterSecretUsesItsLabelOverSessionHash() {
        byte[] sessionHash = PrfHash.SHA256.newDigest().digest("transcript".getBytes());
        byte[] ems = KeySchedule.extendedMasterSecret(PrfHash.SHA256, PMS_256, sessionHash);
        byte[] bc = BC.createSecret(PMS_256).deriveUsingPRF(PRFAlgorithm.tls_prf_sha256, "extended master secret", sessionHash, 48).extract();
        assertArrayEquals(bc, ems);
        assertFalse(Arrays.equals(ems, KeySchedule.masterSecret(PrfHash.SHA256, PMS_256, CH_RANDOM_256, SH_RANDOM_256)));
        assertThrows(IllegalArgumentException.class,
                () -> KeySchedule.extendedMasterSecret(PrfHash.SHA384, PMS_256, sessionHash));
    }

    @Test
    void finishedVerifyDataIsTwelveBytesOfLabelledPrf() {
        byte[] hash = PrfHash.SHA384.newDigest().digest("handshake messages".getBytes());
        byte[] client = KeySchedule.clientVerifyData(PrfHash.SHA384, MASTER_384, hash);
        byte[] server = KeySchedule.serverVerifyData(PrfHash.SHA384, MASTER_384, hash);
        assertEquals(12, client.length);
        assertArrayEquals(BC.createSecret(MASTER_384).deriveUsingPRF(PRFAlgorithm.tls_prf_sha384, "client finished", hash, 12).extract(), client);
        assertArrayEquals(BC.createSecret(MASTER_384).deriveUsingPRF(PRFAlgorithm.tls_prf_sha384, "server finished", hash, 12).extract(), server);
        assertFalse(Arrays.equals(client, server));
    }

    @Test
    void exporterSeedIsRandomsThenLengthPrefixedContext() {
        byte[] ctx = Hex.decode("0102030405");
        byte[] withCtx = KeySchedule.export(PrfHash.SHA256, MASTER_256, "EXPERIMENTAL dtls4j", ctx,
                CLIENT_RANDOM_256, SERVER_RANDOM_256, 40);
        byte[] seed = concat(concat(CLIENT_RANDOM_256, SERVER_RANDOM_256), Hex.decode("00050102030405"));
        assertArrayEquals(BC.createSecret(MASTER_256).deriveUsingPRF(PRFAlgorithm.tls_prf_sha256, "EXPERIMENTAL dtls4j", seed, 40).extract(), withCtx);

        byte[] noCtx = KeySchedule.export(PrfHash.SHA256, MASTER_256, "EXPERIMENTAL dtls4j", null,
                CLIENT_RANDOM_256, SERVER_RANDOM_256, 40);
        byte[] emptyCtx = KeySchedule.export(PrfHash.SHA256, MASTER_256, "EXPERIMENTAL dtls4j", new byte[0],
                CLIENT_RANDOM_256, SERVER_RANDOM_256, 40);
        assertArrayEquals(BC.createSecret(MASTER_256).deriveUsingPRF(PRFAlgorithm.tls_prf_sha256, "EXPERIMENTAL dtls4j",
                concat(CLIENT_RANDOM_256, SERVER_RANDOM_256), 40).extract(), noCtx);
        assertFalse(Arrays.equals(noCtx, emptyCtx), "RFC 5705 §4: no context differs from an empty one");
    }

    @Test
    void exporterRefusesHandshakeLabelsAndOversizedContext() {
        for (String label : new String[] {"client finished", "server finished", "master secret", "key expansion", "extended master secret"}) {
            assertThrows(IllegalArgumentException.class, () -> KeySchedule.export(PrfHash.SHA256, MASTER_256, label, null,
                    CLIENT_RANDOM_256, SERVER_RANDOM_256, 12), label);
        }
        assertThrows(IllegalArgumentException.class, () -> KeySchedule.export(PrfHash.SHA256, MASTER_256, "EXPERIMENTAL x",
                new byte[65536], CLIENT_RANDOM_256, SERVER_RANDOM_256, 12));
        assertEquals(12, KeySchedule.export(PrfHash.SHA256, MASTER_256, "EXPERIMENTAL x", new byte[65535],
                CLIENT_RANDOM_256, SERVER_RANDOM_256, 12).length, "a context of 65535 bytes is the largest allowed");
        assertThrows(IllegalArgumentException.class, () -> KeySchedule.export(PrfHash.SHA256, MASTER_256, "EXPERIMENTAL x",
                null, CLIENT_RANDOM_256, SERVER_RANDOM_256, -1));
    }

    @Test
    void exporterRefusesLabelsThatStartWithAReservedOne() {
        for (String label : new String[] {"client finished2", "server finished x", "master secretEXTRA", "key expansion 1"}) {
            assertTrue(KeySchedule.isReservedLabel(label), label);
            assertThrows(IllegalArgumentException.class, () -> KeySchedule.export(PrfHash.SHA256, MASTER_256, label, null,
                    CLIENT_RANDOM_256, SERVER_RANDOM_256, 12), label);
        }
        for (String label : new String[] {"EXTRACTOR-dtls_srtp", "EXPERIMENTAL master secret", "client finishe", ""}) {
            assertFalse(KeySchedule.isReservedLabel(label), label);
        }
    }

    @Test
    void refusesRandomsOfWrongSize() {
        assertThrows(IllegalArgumentException.class,
                () -> KeySchedule.masterSecret(PrfHash.SHA256, PMS_256, new byte[31], SH_RANDOM_256));
        assertThrows(IllegalArgumentException.class,
                () -> KeySchedule.keyBlock(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, MASTER_256, CLIENT_RANDOM_256, new byte[33]));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
