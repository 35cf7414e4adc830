package org.dtls4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes seed inputs where Jazzer's {@code @FuzzTest} looks for them in regression mode:
 * {@code src/test/resources/<package>/<TestClass>Inputs/<method>/<name>}, relative to the module
 * directory (Surefire's working directory). Used by the seed-writing tests, which run only when the
 * {@code dtls4j.writeSeeds} system property is set.
 */
public final class FuzzSeeds {
    /** The system property that turns the seed-writing tests on. */
    public static final String PROPERTY = "dtls4j.writeSeeds";

    private FuzzSeeds() {
    }

    /** The seed directory of {@code method} of {@code testClass}. */
    public static Path directory(Class<?> testClass, String method) {
        Path dir = Path.of("src", "test", "resources");
        for (String part : testClass.getPackageName().split("\\.")) {
            dir = dir.resolve(part);
        }
        return dir.resolve(testClass.getSimpleName() + "Inputs").resolve(method);
    }

    /** Writes one seed file, replacing any of the same name. */
    public static void write(Class<?> testClass, String method, String name, byte[] input) {
        Path dir = directory(testClass, method);
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name), input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
