package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.tls.CipherSuite;
import org.junit.jupiter.api.Test;

class CipherSuiteTest {
    /** Codes as Bouncy Castle's registry constants spell them, an independent copy of the IANA table. */
    private static final Map<String, Integer> BC_CODES = Map.ofEntries(
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_CCM", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
            Map.entry("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384),
            Map.entry("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256),
            Map.entry("TLS_PSK_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256),
            Map.entry("TLS_PSK_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_PSK_WITH_AES_256_GCM_SHA384),
            Map.entry("TLS_PSK_WITH_AES_128_CCM", CipherSuite.TLS_PSK_WITH_AES_128_CCM),
            Map.entry("TLS_PSK_WITH_AES_128_CCM_8", CipherSuite.TLS_PSK_WITH_AES_128_CCM_8),
            Map.entry("TLS_PSK_WITH_CHACHA20_POLY1305_SHA256", CipherSuite.TLS_PSK_WITH_CHACHA20_POLY1305_SHA256),
            Map.entry("TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256),
            Map.entry("TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384),
            Map.entry("TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256", CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256),
            Map.entry("TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256", CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256),
            Map.entry("TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384),
            Map.entry("TLS_PSK_WITH_AES_128_CBC_SHA", CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA),
            Map.entry("TLS_PSK_WITH_AES_256_CBC_SHA", CipherSuite.TLS_PSK_WITH_AES_256_CBC_SHA),
            Map.entry("TLS_PSK_WITH_AES_128_CBC_SHA256", CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256),
            Map.entry("TLS_PSK_WITH_AES_256_CBC_SHA384", CipherSuite.TLS_PSK_WITH_AES_256_CBC_SHA384),
            Map.entry("TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA),
            Map.entry("TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", CipherSuite.TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA),
            Map.entry("TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256),
            Map.entry("TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", CipherSuite.TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384),
            Map.entry("TLS_EMPTY_RENEGOTIATION_INFO_SCSV", CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV),
            Map.entry("TLS_FALLBACK_SCSV", CipherSuite.TLS_FALLBACK_SCSV));

    @Test
    void everyRegisteredCodeMatchesIanaAsBouncyCastleHasIt() {
        for (org.dtls4j.crypto.CipherSuite s : org.dtls4j.crypto.CipherSuite.negotiable()) {
            assertEquals(BC_CODES.get(s.name()), s.code(), s.name());
        }
        assertEquals(34, org.dtls4j.crypto.CipherSuite.negotiable().size());
        assertEquals(BC_CODES.size(), org.dtls4j.crypto.CipherSuite.negotiable().size() + 2);
        for (Map.Entry<String, Integer> e : BC_CODES.entrySet()) {
            org.dtls4j.crypto.CipherSuite s = org.dtls4j.crypto.CipherSuite.of(e.getValue());
            assertEquals(e.getKey(), s.name());
            assertSame(s, org.dtls4j.crypto.CipherSuite.byName(e.getKey()).orElseThrow());
        }
    }

    @Test
    void nameDeterminesKeyExchangeAeadAndPrf() {
        for (org.dtls4j.crypto.CipherSuite s : org.dtls4j.crypto.CipherSuite.negotiable()) {
            String n = s.name();
            String kx = n.substring(4, n.indexOf("_WITH_"));
            assertEquals(kx, s.keyExchange().name(), n);
            assertEquals(n.contains("SHA384") ? PrfHash.SHA384 : PrfHash.SHA256, s.prf(), n);
            assertTrue(s.isKnown() && s.isNegotiable());
            assertEquals(n.contains("_CBC_"), s.isCbc(), n);
            if (s.isCbc()) {
                assertThrows(IllegalStateException.class, s::aead);
                continue;
            }
            AeadAlgorithm expected = n.contains("AES_128_GCM") ? AeadAlgorithm.AES_128_GCM
                    : n.contains("AES_256_GCM") ? AeadAlgorithm.AES_256_GCM
                    : n.contains("AES_128_CCM_8") ? AeadAlgorithm.AES_128_CCM_8
                    : n.contains("AES_128_CCM") ? AeadAlgorithm.AES_128_CCM
                    : AeadAlgorithm.CHACHA20_POLY1305;
            assertEquals(expected, s.aead(), n);
            assertEquals(2 * (s.aead().keyLength() + s.aead().fixedIvLength()), s.keyBlockLength());
        }
    }

    /** RFC 5246 §6.3 sizes of the CBC suites: MAC keys, write keys, no implicit IV; the MAC names the PRF. */
    @Test
    void cbcSuitesTakeTheirSizesFromCipherAndMac() {
        for (org.dtls4j.crypto.CipherSuite s : org.dtls4j.crypto.CipherSuite.negotiable()) {
            if (!s.isCbc()) {
                continue;
            }
            String n = s.name();
            MacAlgorithm mac = n.endsWith("SHA384") ? MacAlgorithm.HMAC_SHA384
                    : n.endsWith("SHA256") ? MacAlgorithm.HMAC_SHA256 : MacAlgorithm.HMAC_SHA1;
            assertEquals(mac, s.mac(), n);
            assertEquals(n.contains("AES_256") ? 32 : 16, s.keyLength(), n);
            assertEquals(0, s.fixedIvLength(), n);
            assertEquals(mac.length(), s.macKeyLength(), n);
            assertEquals(2 * (mac.length() + s.keyLength()), s.keyBlockLength(), n);
        }
        assertEquals(2 * (32 + 16), org.dtls4j.crypto.CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256.keyBlockLength());
        assertEquals(2 * (20 + 32), org.dtls4j.crypto.CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA.keyBlockLength());
        assertEquals(PrfHash.SHA256, org.dtls4j.crypto.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA.prf());
        assertEquals(0, org.dtls4j.crypto.CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256.macKeyLength());
    }

    @Test
    void sizesFollowTheAead() {
        org.dtls4j.crypto.CipherSuite ccm8 = org.dtls4j.crypto.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8;
        assertEquals(16, ccm8.keyLength());
        assertEquals(4, ccm8.fixedIvLength());
        assertEquals(8, ccm8.tagLength());
        assertEquals(40, ccm8.keyBlockLength());
        org.dtls4j.crypto.CipherSuite chacha = org.dtls4j.crypto.CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256;
        assertEquals(32, chacha.keyLength());
        assertEquals(12, chacha.fixedIvLength());
        assertEquals(88, chacha.keyBlockLength());
    }

    @Test
    void signallingValuesAreKnownButNotNegotiable() {
        org.dtls4j.crypto.CipherSuite scsv = org.dtls4j.crypto.CipherSuite.of(0x00FF);
        assertSame(org.dtls4j.crypto.CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV, scsv);
        assertTrue(scsv.isKnown());
        assertFalse(scsv.isNegotiable());
        assertThrows(IllegalStateException.class, scsv::aead);
        assertFalse(org.dtls4j.crypto.CipherSuite.defaultPreference().contains(scsv));
    }

    @Test
    void defaultPreferenceIsAPermutationOfTheNegotiableSuitesAeadFirstThenForwardSecrecy() {
        var pref = org.dtls4j.crypto.CipherSuite.defaultPreference();
        assertEquals(new HashSet<>(org.dtls4j.crypto.CipherSuite.negotiable()), new HashSet<>(pref));
        assertEquals(pref.size(), new HashSet<>(pref).size());
        int firstCbc = pref.indexOf(org.dtls4j.crypto.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256);
        int firstPlainPsk = pref.indexOf(org.dtls4j.crypto.CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256);
        for (int i = 0; i < pref.size(); i++) {
            assertEquals(i >= firstCbc, pref.get(i).isCbc(), pref.get(i).name());
            if (i < firstCbc) {
                assertEquals(i >= firstPlainPsk, pref.get(i).keyExchange() == KeyExchange.PSK, pref.get(i).name());
            }
        }
    }

    @Test
    void unknownNameIsEmpty() {
        assertTrue(org.dtls4j.crypto.CipherSuite.byName("TLS_RSA_WITH_RC4_128_MD5").isEmpty());
        assertTrue(org.dtls4j.crypto.CipherSuite.byName("tls_ecdhe_ecdsa_with_aes_128_gcm_sha256").isEmpty());
    }

    @Property(tries = 500)
    void everyCodeRoundTripsAndNeverThrows(@ForAll @IntRange(min = 0, max = 0xffff) int code) {
        org.dtls4j.crypto.CipherSuite s = org.dtls4j.crypto.CipherSuite.of(code);
        assertEquals(code, s.code());
        assertEquals(s, org.dtls4j.crypto.CipherSuite.of(code));
        assertEquals(code, s.hashCode());
        Set<Integer> known = new HashSet<>(BC_CODES.values());
        assertEquals(known.contains(code), s.isKnown());
        if (!s.isKnown()) {
            assertEquals(String.format("unknown(0x%04X)", code), s.toString());
            assertFalse(s.isNegotiable());
        }
    }
}
