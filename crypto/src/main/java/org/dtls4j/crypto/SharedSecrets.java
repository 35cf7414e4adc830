package org.dtls4j.crypto;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * The one place a server gets the secrets that several nodes behind one address must share: cookie
 * secrets (so any node verifies a cookie another made) and session-ticket keys (so any node resumes a
 * ticket another issued). The application supplies it; every node given an equal source agrees.
 *
 * <p>Rotation: {@link #secrets} answers for a wall-clock instant, so nodes with roughly synchronised clocks
 * agree on the current key without talking to each other. Two ways to share:
 * <ul>
 *   <li>{@link #derived(byte[], Duration)}: every node holds one master key; the key of each period (epoch
 *       = time / period) is derived from it by HMAC-SHA256, so rotation needs no coordination. Replacing the
 *       master key itself means deploying the new one to every node.</li>
 *   <li>Pushed keys: implement this interface over whatever the deployment already uses (a file, a KMS,
 *       a config service) and return the current key first and the previous one(s) after.</li>
 * </ul>
 * {@link #random(Duration)} is the single-node default: derived keys from a random master key that never
 * leaves the process.
 *
 * <p>Implementations must be thread-safe; a server calls them from its I/O thread.
 */
public interface SharedSecrets {
    /**
     * The secrets for {@code purpose} at {@code epochMillis} (wall-clock milliseconds since 1970): the
     * current one first (used to make new cookies and tickets), then the older ones still accepted. Never
     * empty. Callers may keep the answer until the current key's period ends.
     */
    List<SharedSecret> secrets(SecretPurpose purpose, long epochMillis);

    /** How long a key stays current; a key is accepted for one more period after that. */
    Duration rotationPeriod();

    /**
     * Keys derived from {@code masterKey} (at least 32 bytes, copied) for each {@code period}: every node
     * given the same master key and period agrees on every key.
     */
    static SharedSecrets derived(byte[] masterKey, Duration period) {
        return new DerivedSecrets(masterKey, period);
    }

    /** One node's secrets: derived from a random master key, rotated every {@code period}. */
    static SharedSecrets random(Duration period) {
        byte[] master = new byte[DerivedSecrets.MIN_MASTER_LENGTH];
        new SecureRandom().nextBytes(master);
        try {
            return new DerivedSecrets(master, period);
        } finally {
            java.util.Arrays.fill(master, (byte) 0);
        }
    }
}
