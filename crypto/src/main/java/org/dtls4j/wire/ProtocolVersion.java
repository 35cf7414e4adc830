package org.dtls4j.wire;

/**
 * A record or handshake version as two wire bytes. DTLS counts down: DTLS 1.0 is {254,255} and
 * DTLS 1.2 is {254,253}, so "newer" means numerically smaller.
 *
 * @param major the first wire byte (254 for DTLS)
 * @param minor the second wire byte
 */
public record ProtocolVersion(int major, int minor) {
    /** DTLS 1.0 ({254,255}), seen only in first flights. */
    public static final ProtocolVersion DTLS_1_0 = new ProtocolVersion(254, 255);
    /** DTLS 1.2 ({254,253}). */
    public static final ProtocolVersion DTLS_1_2 = new ProtocolVersion(254, 253);

    /**
     * Checks that both parts fit in a byte.
     *
     * @param major the first wire byte
     * @param minor the second wire byte
     */
    public ProtocolVersion {
        if ((major & ~0xff) != 0 || (minor & ~0xff) != 0) {
            throw new IllegalArgumentException("version bytes out of range");
        }
    }

    /**
     * {@return the version from its 16-bit wire form}
     *
     * @param wire the two version bytes as one number
     */
    public static ProtocolVersion of(int wire) {
        if (wire == 0xfefd) {
            return DTLS_1_2;
        }
        if (wire == 0xfeff) {
            return DTLS_1_0;
        }
        return new ProtocolVersion(wire >>> 8 & 0xff, wire & 0xff);
    }

    /** {@return the two version bytes as one number} */
    public int wire() {
        return major << 8 | minor;
    }

    /** {@return true for the DTLS versions this stack reads records of: 1.0 (first flights only) and 1.2} */
    public boolean isDtls() {
        return major == 254 && (minor == 255 || minor == 253);
    }

    @Override
    public String toString() {
        if (equals(DTLS_1_2)) {
            return "DTLSv1.2";
        }
        if (equals(DTLS_1_0)) {
            return "DTLSv1.0";
        }
        return "{" + major + "," + minor + "}";
    }
}
