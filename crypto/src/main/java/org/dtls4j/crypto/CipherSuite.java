package org.dtls4j.crypto;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A TLS cipher suite as it travels in ClientHello and ServerHello: an open value over its 16-bit IANA
 * code, so unknown codes from a peer round-trip instead of failing. The suites dtls4j can negotiate
 * carry their registry data: key exchange, AEAD, PRF hash and the key/IV/tag sizes of the key block.
 *
 * <p>Codes checked against the IANA TLS Cipher Suites registry and the defining RFCs: RFC 5289
 * (ECDHE GCM), RFC 7251 (ECDHE_ECDSA CCM), RFC 7905 (ChaCha20-Poly1305), RFC 5487 (PSK GCM), RFC 6655
 * (PSK CCM), RFC 8442 (ECDHE_PSK AEAD), RFC 5746 (renegotiation SCSV) and RFC 7507 (fallback SCSV).
 * Every AEAD suite here uses the SHA-256 PRF unless its name ends in SHA384; the CCM suites of RFC 6655
 * and RFC 7251 name no hash and use SHA-256 (RFC 6655 §3, RFC 7251 §2).
 */
public final class CipherSuite {
    /** TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (RFC 5289). */
    public static final CipherSuite TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 =
            suite(0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", KeyExchange.ECDHE_ECDSA, AeadAlgorithm.AES_128_GCM, PrfHash.SHA256);
    /** TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (RFC 5289). */
    public static final CipherSuite TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 =
            suite(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", KeyExchange.ECDHE_ECDSA, AeadAlgorithm.AES_256_GCM, PrfHash.SHA384);
    /** TLS_ECDHE_ECDSA_WITH_AES_128_CCM (RFC 7251). */
    public static final CipherSuite TLS_ECDHE_ECDSA_WITH_AES_128_CCM =
            suite(0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", KeyExchange.ECDHE_ECDSA, AeadAlgorithm.AES_128_CCM, PrfHash.SHA256);
    /** TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 7251). */
    public static final CipherSuite TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 =
            suite(0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", KeyExchange.ECDHE_ECDSA, AeadAlgorithm.AES_128_CCM_8, PrfHash.SHA256);
    /** TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 (RFC 7905). */
    public static final CipherSuite TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 =
            suite(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", KeyExchange.ECDHE_ECDSA, AeadAlgorithm.CHACHA20_POLY1305, PrfHash.SHA256);

    /** TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (RFC 5289). */
    public static final CipherSuite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 =
            suite(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", KeyExchange.ECDHE_RSA, AeadAlgorithm.AES_128_GCM, PrfHash.SHA256);
    /** TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (RFC 5289). */
    public static final CipherSuite TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 =
            suite(0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", KeyExchange.ECDHE_RSA, AeadAlgorithm.AES_256_GCM, PrfHash.SHA384);
    /** TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 (RFC 7905). */
    public static final CipherSuite TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 =
            suite(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", KeyExchange.ECDHE_RSA, AeadAlgorithm.CHACHA20_POLY1305, PrfHash.SHA256);

    /** TLS_PSK_WITH_AES_128_GCM_SHA256 (RFC 5487). */
    public static final CipherSuite TLS_PSK_WITH_AES_128_GCM_SHA256 =
            suite(0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256", KeyExchange.PSK, AeadAlgorithm.AES_128_GCM, PrfHash.SHA256);
    /** TLS_PSK_WITH_AES_256_GCM_SHA384 (RFC 5487). */
    public static final CipherSuite TLS_PSK_WITH_AES_256_GCM_SHA384 =
            suite(0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384", KeyExchange.PSK, AeadAlgorithm.AES_256_GCM, PrfHash.SHA384);
    /** TLS_PSK_WITH_AES_128_CCM (RFC 6655). */
    public static final CipherSuite TLS_PSK_WITH_AES_128_CCM =
            suite(0xC0A4, "TLS_PSK_WITH_AES_128_CCM", KeyExchange.PSK, AeadAlgorithm.AES_128_CCM, PrfHash.SHA256);
    /** TLS_PSK_WITH_AES_128_CCM_8 (RFC 6655). */
    public static final CipherSuite TLS_PSK_WITH_AES_128_CCM_8 =
            suite(0xC0A8, "TLS_PSK_WITH_AES_128_CCM_8", KeyExchange.PSK, AeadAlgorithm.AES_128_CCM_8, PrfHash.SHA256);
    /** TLS_PSK_WITH_CHACHA20_POLY1305_SHA256 (RFC 7905). */
    public static final CipherSuite TLS_PSK_WITH_CHACHA20_POLY1305_SHA256 =
            suite(0xCCAB, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", KeyExchange.PSK, AeadAlgorithm.CHACHA20_POLY1305, PrfHash.SHA256);

    /** TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256 (RFC 8442). */
    public static final CipherSuite TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256 =
            suite(0xD001, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", KeyExchange.ECDHE_PSK, AeadAlgorithm.AES_128_GCM, PrfHash.SHA256);
    /** TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384 (RFC 8442). */
    public static final CipherSuite TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384 =
            suite(0xD002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384", KeyExchange.ECDHE_PSK, AeadAlgorithm.AES_256_GCM, PrfHash.SHA384);
    /** TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256 (RFC 8442). */
    public static final CipherSuite TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256 =
            suite(0xD003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256", KeyExchange.ECDHE_PSK, AeadAlgorithm.AES_128_CCM_8, PrfHash.SHA256);
    /** TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256 (RFC 8442). */
    public static final CipherSuite TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256 =
            suite(0xD005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256", KeyExchange.ECDHE_PSK, AeadAlgorithm.AES_128_CCM, PrfHash.SHA256);
    /** TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 (RFC 7905). */
    public static final CipherSuite TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 =
            suite(0xCCAC, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", KeyExchange.ECDHE_PSK, AeadAlgorithm.CHACHA20_POLY1305, PrfHash.SHA256);

    /** RFC 5746 §3.3: a client's signal of secure renegotiation support; never selected by a server. */
    public static final CipherSuite TLS_EMPTY_RENEGOTIATION_INFO_SCSV = signal(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
    /** RFC 7507 §2: a client's signal that it fell back to a lower version; never selected. */
    public static final CipherSuite TLS_FALLBACK_SCSV = signal(0x5600, "TLS_FALLBACK_SCSV");

    private static final List<CipherSuite> NEGOTIABLE = List.of(
            TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_ECDSA_WITH_AES_128_CCM, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
            TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            TLS_PSK_WITH_AES_128_GCM_SHA256, TLS_PSK_WITH_AES_256_GCM_SHA384, TLS_PSK_WITH_AES_128_CCM,
            TLS_PSK_WITH_AES_128_CCM_8, TLS_PSK_WITH_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256, TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256, TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256,
            TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256);

    /**
     * The order dtls4j prefers when nothing is configured: forward-secret suites first, AES-GCM (hardware
     * accelerated on most JVM hosts) before ChaCha20-Poly1305, CCM after both (constrained-device
     * profiles, RFC 7925, configure it explicitly), plain PSK last because it lacks forward secrecy.
     * The handshake keeps only the suites its credentials can serve.
     */
    private static final List<CipherSuite> DEFAULT_PREFERENCE = List.of(
            TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_ECDSA_WITH_AES_128_CCM, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
            TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256, TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256, TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256,
            TLS_PSK_WITH_AES_128_GCM_SHA256, TLS_PSK_WITH_AES_256_GCM_SHA384,
            TLS_PSK_WITH_CHACHA20_POLY1305_SHA256,
            TLS_PSK_WITH_AES_128_CCM, TLS_PSK_WITH_AES_128_CCM_8);

    private static final Map<Integer, CipherSuite> BY_CODE = new HashMap<>();
    private static final Map<String, CipherSuite> BY_NAME = new HashMap<>();

    static {
        for (CipherSuite s : NEGOTIABLE) {
            register(s);
        }
        register(TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
        register(TLS_FALLBACK_SCSV);
    }

    private final int code;
    private final String name;
    private final boolean known;
    private final KeyExchange keyExchange;
    private final AeadAlgorithm aead;
    private final PrfHash prf;

    private CipherSuite(int code, String name, boolean known, KeyExchange keyExchange, AeadAlgorithm aead, PrfHash prf) {
        this.code = code;
        this.name = name;
        this.known = known;
        this.keyExchange = keyExchange;
        this.aead = aead;
        this.prf = prf;
    }

    private static CipherSuite suite(int code, String name, KeyExchange kx, AeadAlgorithm aead, PrfHash prf) {
        return new CipherSuite(code, name, true, kx, aead, prf);
    }

    private static CipherSuite signal(int code, String name) {
        return new CipherSuite(code, name, true, null, null, null);
    }

    private static void register(CipherSuite s) {
        BY_CODE.put(s.code, s);
        BY_NAME.put(s.name, s);
    }

    /**
     * {@return the suite for a 16-bit wire code; unknown codes get a value of their own, never an error}
     *
     * @param code the 16-bit value from a ClientHello or ServerHello
     */
    public static CipherSuite of(int code) {
        int c = code & 0xffff;
        CipherSuite known = BY_CODE.get(c);
        return known != null ? known : new CipherSuite(c, String.format("unknown(0x%04X)", c), false, null, null, null);
    }

    /**
     * {@return the known suite (or signalling value) with this IANA name, e.g. for a command-line option}
     *
     * @param ianaName a name such as {@code TLS_PSK_WITH_AES_128_CCM_8}
     */
    public static Optional<CipherSuite> byName(String ianaName) {
        return Optional.ofNullable(BY_NAME.get(ianaName));
    }

    /** {@return every suite dtls4j can negotiate, in registry order} */
    public static List<CipherSuite> negotiable() {
        return NEGOTIABLE;
    }

    /** {@return dtls4j's default preference order (most preferred first)} */
    public static List<CipherSuite> defaultPreference() {
        return DEFAULT_PREFERENCE;
    }

    /** {@return the 16-bit wire code} */
    public int code() {
        return code;
    }

    /** {@return the IANA name, or {@code unknown(0xABCD)}} */
    public String name() {
        return name;
    }

    /** {@return true for suites and signalling values in this registry} */
    public boolean isKnown() {
        return known;
    }

    /** {@return true when a server may select this suite: known and not a signalling value} */
    public boolean isNegotiable() {
        return keyExchange != null;
    }

    /** {@return how the premaster secret is agreed and the server authenticated} */
    public KeyExchange keyExchange() {
        return requireNegotiable(keyExchange);
    }

    /** {@return the record protection} */
    public AeadAlgorithm aead() {
        return requireNegotiable(aead);
    }

    /** {@return the PRF hash, which also hashes the handshake transcript (RFC 5246 §7.4.9)} */
    public PrfHash prf() {
        return requireNegotiable(prf);
    }

    /** {@return bytes of each direction's write key} */
    public int keyLength() {
        return aead().keyLength();
    }

    /** {@return bytes of each direction's implicit IV taken from the key block} */
    public int fixedIvLength() {
        return aead().fixedIvLength();
    }

    /** {@return bytes of the authentication tag at the end of each record} */
    public int tagLength() {
        return aead().tagLength();
    }

    /** {@return RFC 5246 §6.3: two write keys and two IVs; AEAD suites have no MAC keys} */
    public int keyBlockLength() {
        return 2 * (keyLength() + fixedIvLength());
    }

    private <T> T requireNegotiable(T value) {
        if (value == null) {
            throw new IllegalStateException(name + " is not a negotiable cipher suite");
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CipherSuite other && other.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name;
    }
}
