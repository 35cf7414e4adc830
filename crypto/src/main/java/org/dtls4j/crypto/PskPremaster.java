package org.dtls4j.crypto;

import java.util.Objects;

/**
 * Premaster secrets of the PSK suites. Both share one shape, {@code u16 len || other_secret || u16 len
 * || psk}: RFC 4279 §2 puts {@code len(psk)} zero bytes as other_secret; RFC 5489 §2 puts the ECDH
 * result there.
 */
public final class PskPremaster {
    /** RFC 4279 §5.3 lets identities and keys be up to 2^16 - 1 bytes. */
    public static final int MAX_PSK_LENGTH = 0xffff;

    private PskPremaster() {
    }

    /**
     * {@return RFC 4279 §2: {@code u16 N || N zero bytes || u16 N || psk}}
     *
     * @param psk the pre-shared key
     */
    public static byte[] psk(byte[] psk) {
        checkPsk(psk);
        return build(new byte[psk.length], psk);
    }

    /**
     * {@return RFC 5489 §2: {@code u16 len || ecdh_result || u16 N || psk}, with the result from {@link EcdheKeyPair}}
     *
     * @param ecdhResult the ECDH result
     * @param psk the pre-shared key
     */
    public static byte[] ecdhePsk(byte[] ecdhResult, byte[] psk) {
        checkPsk(psk);
        Objects.requireNonNull(ecdhResult, "ecdhResult");
        if (ecdhResult.length == 0 || ecdhResult.length > 0xffff) {
            throw new IllegalArgumentException("ECDH result of " + ecdhResult.length + " bytes");
        }
        return build(ecdhResult, psk);
    }

    private static void checkPsk(byte[] psk) {
        Objects.requireNonNull(psk, "psk");
        if (psk.length == 0 || psk.length > MAX_PSK_LENGTH) {
            throw new IllegalArgumentException("PSK must be 1.." + MAX_PSK_LENGTH + " bytes, got " + psk.length);
        }
    }

    private static byte[] build(byte[] other, byte[] psk) {
        byte[] out = new byte[4 + other.length + psk.length];
        int p = 0;
        out[p++] = (byte) (other.length >>> 8);
        out[p++] = (byte) other.length;
        System.arraycopy(other, 0, out, p, other.length);
        p += other.length;
        out[p++] = (byte) (psk.length >>> 8);
        out[p++] = (byte) psk.length;
        System.arraycopy(psk, 0, out, p, psk.length);
        return out;
    }
}
