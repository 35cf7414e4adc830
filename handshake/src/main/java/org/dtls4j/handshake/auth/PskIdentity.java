package org.dtls4j.handshake.auth;

import java.util.Arrays;
import java.util.Objects;

/** A client's pre-shared key and the identity it presents for it (RFC 4279). */
public final class PskIdentity {
    private final byte[] identity;
    private final byte[] key;

    /**
     * A client's PSK identity and key, both copied.
     *
     * @param identity the identity sent in ClientKeyExchange, 1 to 65535 bytes
     * @param key the key, 1 to 65535 bytes
     */
    public PskIdentity(byte[] identity, byte[] key) {
        this.identity = Objects.requireNonNull(identity, "identity").clone();
        this.key = Objects.requireNonNull(key, "key").clone();
        if (identity.length == 0 || identity.length > 0xffff || key.length == 0 || key.length > 0xffff) {
            throw new IllegalArgumentException("PSK identity and key must be 1..65535 bytes");
        }
    }

    /** {@return a copy of the identity} */
    public byte[] identity() {
        return identity.clone();
    }

    /** {@return a copy of the key} */
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        // The identity is public (it crosses the wire in clear); the key never appears here.
        return "PskIdentity[" + new String(identity, java.nio.charset.StandardCharsets.UTF_8) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PskIdentity p && Arrays.equals(identity, p.identity)
                && java.security.MessageDigest.isEqual(key, p.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(identity);
    }
}
