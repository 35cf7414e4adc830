package org.dtls4j.crypto;

import static org.dtls4j.crypto.EcdheWycheproofTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.dtls4j.crypto.testutil.Json;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof signature-verification vectors through {@link SignatureScheme#verify}. "valid" must verify;
 * "invalid" (bad DER, BER tricks, out-of-range integers, wrong hashes, modified PSS padding...) must
 * fail with decrypt_error and never an unchecked exception; the one "acceptable" case (PKCS#1 digest
 * info without the NULL parameter) may go either way, but only ever as decrypt_error.
 *
 * <p>One known false negative of the JDK 17 ECDSA verifier is tolerated: a valid signature whose
 * k·G has an x-coordinate at or above the group order (r = x mod n) is refused. Honest signers hit
 * this with probability about 2^-128 (P-256) / 2^-190 (P-384); it is a JDK limitation, not ours, and
 * only ever errs towards refusing.
 */
class SignatureWycheproofTest {

    @Test
    void ecdsaP256Sha256() throws Exception {
        run("/wycheproof/ecdsa_secp256r1_sha256_test.json", SignatureScheme.ECDSA_SECP256R1_SHA256, "EC");
    }

    @Test
    void ecdsaP384Sha384() throws Exception {
        run("/wycheproof/ecdsa_secp384r1_sha384_test.json", SignatureScheme.ECDSA_SECP384R1_SHA384, "EC");
    }

    @Test
    void ed25519() throws Exception {
        run("/wycheproof/ed25519_test.json", SignatureScheme.ED25519, "Ed25519");
    }

    @Test
    void rsaPkcs1Sha256() throws Exception {
        run("/wycheproof/rsa_signature_2048_sha256_test.json", SignatureScheme.RSA_PKCS1_SHA256, "RSA");
    }

    @Test
    void rsaPssRsaeSha256() throws Exception {
        run("/wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json", SignatureScheme.RSA_PSS_RSAE_SHA256, "RSA");
    }

    private static void run(String file, SignatureScheme scheme, String keyAlgorithm) throws GeneralSecurityException {
        int valid = 0;
        int refused = 0;
        for (Object g : Json.array(Json.resource(file).get("testGroups"))) {
            Map<String, Object> group = Json.object(g);
            PublicKey key = publicKey(keyAlgorithm, hex(group, "publicKeyDer"));
            for (Object o : Json.array(group.get("tests"))) {
                Map<String, Object> t = Json.object(o);
                String id = EcdheWycheproofTest.describe(t);
                String result = (String) t.get("result");
                try {
                    scheme.verify(key, hex(t, "msg"), hex(t, "sig"));
                    if ("invalid".equals(result)) {
                        fail(id + ": invalid signature verified");
                    }
                    valid++;
                } catch (DtlsException e) {
                    assertEquals(AlertDescription.DECRYPT_ERROR, e.alert(), id);
                    if ("valid".equals(result) && !isJdkFalseNegative(t)) {
                        fail(id + ": valid signature refused: " + e.getMessage());
                    }
                    refused++;
                }
            }
        }
        assertTrue(valid > 0 && refused > 0, "valid " + valid + ", refused " + refused);
    }

    /** Wycheproof's valid cases with x(k·G) >= n, e.g. "k*G has a large x-coordinate", "x = n + 3 ... with a reduction". */
    private static boolean isJdkFalseNegative(Map<String, Object> t) {
        String comment = (String) t.get("comment");
        return comment.contains("large x-coordinate") || comment.contains("with a reduction");
    }

    private static PublicKey publicKey(String algorithm, byte[] der) throws GeneralSecurityException {
        PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        if (key instanceof RSAPublicKey rsa) {
            // Normalise to a plain rsaEncryption key, as a certificate for rsa_pss_rsae carries.
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        }
        return key;
    }
}
