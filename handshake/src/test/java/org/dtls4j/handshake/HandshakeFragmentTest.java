package org.dtls4j.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Hex;
import org.dtls4j.wire.Writer;
import org.junit.jupiter.api.Test;

class HandshakeFragmentTest {

    @Test
    void encodesTheTwelveByteHeaderOfRfc6347() {
        HandshakeFragment f = new HandshakeFragment(HandshakeType.CLIENT_HELLO, 0x010203, 0x0405, 0x000010,
                new byte[] {(byte) 0xAA, (byte) 0xBB});
        assertEquals("01" + "010203" + "0405" + "000010" + "000002" + "aabb", Hex.encode(f.encode()).toLowerCase());
    }

    @Test
    void decodesEveryFragmentOfARecordHoldingSeveral() throws DtlsException {
        Writer w = new Writer();
        HandshakeFragment a = HandshakeFragment.whole(HandshakeType.SERVER_HELLO, 1, new byte[] {1, 2, 3});
        HandshakeFragment b = HandshakeFragment.whole(HandshakeType.SERVER_HELLO_DONE, 2, new byte[0]);
        HandshakeFragment c = new HandshakeFragment(HandshakeType.CERTIFICATE, 10, 3, 4, new byte[] {9, 9});
        a.encode(w);
        b.encode(w);
        c.encode(w);
        byte[] payload = w.toByteArray();
        assertEquals(List.of(a, b, c), HandshakeFragment.decodeAll(payload, 0, payload.length));
    }

    @Test
    void rejectsFragmentReachingBeyondItsMessageLength() {
        byte[] bad = Hex.decode("01" + "000004" + "0000" + "000003" + "000002" + "0102");
        DtlsException e = assertThrows(DtlsException.class, () -> HandshakeFragment.decodeAll(bad, 0, bad.length));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
    }

    @Test
    void rejectsFragmentLengthLargerThanTheBytesPresent() {
        byte[] bad = Hex.decode("01" + "000010" + "0000" + "000000" + "000005" + "01020304");
        assertThrows(DtlsException.class, () -> HandshakeFragment.decodeAll(bad, 0, bad.length));
    }

    @Test
    void rejectsTrailingBytesShorterThanAHeader() {
        byte[] bad = Hex.decode("0e" + "000000" + "0000" + "000000" + "000000" + "0e00");
        assertThrows(DtlsException.class, () -> HandshakeFragment.decodeAll(bad, 0, bad.length));
    }

    @Test
    void rejectsEmptyHandshakeRecord() {
        assertThrows(DtlsException.class, () -> HandshakeFragment.decodeAll(new byte[0], 0, 0));
    }

    @Test
    void decodesMaximalLengthWithZeroLengthFragmentWithoutAllocatingTheMessage() throws DtlsException {
        // GnuTLS #1811: length 0xFFFFFF, offset 2, fragment_length 0 is structurally valid.
        byte[] p = Hex.decode("01" + "ffffff" + "0000" + "000002" + "000000");
        HandshakeFragment f = HandshakeFragment.decodeAll(p, 0, p.length).get(0);
        assertEquals(0xFFFFFF, f.length());
        assertEquals(0, f.fragmentLength());
    }

    @Test
    void constructorRefusesFragmentBeyondMessage() {
        assertThrows(IllegalArgumentException.class,
                () -> new HandshakeFragment(1, 3, 0, 2, new byte[] {1, 2}));
    }

    @Property(tries = 300)
    void roundTripsThroughEncodeAndDecode(@ForAll("fragments") HandshakeFragment f) throws DtlsException {
        byte[] wire = f.encode();
        List<HandshakeFragment> back = HandshakeFragment.decodeAll(wire, 0, wire.length);
        assertEquals(List.of(f), back);
        assertArrayEquals(wire, back.get(0).encode());
    }

    @Property(tries = 100)
    void rejectsEveryTruncation(@ForAll("fragments") HandshakeFragment f) {
        byte[] wire = f.encode();
        for (int cut = 1; cut < wire.length; cut++) {
            int len = cut;
            assertThrows(DtlsException.class, () -> HandshakeFragment.decodeAll(wire, 0, len));
        }
    }

    @Property(tries = 300)
    void randomBytesOnlyEverGiveTheDecodeError(@ForAll byte[] junk) {
        try {
            for (HandshakeFragment f : HandshakeFragment.decodeAll(junk, 0, junk.length)) {
                assertTrue(f.fragmentOffset() + f.fragmentLength() <= f.length());
            }
        } catch (DtlsException e) {
            assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        }
    }

    @Provide
    Arbitrary<HandshakeFragment> fragments() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 1000))
                .as((type, seq, body, offset, extra) ->
                        new HandshakeFragment(type, offset + body.length + extra, seq, offset, body));
    }
}
