package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The record MAC's own HMAC over {@code MessageDigest}: Wycheproof's HMAC-SHA256 and HMAC-SHA384
 * vectors (empty keys and keys longer than a block included), and the JDK's {@code Mac} for every
 * {@link MacAlgorithm} with random keys, messages in random pieces, tags back to back and filler
 * compressions between them.
 */
class HmacTest {
    @Test
    void wycheproofHmacSha256() throws Exception {
        wycheproof("/wycheproof/hmac_sha256_test.json", MacAlgorithm.HMAC_SHA256);
    }

    @Test
    void wycheproofHmacSha384() throws Exception {
        wycheproof("/wycheproof/hmac_sha384_test.json", MacAlgorithm.HMAC_SHA384);
    }

    private static void wycheproof(String file, MacAlgorithm algorithm) throws Exception {
        HmacWycheproofTest.checkVectors(file, (key, msg) -> {
            Hmac hmac = algorithm.newHmac(key);
            byte[] tag = new byte[hmac.length()];
            hmac.update(msg, 0, msg.length);
            hmac.doFinal(tag, 0);
            return tag;
        });
    }

    @ParameterizedTest
    @EnumSource(MacAlgorithm.class)
    void sameTagsAsTheJdkMacForRandomKeysAndPieces(MacAlgorithm algorithm) throws Exception {
        SplittableRandom random = new SplittableRandom(algorithm.ordinal());
        byte[] filler = new byte[4 * algorithm.hashBlockLength()];
        for (int round = 0; round < 200; round++) {
            byte[] key = new byte[1 + random.nextInt(2 * algorithm.hashBlockLength() + 10)];
            random.nextBytes(key);
            Hmac ours = algorithm.newHmac(key);
            Mac jdk = Mac.getInstance(algorithm.jcaName());
            jdk.init(new SecretKeySpec(key, algorithm.jcaName()));
            for (int tags = 0; tags < 3; tags++) {
                byte[] msg = new byte[random.nextInt(600)];
                random.nextBytes(msg);
                for (int off = 0; off < msg.length; ) {
                    int piece = Math.min(msg.length - off, random.nextInt(130));
                    ours.update(msg, off, piece);
                    off += piece;
                }
                byte[] tag = new byte[ours.length() + 3];
                ours.doFinal(tag, 3);
                assertArrayEquals(jdk.doFinal(msg), Arrays.copyOfRange(tag, 3, tag.length), "key " + key.length
                        + " B, message " + msg.length + " B, tag " + tags);
                ours.compressAndDiscard(filler, 0, random.nextInt(filler.length + 1));
            }
        }
    }

    @Test
    void aTagOfNothingIsTheTagOfTheEmptyMessage() throws Exception {
        byte[] key = {1, 2, 3};
        Hmac ours = MacAlgorithm.HMAC_SHA256.newHmac(key);
        byte[] tag = new byte[32];
        ours.doFinal(tag, 0);
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(key, "HmacSHA256"));
        assertArrayEquals(jdk.doFinal(), tag);
    }
}
