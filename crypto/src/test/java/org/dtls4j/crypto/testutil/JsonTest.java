package org.dtls4j.crypto.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesNestedStructuresInOrder() {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, \"x\\n\\u0041\"], \"b\": {\"c\": true, \"d\": null}, \"e\": [], \"f\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("a", "b", "e", "f"), List.copyOf(m.keySet()));
        List<?> a = (List<?>) m.get("a");
        assertEquals(new BigDecimal("1"), a.get(0));
        assertEquals(0, new BigDecimal("-25").compareTo((BigDecimal) a.get(1)));
        assertEquals("x\nA", a.get(2));
        Map<?, ?> b = (Map<?, ?>) m.get("b");
        assertEquals(Boolean.TRUE, b.get("c"));
        assertNull(b.get("d"));
        assertEquals(List.of(), m.get("e"));
        assertEquals(Map.of(), m.get("f"));
    }

    @Test
    void rejectsMalformedDocuments() {
        for (String bad : new String[] {"", "{", "[1,", "{\"a\" 1}", "[1] x", "\"abc", "tru", "{1:2}", "[\"\\q\"]", "[-]"}) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void readsTheWycheproofFiles() {
        Map<?, ?> gcm = (Map<?, ?>) Json.parseResource("/wycheproof/aes_gcm_test.json");
        assertEquals("AESGCM", ((String) gcm.get("algorithm")).replace("-", ""));
        int declared = ((BigDecimal) gcm.get("numberOfTests")).intValue();
        int counted = 0;
        for (Object g : (List<?>) gcm.get("testGroups")) {
            counted += ((List<?>) ((Map<?, ?>) g).get("tests")).size();
        }
        assertEquals(declared, counted);
    }
}
