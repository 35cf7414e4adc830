package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

class PskPremasterTest {
    @Test
    void pskPremasterIsZerosThenPskWithLengths() {
        // RFC 4279 §2: uint16 N, N zero octets, uint16 N, the PSK.
        assertEquals("0003" + "000000" + "0003" + "0a0b0c", Hex.encode(PskPremaster.psk(Hex.decode("0a0b0c"))));
    }

    @Test
    void ecdhePskPremasterPutsEcdhResultFirst() {
        // RFC 5489 §2: other_secret is the ECDH result, psk as in RFC 4279.
        assertEquals("0004" + "11223344" + "0002" + "abcd",
                Hex.encode(PskPremaster.ecdhePsk(Hex.decode("11223344"), Hex.decode("abcd"))));
    }

    @Test
    void lengthsAreBigEndianSixteenBit() {
        byte[] psk = new byte[300];
        byte[] pms = PskPremaster.psk(psk);
        assertEquals(4 + 600, pms.length);
        assertEquals(0x01, pms[0]);
        assertEquals(0x2c, pms[1]);
        assertEquals(0x01, pms[302]);
        assertEquals(0x2c, pms[303]);
    }

    @Test
    void refusesEmptyAndOversizedKeys() {
        assertThrows(IllegalArgumentException.class, () -> PskPremaster.psk(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> PskPremaster.psk(new byte[65536]));
        assertEquals(4 + 2 * 65535, PskPremaster.psk(new byte[65535]).length);
        assertThrows(IllegalArgumentException.class, () -> PskPremaster.ecdhePsk(new byte[0], new byte[16]));
    }
}
