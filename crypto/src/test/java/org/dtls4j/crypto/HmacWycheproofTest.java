package org.dtls4j.crypto;

import static org.dtls4j.crypto.EcdheWycheproofTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.crypto.testutil.Json;
import org.junit.jupiter.api.Test;

/** The HMACs the PRF is built on, as {@link PrfHash} names them, against Wycheproof's HMAC vectors. */
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
        int checked = 0;
        for (Object g : Json.array(Json.resource(file).get("testGroups"))) {
            Map<String, Object> group = Json.object(g);
            int tagBytes = ((Number) group.get("tagSize")).intValue() / 8;
            for (Object o : Json.array(group.get("tests"))) {
                Map<String, Object> t = Json.object(o);
                byte[] key = hex(t, "key");
                if (key.length == 0) {
                    continue;   // SecretKeySpec refuses empty keys; Prf maps them itself (see PrfTest)
                }
                Mac mac = hash.newMac();
                mac.init(new SecretKeySpec(key, hash.macName()));
                byte[] tag = Arrays.copyOf(mac.doFinal(hex(t, "msg")), tagBytes);
                boolean same = MessageDigest.isEqual(tag, hex(t, "tag"));
                assertEquals("valid".equals(t.get("result")), same, EcdheWycheproofTest.describe(t));
                checked++;
            }
        }
        assertTrue(checked > 100, "checked " + checked);
        assertEquals(hash.outputLength(), hash.newDigest().getDigestLength());
    }
}
