package org.dtls4j.testing;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.crypto.NamedGroup;

/**
 * What a {@link ScriptedPeer} offers and knows: one cipher suite (the peer offers or selects exactly
 * it), the PSK for PSK suites, the ECDHE group, whether to offer extended_master_secret, and how long
 * {@link ScriptedPeer#receive()} waits for the first datagram and then for quiet.
 *
 * @param suite the suite to offer (client) or select (server)
 * @param pskIdentity the PSK identity (PSK and ECDHE_PSK suites), else empty
 * @param psk the PSK (PSK and ECDHE_PSK suites), else empty
 * @param group the ECDHE group (ECDHE suites)
 * @param extendedMasterSecret whether the client offers, or the server accepts, RFC 7627
 * @param timeout how long a receive waits for the first datagram
 * @param settle how long a receive keeps reading after the last datagram
 */
public record PeerSettings(CipherSuite suite, byte[] pskIdentity, byte[] psk, NamedGroup group,
                           boolean extendedMasterSecret, Duration timeout, Duration settle) {
    /**
     * Checks the settings and copies the key material.
     *
     * @param suite the suite to offer (client) or select (server); one dtls4j can negotiate
     * @param pskIdentity the PSK identity, empty for suites without a PSK; not null
     * @param psk the PSK, empty for suites without a PSK; not null
     * @param group the ECDHE group, not null
     * @param extendedMasterSecret whether the client offers, or the server accepts, RFC 7627
     * @param timeout how long a receive waits for the first datagram, not null
     * @param settle how long a receive keeps reading after the last datagram, not null
     * @throws IllegalArgumentException when dtls4j cannot run {@code suite}
     */
    public PeerSettings {
        Objects.requireNonNull(suite, "suite");
        if (!suite.isNegotiable()) {
            throw new IllegalArgumentException(suite + " is not a suite dtls4j can run");
        }
        pskIdentity = pskIdentity.clone();
        psk = psk.clone();
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(settle, "settle");
    }

    /**
     * A PSK suite (TLS_PSK_WITH_AES_128_CCM_8 by default), EMS on, 1 s timeout, 100 ms settle.
     *
     * @param identity the PSK identity the client names (RFC 4279 §2), copied
     * @param key the pre-shared key, copied
     * @return the settings
     */
    public static PeerSettings psk(byte[] identity, byte[] key) {
        return new PeerSettings(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, identity, key, NamedGroup.SECP256R1, true,
                Duration.ofSeconds(1), Duration.ofMillis(100));
    }

    /**
     * TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 over secp256r1. The peer does not check the server's
     * certificate or signature: it is a test instrument, and checking would stop scripts that probe
     * what comes after.
     *
     * @return the settings, EMS on, 1 s timeout, 100 ms settle
     */
    public static PeerSettings ecdheEcdsa() {
        return new PeerSettings(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, new byte[0], new byte[0],
                NamedGroup.SECP256R1, true, Duration.ofSeconds(1), Duration.ofMillis(100));
    }

    /**
     * These settings with another suite of the same kind (a PSK suite keeps needing the PSK).
     *
     * @param s the suite to offer or select
     * @return a copy with the suite changed
     */
    public PeerSettings withSuite(CipherSuite s) {
        return new PeerSettings(s, pskIdentity, psk, group, extendedMasterSecret, timeout, settle);
    }

    /**
     * These settings with other receive waits.
     *
     * @param first how long a receive waits for the first datagram
     * @param quiet how long a receive keeps reading after the last datagram
     * @return a copy with the waits changed
     */
    public PeerSettings withTimeouts(Duration first, Duration quiet) {
        return new PeerSettings(suite, pskIdentity, psk, group, extendedMasterSecret, first, quiet);
    }

    /**
     * These settings with RFC 7627 offered (client) or accepted (server), or not.
     *
     * @param on whether to use the extended master secret
     * @return a copy with the flag changed
     */
    public PeerSettings withExtendedMasterSecret(boolean on) {
        return new PeerSettings(suite, pskIdentity, psk, group, on, timeout, settle);
    }

    /** {@return a copy of the PSK identity, empty for suites without a PSK} */
    @Override
    public byte[] pskIdentity() {
        return pskIdentity.clone();
    }

    /** {@return a copy of the PSK, empty for suites without a PSK} */
    @Override
    public byte[] psk() {
        return psk.clone();
    }

    KeyExchange keyExchange() {
        return suite.keyExchange();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerSettings p && p.suite.equals(suite) && Arrays.equals(p.pskIdentity, pskIdentity)
                && MessageDigest.isEqual(p.psk, psk) && p.group.equals(group)
                && p.extendedMasterSecret == extendedMasterSecret && p.timeout.equals(timeout) && p.settle.equals(settle);
    }

    @Override
    public int hashCode() {
        return Objects.hash(suite, group, extendedMasterSecret, timeout, settle);
    }

    /** Names the suite and group; never the PSK. */
    @Override
    public String toString() {
        return "PeerSettings[" + suite.name() + ", " + group.name() + ", ems=" + extendedMasterSecret + "]";
    }
}
