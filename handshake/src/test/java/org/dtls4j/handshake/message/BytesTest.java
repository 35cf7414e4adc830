package org.dtls4j.handshake.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BytesTest {
    @Test
    void copiesOnTheWayInAndOut() {
        byte[] source = {1, 2, 3};
        Bytes b = Bytes.of(source);
        source[0] = 9;
        assertEquals("010203", b.hex());
        b.toByteArray()[1] = 9;
        assertEquals("010203", b.hex());
    }

    @Test
    void comparesByContent() {
        assertEquals(Bytes.fromHex("0102"), Bytes.fromHex("0102"));
        assertEquals(Bytes.fromHex("0102").hashCode(), Bytes.fromHex("0102").hashCode());
        assertNotEquals(Bytes.fromHex("0102"), Bytes.fromHex("010200"));
        assertEquals(new Finished(Bytes.of(new byte[12])), new Finished(Bytes.of(new byte[12])));
    }

    @Test
    void constantTimeCompareMatchesContent() {
        assertTrue(Bytes.fromHex("0102").equalsConstantTime(new byte[] {1, 2}));
        assertFalse(Bytes.fromHex("0102").equalsConstantTime(new byte[] {1, 3}));
        assertFalse(Bytes.fromHex("0102").equalsConstantTime(new byte[] {1}));
    }

    @Test
    void toStringShortensLongValues() {
        assertEquals("0a0b", Bytes.fromHex("0a0b").toString());
        String s = Bytes.of(new byte[1000]).toString();
        assertEquals("00".repeat(32) + "...(1000 bytes)", s);
    }
}
