package org.dtls4j.crypto;

import static org.dtls4j.crypto.EcdheWycheproofTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import org.dtls4j.crypto.testutil.Json;
import org.junit.jupiter.api.Test;

/**
 * The HMACs of {@link PrfHash#newHmac()} (the construction the PRF repeats on the same thread digest), against
 * Wycheproof's HMAC vectors.
 */
class HmacWycheproofTest {
    @Test
    void hmacSha256() throws Exception {
        run("/wycheproof/hmac_sha256_test.json", PrfHash.SHA256);
    }

    @Test
    void hmacSha384() throws Exception {
        run("/wycheproof/hmac_sha384_test.json", PrfHash.SHA384);
    }

    private static void run(String file, PrfHash hash) throws Exception {
        // One instance re-keyed for every vector, empty keys included, as the PRF uses it per thread.
        Hmac mac = hash.newHmac();
        checkVectors(file, (key, msg) -> {
            mac.setKey(key);
            mac.update(msg, 0, msg.length);
            byte[] tag = new byte[mac.length()];
            mac.doFinal(tag, 0);
            return tag;
        });
        assertEquals(hash.outputLength(), hash.newDigest().getDigestLength());
        assertEquals(hash.outputLength(), mac.length());
    }

    /** An HMAC under test: the full tag of {@code msg} under {@code key}. */
    @FunctionalInterface
    interface TagFunction {
        byte[] tag(byte[] key, byte[] msg) throws Exception;
    }

    /**
     * Checks {@code hmac} against every vector of a Wycheproof HMAC file (tags truncated to the group's
     * size): valid vectors must match, invalid ones must not.
     *
     * @param file the vector file on the test class path
     * @param hmac the implementation under test
     */
    static void checkVectors(String file, TagFunction hmac) throws Exception {
        int checked = 0;
        for (Object g : Json.array(Json.resource(file).get("testGroups"))) {
            Map<String, Object> group = Json.object(g);
            int tagBytes = ((Number) group.get("tagSize")).intValue() / 8;
            for (Object o : Json.array(group.get("tests"))) {
                Map<String, Object> t = Json.object(o);
                byte[] key = hex(t, "key");
                byte[] tag = Arrays.copyOf(hmac.tag(key, hex(t, "msg")), tagBytes);
                boolean same = MessageDigest.isEqual(tag, hex(t, "tag"));
                assertEquals("valid".equals(t.get("result")), same, EcdheWycheproofTest.describe(t));
                checked++;
            }
        }
        assertTrue(checked > 100, "checked " + checked);
    }
}
