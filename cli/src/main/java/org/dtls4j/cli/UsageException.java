package org.dtls4j.cli;

/** A command line the command cannot run: the message says what is wrong; the exit code is 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
