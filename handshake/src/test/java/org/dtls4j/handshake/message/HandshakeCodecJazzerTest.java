package org.dtls4j.handshake.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.dtls4j.testkit.FuzzInput;
import org.dtls4j.testkit.FuzzSeeds;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Jazzer target for every handshake message and extension decoder (docs/fuzzing.md). Input: byte 0
 * picks the decoder ({@link #CODECS}, by name order, modulo their number), the rest is the body. A body
 * either fails with {@link DtlsException} only, or decodes to a value that encodes back to exactly the
 * input and decodes again to an equal value; a decoded hello's extensions are then read through every
 * typed view, which may fail only with {@link DtlsException} too.
 */
class HandshakeCodecJazzerTest {
    static final List<String> CODECS = WireCodec.ALL.keySet().stream().sorted().toList();

    @FuzzTest(maxDuration = "5m")
    void decodeMessagesAndExtensions(byte[] data) throws DtlsException {
        FuzzInput in = new FuzzInput(data);
        WireCodec codec = WireCodec.ALL.get(CODECS.get(in.u8() % CODECS.size()));
        byte[] body = in.rest();
        Object decoded;
        try {
            decoded = codec.decode(body);
        } catch (DtlsException refused) {
            return;
        }
        byte[] encoded = codec.encode(decoded);
        assertArrayEquals(body, encoded, () -> codec.name() + " decoded a non-canonical encoding");
        Object again = codec.decode(encoded);
        assertEquals(decoded, again);
        assertEquals(decoded.hashCode(), again.hashCode());
        extensionsOf(decoded).ifPresent(HandshakeCodecJazzerTest::readEveryTypedView);
    }

    private static Optional<Extensions> extensionsOf(Object decoded) {
        if (decoded instanceof ClientHello ch) {
            return ch.extensions();
        }
        if (decoded instanceof ServerHello sh) {
            return sh.extensions();
        }
        return decoded instanceof Extensions e ? Optional.of(e) : Optional.empty();
    }

    /** What the state machines do with a hello's extensions: each typed view decodes or refuses cleanly. */
    private static void readEveryTypedView(Extensions e) {
        List<Extensions.Decoder<?>> views = List.of(r -> e.serverName(), r -> e.maxFragmentLength(),
                r -> e.supportedGroups(), r -> e.ecPointFormats(), r -> e.signatureAlgorithms(), r -> e.useSrtp(),
                r -> e.applicationProtocols(), r -> e.extendedMasterSecret(), r -> e.recordSizeLimit(),
                r -> e.sessionTicket(), r -> e.connectionId(), r -> e.renegotiationInfo());
        for (Extensions.Decoder<?> view : views) {
            try {
                Object value = view.decode(null);
                assertTrue(value instanceof Optional<?>);
                ((Optional<?>) value).ifPresent(v -> assertRoundTrips((ExtensionData) v, e));
            } catch (DtlsException refused) {
                // A malformed known extension: the owner sends the alert.
            }
        }
    }

    private static void assertRoundTrips(ExtensionData value, Extensions block) {
        Extension raw = block.get(value.type()).orElseThrow();
        assertEquals(raw.data(), value.toExtension().data(), () -> value.type() + " view is not canonical");
    }

    /** The seed directory holds one seed per codec corpus file (see corpus/README.md). */
    @Test
    void everyCodecHasASeed() throws IOException, URISyntaxException {
        Path dir = Path.of(Objects.requireNonNull(
                getClass().getResource("HandshakeCodecJazzerTestInputs/decodeMessagesAndExtensions")).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<Integer> selectors = files.map(f -> read(f)[0] & 0xff).distinct().toList();
            assertTrue(selectors.size() >= CODECS.size(), "codecs with a seed: " + selectors.size());
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = FuzzSeeds.PROPERTY, matches = ".+")
    void writeSeeds() throws IOException, URISyntaxException {
        Path corpus = Path.of(Objects.requireNonNull(getClass().getResource("/corpus")).toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus)) {
            files = walk.filter(p -> p.toString().endsWith(".hex")).sorted().toList();
        }
        for (Path f : files) {
            String codec = f.getParent().getFileName().toString();
            byte[] body = CorpusTest.readHex(f);
            write(codec, f.getFileName().toString().replace(".hex", ""), body);
        }
        for (String codec : CODECS) {
            Object value = sample(codec);
            if (value != null) {
                write(codec, "sample", WireCodec.ALL.get(codec).encode(value));
            }
        }
    }

    /** A generated value for {@code codec}, drawn from {@link Gen} until one fits it. */
    private static Object sample(String codec) {
        for (int i = 0; i < 2000; i++) {
            Object v = switch (i % 3) {
                case 0 -> Gen.message().sample();
                case 1 -> Gen.extensionData().sample();
                default -> Gen.extensions().sample();
            };
            if (WireCodec.of(v).name().equals(codec)) {
                return v;
            }
        }
        return null;
    }

    private static void write(String codec, String name, byte[] body) {
        byte[] seed = new byte[body.length + 1];
        seed[0] = (byte) CODECS.indexOf(codec);
        System.arraycopy(body, 0, seed, 1, body.length);
        FuzzSeeds.write(HandshakeCodecJazzerTest.class, "decodeMessagesAndExtensions", codec + "__" + name, seed);
    }
}
