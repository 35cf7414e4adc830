package org.dtls4j.handshake.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;
import org.junit.jupiter.api.Test;

/**
 * use_srtp's bounds (RFC 5764 §4.1.1): the profile list is 2..2^16-1 bytes of 2-byte codes (so even, at
 * least one profile, at most 32767), the MKI 0..255 bytes; both at their edges, and any input either
 * decodes to what re-encodes to it or fails with decode_error.
 */
class UseSrtpTest {
    private static byte[] encode(UseSrtp u) {
        Writer w = new Writer(64);
        u.encodeData(w);
        return w.toByteArray();
    }

    private static UseSrtp decode(byte[] data) throws DtlsException {
        return UseSrtp.decode(new Reader(data));
    }

    /** A use_srtp body with a profile-list length field of {@code listLength} and that many bytes. */
    private static byte[] body(int listLength, int mkiLength) {
        byte[] b = new byte[2 + listLength + 1 + mkiLength];
        b[0] = (byte) (listLength >>> 8);
        b[1] = (byte) listLength;
        b[2 + listLength] = (byte) mkiLength;
        return b;
    }

    private static void assertDecodeError(byte[] data) {
        DtlsException e = assertThrows(DtlsException.class, () -> decode(data));
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
    }

    @Test
    void profileListLengthIsBoundedAndEven() throws DtlsException {
        assertDecodeError(body(0, 0));
        assertDecodeError(body(1, 0));
        assertEquals(1, decode(body(2, 0)).profiles().size());
        assertDecodeError(body(3, 0));
        assertEquals(0x7fff, decode(body(0xfffe, 0)).profiles().size(), "the most profiles that fit");
        assertDecodeError(body(0xffff, 0));
    }

    @Test
    void mkiIsZeroTo255Bytes() throws DtlsException {
        for (int n : new int[] {0, 1, 254, 255}) {
            assertEquals(n, decode(body(2, n)).mki().length(), "MKI of " + n);
        }
        byte[] cut = body(2, 255);
        assertDecodeError(java.util.Arrays.copyOf(cut, cut.length - 1));
        byte[] trailing = java.util.Arrays.copyOf(body(2, 0), body(2, 0).length + 1);
        assertDecodeError(trailing);
        assertDecodeError(new byte[] {0, 2, 0, 1});
    }

    @Test
    void constructorRefusesWhatCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> new UseSrtp(List.of(), Bytes.EMPTY));
        assertThrows(IllegalArgumentException.class,
                () -> new UseSrtp(Collections.nCopies(0x8000, 1), Bytes.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new UseSrtp(List.of(0x10000), Bytes.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> new UseSrtp(List.of(1), Bytes.of(new byte[256])));
        assertEquals(0x7fff, new UseSrtp(Collections.nCopies(0x7fff, 1), Bytes.of(new byte[255])).profiles().size());
    }

    @Property(tries = 500)
    void roundTrips(@ForAll("profiles") List<Integer> profiles, @ForAll @Size(max = 255) byte[] mki)
            throws DtlsException {
        UseSrtp u = new UseSrtp(profiles, Bytes.of(mki));
        byte[] wire = encode(u);
        assertEquals(2 + 2 * profiles.size() + 1 + mki.length, wire.length);
        assertEquals(u, decode(wire));
    }

    @Property(tries = 2000)
    void anyInputDecodesToItsOwnEncodingOrFailsWithDecodeError(@ForAll @Size(max = 40) byte[] data) {
        try {
            assertArrayEquals(data, encode(decode(data)));
        } catch (DtlsException e) {
            assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        }
    }

    @Property(tries = 500)
    void everyTruncationOfAValidBodyIsADecodeError(@ForAll("profiles") List<Integer> profiles,
                                                   @ForAll @Size(max = 8) byte[] mki,
                                                   @ForAll @IntRange(min = 0, max = 1000) int cutSeed) {
        byte[] wire = encode(new UseSrtp(profiles, Bytes.of(mki)));
        int cut = cutSeed % wire.length;
        assertDecodeError(java.util.Arrays.copyOf(wire, cut));
    }

    @Provide
    Arbitrary<List<Integer>> profiles() {
        return Arbitraries.integers().between(0, 0xffff).list().ofMinSize(1).ofMaxSize(20)
                .map(ArrayList::new);
    }
}
