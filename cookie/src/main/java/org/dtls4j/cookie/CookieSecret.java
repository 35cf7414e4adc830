package org.dtls4j.cookie;

import java.util.Arrays;

import javax.crypto.SecretKey;

/**
 * One cookie secret as a JCA key that can really be wiped: unlike {@code SecretKeySpec}, whose
 * {@code destroy()} is not implemented, this one zeroes its bytes when the secret retires. The JDK's
 * HMAC copies the key into its own pads on {@code init} and wipes the copy it got from
 * {@link #getEncoded()}.
 */
final class CookieSecret implements SecretKey {
    private static final long serialVersionUID = 1L;

    private final String algorithm;
    private final byte[] key;
    private boolean destroyed;

    CookieSecret(String algorithm, byte[] key) {
        this.algorithm = algorithm;
        this.key = key.clone();
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("cookie secret already destroyed");
        }
        return key.clone();
    }

    @Override
    public void destroy() {
        Arrays.fill(key, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "CookieSecret[" + algorithm + ", " + key.length + " bytes]";
    }
}
