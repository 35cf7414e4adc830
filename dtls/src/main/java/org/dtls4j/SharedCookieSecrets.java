package org.dtls4j;

import java.util.Arrays;
import java.util.List;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.SecretPurpose;
import org.dtls4j.crypto.SharedSecret;
import org.dtls4j.crypto.SharedSecrets;

/**
 * Keeps a {@link CookieVerifier} on the {@link SecretPurpose#COOKIE} keys of a {@link SharedSecrets} source,
 * so every node given the same source verifies the others' cookies. The verifier itself keeps no clock of
 * the wall: the server calls {@link #refresh} from its loop and a new current key is installed with
 * {@link CookieVerifier#rotate(byte[])}, which keeps the one before it valid, as the source does.
 */
final class SharedCookieSecrets {
    private final SharedSecrets secrets;
    private byte[] currentName;
    /** The wall-clock millisecond of the last look at the source: asked at most once per millisecond. */
    private long checkedMillis = Long.MIN_VALUE;

    SharedCookieSecrets(SharedSecrets secrets) {
        this.secrets = secrets;
    }

    /** A verifier holding the source's current and previous cookie keys at {@code epochMillis}. */
    CookieVerifier newVerifier(long epochMillis) {
        List<SharedSecret> keys = secrets.secrets(SecretPurpose.COOKIE, epochMillis);
        byte[] current = keys.get(0).key();
        byte[] previous = keys.size() > 1 ? keys.get(1).key() : null;
        try {
            currentName = keys.get(0).name();
            checkedMillis = epochMillis;
            return CookieVerifier.builder().secrets(current, previous).build();
        } finally {
            Arrays.fill(current, (byte) 0);
            if (previous != null) {
                Arrays.fill(previous, (byte) 0);
            }
        }
    }

    /**
     * Installs the source's current key in {@code verifier} when it changed since the last call; cheap otherwise.
     * The server calls this on every turn of each worker's loop, so within one millisecond it does not ask the
     * source again: a source such as {@link SharedSecrets#derived} answers under a lock every worker shares.
     */
    void refresh(CookieVerifier verifier, long epochMillis) {
        if (epochMillis == checkedMillis) {
            return;
        }
        checkedMillis = epochMillis;
        SharedSecret current = secrets.secrets(SecretPurpose.COOKIE, epochMillis).get(0);
        if (current.hasName(currentName)) {
            return;
        }
        byte[] key = current.key();
        try {
            verifier.rotate(key);
            currentName = current.name();
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
