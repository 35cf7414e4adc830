package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedSecretsTest {
    private static final Duration PERIOD = Duration.ofMinutes(5);
    private static final long T = 1_800_000_000_000L;

    private static byte[] master(int seed) {
        byte[] m = new byte[32];
        Arrays.fill(m, (byte) seed);
        return m;
    }

    @Test
    void nodesWithTheSameMasterKeyAgreeOnEveryKey() {
        List<SharedSecret> a = SharedSecrets.derived(master(1), PERIOD).secrets(SecretPurpose.SESSION_TICKET, T);
        List<SharedSecret> b = SharedSecrets.derived(master(1), PERIOD).secrets(SecretPurpose.SESSION_TICKET, T);
        assertEquals(2, a.size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(a.get(i).name(), b.get(i).name());
            assertArrayEquals(a.get(i).key(), b.get(i).key());
        }
    }

    @Test
    void theCurrentKeyBecomesThePreviousOneAfterAPeriod() {
        SharedSecrets s = SharedSecrets.derived(master(1), PERIOD);
        List<SharedSecret> now = s.secrets(SecretPurpose.COOKIE, T);
        List<SharedSecret> later = s.secrets(SecretPurpose.COOKIE, T + PERIOD.toMillis());
        assertArrayEquals(now.get(0).key(), later.get(1).key());
        assertFalse(Arrays.equals(now.get(0).key(), later.get(0).key()));
    }

    @Test
    void purposesAndMasterKeysGiveDifferentKeys() {
        SharedSecrets s = SharedSecrets.derived(master(1), PERIOD);
        assertFalse(Arrays.equals(s.secrets(SecretPurpose.COOKIE, T).get(0).key(),
                s.secrets(SecretPurpose.SESSION_TICKET, T).get(0).key()));
        assertFalse(Arrays.equals(s.secrets(SecretPurpose.COOKIE, T).get(0).key(),
                SharedSecrets.derived(master(2), PERIOD).secrets(SecretPurpose.COOKIE, T).get(0).key()));
    }

    @Test
    void shortMasterKeysAndToStringAreGuarded() {
        assertThrows(IllegalArgumentException.class, () -> SharedSecrets.derived(new byte[31], PERIOD));
        SharedSecret k = SharedSecrets.random(PERIOD).secrets(SecretPurpose.COOKIE, T).get(0);
        assertFalse(k.toString().contains(org.dtls4j.wire.Hex.encode(k.key())));
    }
}
