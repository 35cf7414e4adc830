package org.dtls4j;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/**
 * Appends NSS key log lines ({@code CLIENT_RANDOM <client random hex> <master secret hex>}) to a file, so
 * Wireshark or tshark can decrypt a capture (the format of NSS's {@code SSLKEYLOGFILE}). Pass it to
 * {@link DtlsConfig.Builder#keyLog}. Every line exposes a session's keys: for debugging only, never in
 * production. A new file is created readable by its owner only (where the file system has POSIX
 * permissions). Thread-safe: each line is written and flushed whole.
 */
public final class KeyLogWriter implements Consumer<String>, Closeable {
    /** The environment variable browsers, curl and OpenSSL-based tools read. */
    public static final String ENVIRONMENT_VARIABLE = "SSLKEYLOGFILE";

    private final Path path;
    private final Writer out;
    private boolean failed;

    private KeyLogWriter(Path path) throws IOException {
        this.path = path;
        if (!Files.exists(path) && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        this.out = Files.newBufferedWriter(path, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * A writer appending to {@code path} (created, owner-readable only, when missing).
     *
     * @param path the key log file
     * @return the writer; close it when done
     * @throws IOException when the file cannot be created or opened for appending
     */
    public static KeyLogWriter open(Path path) throws IOException {
        return new KeyLogWriter(path);
    }

    /**
     * A writer for the file named by {@code SSLKEYLOGFILE}.
     *
     * @return the writer, or null when the variable is unset or blank
     * @throws UncheckedIOException when the file cannot be opened
     */
    public static KeyLogWriter fromEnvironment() {
        String name = System.getenv(ENVIRONMENT_VARIABLE);
        if (name == null || name.isBlank()) {
            return null;
        }
        try {
            return open(Path.of(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + ENVIRONMENT_VARIABLE + "=" + name, e);
        }
    }

    /** Appends one line and flushes it. A write error is reported once on the system logger, not thrown. */
    @Override
    public synchronized void accept(String line) {
        try {
            out.write(line);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            if (!failed) {
                failed = true;
                System.getLogger(KeyLogWriter.class.getName())
                        .log(System.Logger.Level.WARNING, "cannot append to key log " + path, e);
            }
        }
    }

    /** {@return the file the lines go to} */
    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    @Override
    public String toString() {
        return "KeyLogWriter[" + path + "]";
    }
}
