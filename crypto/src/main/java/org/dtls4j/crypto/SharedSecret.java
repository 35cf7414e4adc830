package org.dtls4j.crypto;

import java.util.Arrays;
import org.dtls4j.wire.Hex;

/**
 * One key of a {@link SharedSecrets} source: a public 16-byte name that says which key sealed something
 * (the key_name of an RFC 5077 §4 ticket), and the 32 secret key bytes. Never printed.
 */
public final class SharedSecret {
    /** Length of {@link #name()}. */
    public static final int NAME_LENGTH = 16;
    /** Length of {@link #key()}. */
    public static final int KEY_LENGTH = 32;

    private final byte[] name;
    private final byte[] key;

    /** A secret from its name ({@value #NAME_LENGTH} bytes) and key ({@value #KEY_LENGTH} bytes), both copied. */
    public SharedSecret(byte[] name, byte[] key) {
        if (name.length != NAME_LENGTH || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a shared secret has a " + NAME_LENGTH + "-byte name and a "
                    + KEY_LENGTH + "-byte key");
        }
        this.name = name.clone();
        this.key = key.clone();
    }

    /** The key's public name (a copy). */
    public byte[] name() {
        return name.clone();
    }

    /** The key bytes (a copy); the caller wipes its copy when done. */
    public byte[] key() {
        return key.clone();
    }

    /** True when {@code candidate} is this key's name; constant time. */
    public boolean hasName(byte[] candidate) {
        return java.security.MessageDigest.isEqual(name, candidate);
    }

    /** Wipes the key bytes of this object. */
    public void destroy() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "SharedSecret[name=" + Hex.encode(name) + "]";
    }
}
