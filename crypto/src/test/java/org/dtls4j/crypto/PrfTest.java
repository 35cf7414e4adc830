package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

class PrfTest {
    private static final BcTlsCrypto BC = new BcTlsCrypto();

    /** IETF TLS WG list, tls/current/msg03416 (also Californium's PseudoRandomFunctionTest). */
    @Test
    void matchesIetfSha256Vector() {
        byte[] out = Prf.compute(PrfHash.SHA256, Hex.decode("9bbe436ba940f017b17652849a71db35"), "test label",
                Hex.decode("a0ba9f936cda311827a6f796ffd5198c"), 100);
        assertEquals("e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af"
                + "0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66",
                Hex.encode(out));
    }

    /** mbedTLS tests/suites/test_suite_ssl.data, ssl_tls_prf cases for SHA-256 and SHA-384. */
    @Test
    void matchesMbedTlsVectors() {
        byte[] secret = Hex.decode("1234567890abcdef".repeat(6));
        byte[] random = Hex.decode("1234567890abcdef".repeat(8));
        assertEquals("7f9998393198a02c8d731ccc2ef90b2c",
                Hex.encode(Prf.compute(PrfHash.SHA256, secret, "test tls_prf label", random, 16)));
        assertEquals("a4206a36eef93f496611c2b7806625c3",
                Hex.encode(Prf.compute(PrfHash.SHA384, secret, "test tls_prf label", random, 16)));
    }

    @Test
    void writesIntoCallerArrayAtOffsetWithoutTouchingNeighbours() {
        byte[] secret = Hex.decode("9bbe436ba940f017b17652849a71db35");
        byte[] seed = Hex.decode("a0ba9f936cda311827a6f796ffd5198c");
        byte[] expected = Prf.compute(PrfHash.SHA256, secret, "test label", seed, 45);
        byte[] out = new byte[50];
        Arrays.fill(out, (byte) 0x5a);
        Prf.compute(PrfHash.SHA256, secret, "test label", seed, out, 3, 45);
        assertArrayEquals(expected, Arrays.copyOfRange(out, 3, 48));
        assertEquals(0x5a, out[0] & 0xff);
        assertEquals(0x5a, out[2] & 0xff);
        assertEquals(0x5a, out[48] & 0xff);
        assertEquals(0x5a, out[49] & 0xff);
    }

    @Test
    void shorterOutputIsPrefixOfLongerOutput() {
        byte[] secret = {1, 2, 3};
        byte[] seed = {4, 5, 6};
        byte[] longer = Prf.compute(PrfHash.SHA384, secret, "x", seed, 200);
        for (int n : new int[] {0, 1, 47, 48, 49, 96, 150}) {
            assertArrayEquals(Arrays.copyOf(longer, n), Prf.compute(PrfHash.SHA384, secret, "x", seed, n), "length " + n);
        }
    }

    @Property(tries = 300)
    void equalsBouncyCastlePrf(@ForAll("hashes") PrfHash hash,
                               @ForAll @Size(max = 200) byte[] secret,
                               @ForAll("labels") String label,
                               @ForAll @Size(max = 160) byte[] seed,
                               @ForAll @IntRange(min = 0, max = 300) int length) {
        int alg = hash == PrfHash.SHA256 ? PRFAlgorithm.tls_prf_sha256 : PRFAlgorithm.tls_prf_sha384;
        byte[] theirs = BC.createSecret(secret).deriveUsingPRF(alg, label, seed, length).extract();
        assertArrayEquals(theirs, Prf.compute(hash, secret, label, seed, length));
    }

    /** Secrets longer than the hash block are hashed first (RFC 2104 §2): 129 bytes for SHA-384, 65 for SHA-256. */
    @Test
    void secretLongerThanTheHashBlockEqualsBouncyCastle() {
        byte[] seed = Hex.decode("a0ba9f936cda311827a6f796ffd5198c");
        for (int n : new int[] {63, 64, 65, 127, 128, 129, 300}) {
            byte[] secret = new byte[n];
            Arrays.fill(secret, (byte) n);
            assertArrayEquals(BC.createSecret(secret).deriveUsingPRF(PRFAlgorithm.tls_prf_sha256, "l", seed, 70).extract(),
                    Prf.compute(PrfHash.SHA256, secret, "l", seed, 70), "SHA-256, " + n);
            assertArrayEquals(BC.createSecret(secret).deriveUsingPRF(PRFAlgorithm.tls_prf_sha384, "l", seed, 70).extract(),
                    Prf.compute(PrfHash.SHA384, secret, "l", seed, 70), "SHA-384, " + n);
        }
    }

    /** The thread's HMAC is re-keyed per call: an empty secret right after a long one is the all-zero key. */
    @Test
    void emptySecretAfterAnotherCallEqualsBouncyCastle() {
        byte[] seed = {9, 8, 7};
        Prf.compute(PrfHash.SHA256, new byte[100], "x", seed, 10);
        assertArrayEquals(BC.createSecret(new byte[0]).deriveUsingPRF(PRFAlgorithm.tls_prf_sha256, "x", seed, 33).extract(),
                Prf.compute(PrfHash.SHA256, new byte[0], "x", seed, 33));
    }

    /**
     * Label and seed beyond the thread's buffer (a long exporter context) get a buffer of their own; shorter
     * calls before and after, of either hash, still equal Bouncy Castle's.
     */
    @Test
    void seedsLongerThanTheThreadBufferAndShortOnesAroundThem() {
        byte[] secret = Hex.decode("9bbe436ba940f017b17652849a71db35");
        for (int n : new int[] {10, 600, 10, 191, 192, 193, 64_000, 32}) {
            byte[] seed = new byte[n];
            Arrays.fill(seed, (byte) n);
            for (PrfHash hash : PrfHash.values()) {
                int alg = hash == PrfHash.SHA256 ? PRFAlgorithm.tls_prf_sha256 : PRFAlgorithm.tls_prf_sha384;
                assertArrayEquals(BC.createSecret(secret).deriveUsingPRF(alg, "lbl", seed, 57).extract(),
                        Prf.compute(hash, secret, "lbl", seed, 57), hash + ", seed " + n);
            }
        }
    }

    @Provide
    Arbitrary<PrfHash> hashes() {
        return Arbitraries.of(PrfHash.values());
    }

    @Provide
    Arbitrary<String> labels() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40);
    }
}
