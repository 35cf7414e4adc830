package org.dtls4j.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link SharedSecrets} derived from one master key: the key of period {@code e} for a purpose is
 * {@code HMAC-SHA256(master, "dtls4j " + label + " key" || e)} and its name the first 16 bytes of
 * {@code HMAC-SHA256(master, "dtls4j " + label + " name" || e)} (an HKDF-Expand-like PRF, RFC 5869 §2.3,
 * with one output block). The current and previous periods' keys are accepted, and the last answer per
 * purpose is kept so a steady stream of handshakes costs no derivation.
 */
final class DerivedSecrets implements SharedSecrets {
    static final int MIN_MASTER_LENGTH = 32;

    private final byte[] master;
    private final long periodMillis;
    private final Duration period;
    private final long[] cachedEpoch = new long[SecretPurpose.values().length];
    private final Object[] cached = new Object[SecretPurpose.values().length];

    DerivedSecrets(byte[] masterKey, Duration period) {
        if (masterKey.length < MIN_MASTER_LENGTH) {
            throw new IllegalArgumentException("master key shorter than " + MIN_MASTER_LENGTH + " bytes");
        }
        if (period.toMillis() < 1) {
            throw new IllegalArgumentException("rotation period must be at least 1 ms, got " + period);
        }
        this.master = masterKey.clone();
        this.period = period;
        this.periodMillis = period.toMillis();
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized List<SharedSecret> secrets(SecretPurpose purpose, long epochMillis) {
        long epoch = Math.floorDiv(epochMillis, periodMillis);
        int i = purpose.ordinal();
        if (cached[i] != null && cachedEpoch[i] == epoch) {
            return (List<SharedSecret>) cached[i];
        }
        List<SharedSecret> keys = List.of(derive(purpose, epoch), derive(purpose, epoch - 1));
        cached[i] = keys;
        cachedEpoch[i] = epoch;
        return keys;
    }

    @Override
    public Duration rotationPeriod() {
        return period;
    }

    private SharedSecret derive(SecretPurpose purpose, long epoch) {
        byte[] key = prf("dtls4j " + purpose.label() + " key", epoch);
        byte[] name = Arrays.copyOf(prf("dtls4j " + purpose.label() + " name", epoch), SharedSecret.NAME_LENGTH);
        try {
            return new SharedSecret(name, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private byte[] prf(String label, long epoch) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            for (int shift = 56; shift >= 0; shift -= 8) {
                mac.update((byte) (epoch >>> shift));
            }
            mac.update((byte) 1);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "SharedSecrets[derived, period " + period + "]";
    }
}
