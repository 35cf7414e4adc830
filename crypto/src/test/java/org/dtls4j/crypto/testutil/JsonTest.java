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
    void parsesNestedObjectsArraysAndScalars() {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, true, false, null], \"b\": {\"c\": \"x\\\"y\\u0041\\n\"}, \"e\": {}, \"f\": []} ");
        Map<String, Object> m = Json.object(v);
        List<Object> a = Json.array(m.get("a"));
        assertEquals(new BigDecimal("1"), a.get(0));
        assertEquals(0, new BigDecimal("-25").compareTo((BigDecimal) a.get(1)));
        assertEquals(Boolean.TRUE, a.get(2));
        assertEquals(Boolean.FALSE, a.get(3));
        assertNull(a.get(4));
        assertEquals("x\"yA\n", Json.object(m.get("b")).get("c"));
        assertEquals(Map.of(), m.get("e"));
        assertEquals(List.of(), m.get("f"));
    }

    @Test
    void keepsKeyOrder() {
        assertEquals(List.of("z", "a", "m"), List.copyOf(Json.object(Json.parse("{\"z\":1,\"a\":2,\"m\":3}")).keySet()));
    }

    @Test
    void rejectsMalformedDocuments() {
        for (String bad : new String[] {"", "{", "[1,", "{\"a\" 1}", "\"abc", "[1] x", "tru", "{1:2}", "\"\\q\"", "\"\\u12\"", "[--1]"}) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }
}
