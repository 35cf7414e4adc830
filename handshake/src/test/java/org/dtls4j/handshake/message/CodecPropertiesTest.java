package org.dtls4j.handshake.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/** Properties every decoder of the package must have, run over every message and extension. */
class CodecPropertiesTest {

    @Provide
    Arbitrary<Object> anyValue() {
        return Arbitraries.oneOf(Gen.message(), Gen.extensionData(), Gen.extensions());
    }

    @Provide
    Arbitrary<WireCodec> anyCodec() {
        return Arbitraries.of(WireCodec.all());
    }

    @Property(tries = 1500)
    void everyValueRoundTripsThroughItsEncoding(@ForAll("anyValue") Object value) throws DtlsException {
        WireCodec codec = WireCodec.of(value);
        byte[] encoded = codec.encode(value);
        Object decoded = codec.decode(encoded);
        assertEquals(value, decoded);
        assertEquals(value.hashCode(), decoded.hashCode());
        assertArrayEquals(encoded, codec.encode(decoded));
    }

    @Property(tries = 400)
    void everyTruncationIsADecodeError(@ForAll("anyValue") Object value) {
        if (WireCodec.hasNoFraming(value)) {
            return;
        }
        WireCodec codec = WireCodec.of(value);
        byte[] encoded = codec.encode(value);
        Optional<byte[]> validPrefix = WireCodec.validPrefix(value);
        for (int len = 0; len < encoded.length; len++) {
            byte[] prefix = Arrays.copyOf(encoded, len);
            if (validPrefix.isPresent() && Arrays.equals(prefix, validPrefix.get())) {
                continue; // a hello that stops before its extensions block is a hello without extensions
            }
            DtlsException e = assertThrows(DtlsException.class, () -> codec.decode(prefix),
                    () -> codec.name() + " accepted a " + prefix.length + "-byte prefix of " + encoded.length);
            assertEquals(AlertDescription.DECODE_ERROR, e.alert());
        }
    }

    @Property(tries = 600)
    void anyTrailingByteIsADecodeError(@ForAll("anyValue") Object value, @ForAll byte extra) {
        if (WireCodec.hasNoFraming(value)) {
            return;
        }
        WireCodec codec = WireCodec.of(value);
        byte[] encoded = codec.encode(value);
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
        longer[encoded.length] = extra;
        DtlsException e = assertThrows(DtlsException.class, () -> codec.decode(longer), codec::name);
        assertEquals(AlertDescription.DECODE_ERROR, e.alert());
    }

    /**
     * Changing one byte of a valid encoding (a length, a count, a code) either fails with the
     * package's checked exception or gives a value that encodes back to exactly the changed bytes:
     * there are no two encodings of one message and no unchecked failure.
     */
    @Property(tries = 3000)
    void aChangedByteFailsCleanlyOrDecodesCanonically(@ForAll("anyValue") Object value,
            @ForAll @IntRange(min = 0, max = 1 << 20) int where, @ForAll @IntRange(min = 1, max = 255) int delta) {
        WireCodec codec = WireCodec.of(value);
        byte[] bytes = codec.encode(value);
        if (bytes.length == 0) {
            return;
        }
        bytes[where % bytes.length] += (byte) delta;
        assertFailsCleanlyOrCanonical(codec, bytes);
    }

    @Property(tries = 4000)
    void randomBytesOnlyEverGiveDtlsException(@ForAll("anyCodec") WireCodec codec,
            @ForAll @Size(max = 300) byte[] bytes) {
        assertFailsCleanlyOrCanonical(codec, bytes);
    }

    @Provide
    Arbitrary<ClientHello> helloWithoutExtensions() {
        return Gen.clientHello().map(ch -> new ClientHello(ch.clientVersion(), ch.random(), ch.sessionId(),
                ch.cookie(), ch.cipherSuites(), ch.compressionMethods(), Optional.empty()));
    }

    /** Random extension blocks behind a valid hello reach deep into the extensions parser. */
    @Property(tries = 2000)
    void randomExtensionBlocksOnlyEverGiveDtlsException(@ForAll("helloWithoutExtensions") ClientHello hello,
            @ForAll @Size(max = 120) byte[] block) {
        byte[] head = hello.toByteArray();
        byte[] body = Arrays.copyOf(head, head.length + 2 + block.length);
        body[head.length] = (byte) (block.length >>> 8);
        body[head.length + 1] = (byte) block.length;
        System.arraycopy(block, 0, body, head.length + 2, block.length);
        assertFailsCleanlyOrCanonical(WireCodec.ALL.get("client_hello"), body);
    }

    private static void assertFailsCleanlyOrCanonical(WireCodec codec, byte[] bytes) {
        Object decoded;
        try {
            decoded = codec.decode(bytes);
        } catch (DtlsException expected) {
            return;
        }
        assertArrayEquals(bytes, codec.encode(decoded), () -> codec.name() + " decoded a non-canonical encoding");
    }
}
