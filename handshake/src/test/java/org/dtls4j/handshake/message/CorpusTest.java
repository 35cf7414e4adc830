package org.dtls4j.handshake.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every file of src/test/resources/corpus (format in its README.md). */
class CorpusTest {

    @TestFactory
    Stream<DynamicTest> everyCorpusFileDecodesAsItsNameSays() throws IOException, URISyntaxException {
        URL url = CorpusTest.class.getResource("/corpus");
        assertNotNull(url, "corpus directory on the test class path");
        Path root = Path.of(url.toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".hex")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "corpus has " + files.size() + " files");
        return files.stream().map(f -> DynamicTest.dynamicTest(root.relativize(f).toString(), () -> check(f)));
    }

    private static void check(Path file) throws IOException, DtlsException {
        String codecName = file.getParent().getFileName().toString();
        WireCodec codec = WireCodec.ALL.get(codecName);
        assertNotNull(codec, "no decoder named " + codecName);
        byte[] body = readHex(file);
        String expect = file.getFileName().toString().split("__", 2)[0];
        if (expect.equals("ok")) {
            Object decoded = codec.decode(body);
            assertArrayEquals(body, codec.encode(decoded));
        } else {
            DtlsException e = assertThrows(DtlsException.class, () -> codec.decode(body));
            assertEquals(expect, e.alert().name(), e.getMessage());
        }
    }

    /** A corpus file's bytes: hex, whitespace ignored, {@code #} starts a comment. */
    static byte[] readHex(Path file) throws IOException {
        StringBuilder hex = new StringBuilder();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            int hash = line.indexOf('#');
            hex.append((hash >= 0 ? line.substring(0, hash) : line).replaceAll("\\s", ""));
        }
        return HexFormat.of().parseHex(hex);
    }
}
