package org.dtls4j.interop.real;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code openssl} command-line process (s_server or s_client) for interop tests: its standard output
 * and error, merged, are collected line by line on a daemon thread so the test thread can poll them while
 * it drives its own sockets; its standard input takes lines to send. {@link #close()} always kills it.
 * Also writes PEM files and finds a free UDP port.
 */
final class OpenSslProcess implements AutoCloseable {
    private static final long EXIT_WAIT_SECONDS = 5;

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final OutputStream stdin;
    private final String command;
    private final int port;

    private OpenSslProcess(List<String> command, int port) throws IOException {
        this.command = String.join(" ", command);
        this.port = port;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::collect, "openssl-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Fails the calling test when {@code openssl} cannot run; it is a required tool of this module (.ci/run
     * installs it), so the tests never skip silently.
     */
    static String requireOpenSsl() {
        try (OpenSslProcess p = new OpenSslProcess(List.of("openssl", "version"), 0)) {
            boolean exited = p.process.waitFor(10, TimeUnit.SECONDS);
            p.awaitOutputEnd();
            if (!exited || p.process.exitValue() != 0) {
                throw new AssertionError("the OpenSSL interop tests need a working `openssl` command "
                        + "(apt-get install openssl; .ci/run installs it), but " + p.transcript());
            }
            return p.transcript().strip();
        } catch (IOException e) {
            throw new AssertionError("the OpenSSL interop tests need the `openssl` command on the PATH "
                    + "(apt-get install openssl; .ci/run installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts {@code openssl args...}. */
    static OpenSslProcess start(List<String> args) {
        return start(args, 0);
    }

    /** Starts {@code openssl args...} that listen on {@code port}, which {@link #port()} then reports. */
    static OpenSslProcess start(List<String> args, int port) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(args);
        try {
            return new OpenSslProcess(command, port);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command + " (is openssl installed?)", e);
        }
    }

    /** A UDP port on 127.0.0.1 that was free a moment ago (bound and released), for s_server to take. */
    static int freeUdpPort() {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code key} as a PEM PKCS#8 "PRIVATE KEY" file. */
    static Path writeKey(Path dir, String name, PrivateKey key) {
        return write(dir.resolve(name), pem("PRIVATE KEY", key.getEncoded()));
    }

    /** Writes the certificates, in order, as concatenated PEM "CERTIFICATE" blocks. */
    static Path writeCertificates(Path dir, String name, List<X509Certificate> certs) {
        StringBuilder sb = new StringBuilder();
        try {
            for (X509Certificate c : certs) {
                sb.append(pem("CERTIFICATE", c.getEncoded()));
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        return write(dir.resolve(name), sb.toString());
    }

    private static String pem(String label, byte[] der) {
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN " + label + "-----\n" + mime.encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void collect() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll(); // awaitLine
                }
            }
        } catch (IOException e) {
            synchronized (lines) {
                lines.add("[output read failed: " + e + "]");
            }
        } finally {
            synchronized (lines) {
                lines.add(null);
                lines.notifyAll();
            }
        }
    }

    private void awaitOutputEnd() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_WAIT_SECONDS);
        synchronized (lines) {
            while (!lines.contains(null) && deadline - System.nanoTime() > 0) {
                lines.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
    }

    /** True once some output line so far matches. */
    boolean hasLine(Predicate<String> matches) {
        synchronized (lines) {
            for (String l : lines) {
                if (l != null && matches.test(l)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Waits until an output line matches, the process's output ends, or {@code timeout} passes; woken by the
     * reader thread at each line, so no polling.
     *
     * @return whether a line matched
     */
    boolean awaitLine(Predicate<String> matches, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                if (hasLine(matches)) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (lines.contains(null) || left <= 0) {
                    return false;
                }
                try {
                    lines.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** True once a whole output line so far equals {@code line}. */
    boolean hasLine(String line) {
        return hasLine(line::equals);
    }

    /** The first output line starting with {@code prefix}, without the prefix, or null. */
    String valueAfter(String prefix) {
        synchronized (lines) {
            for (String l : lines) {
                if (l != null && l.startsWith(prefix)) {
                    return l.substring(prefix.length());
                }
            }
            return null;
        }
    }

    /** Types one line (with its newline) on the process's standard input. */
    void type(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("openssl's stdin: " + transcript(), e);
        }
    }

    /** The UDP port the process listens on, or 0 for a client. */
    int port() {
        return port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** The command and everything it printed so far, for failure messages. */
    String transcript() {
        synchronized (lines) {
            StringBuilder sb = new StringBuilder(command).append('\n');
            for (String l : lines) {
                if (l != null) {
                    sb.append("  | ").append(l).append('\n');
                }
            }
            return sb.toString();
        }
    }

    /** Ends the process (destroy also closes its pipes): a polite destroy, then a forcible one, each wait bounded. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
