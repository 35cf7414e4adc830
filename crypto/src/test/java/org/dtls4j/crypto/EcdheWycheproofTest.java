package org.dtls4j.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Map;
import org.dtls4j.crypto.testutil.Json;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof ECDH and X25519 vectors through {@link EcdheKeyPair#sharedSecret}, which takes the TLS wire
 * form of the peer's share.
 *
 * <p>How results are read: "valid" must agree on the shared secret; "invalid" must be refused with
 * illegal_parameter. "acceptable" cases are the ones where specifications leave room: for the NIST
 * curves (compressed points, odd ASN.1 of the DER files) either outcome passes, but an accepted one
 * must produce the expected secret; for x25519 we follow RFC 7748 (twist points and non-canonical u
 * values are processed) and RFC 8422 §5.11 (an all-zero result is refused), so "acceptable" with
 * ZeroSharedSecret must be refused and every other "acceptable" case must agree.
 */
class EcdheWycheproofTest {
    @Test
    void secp256r1WireFormPoints() throws Exception {
        int accepted = runEcpoint("/wycheproof/ecdh_secp256r1_ecpoint_test.json", NamedGroup.SECP256R1);
        assertTrue(accepted >= 330, "accepted " + accepted);
    }

    @Test
    void secp256r1DerPublicKeys() throws Exception {
        int accepted = runDer("/wycheproof/ecdh_secp256r1_test.json", NamedGroup.SECP256R1);
        assertTrue(accepted >= 330, "accepted " + accepted);
    }

    @Test
    void secp384r1DerPublicKeys() throws Exception {
        int accepted = runDer("/wycheproof/ecdh_secp384r1_test.json", NamedGroup.SECP384R1);
        assertTrue(accepted > 100, "accepted " + accepted);
    }

    @Test
    void x25519() throws Exception {
        int zeroRefused = 0;
        int accepted = 0;
        for (Map<String, Object> t : tests("/wycheproof/x25519_test.json")) {
            String id = describe(t);
            EcdheKeyPair kp = EcdheKeyPair.fromPrivateScalar(NamedGroup.X25519, hex(t, "private"));
            boolean mustRefuse = flags(t).contains("ZeroSharedSecret") || "invalid".equals(t.get("result"));
            try {
                byte[] shared = kp.sharedSecret(hex(t, "public"));
                if (mustRefuse) {
                    fail(id + ": accepted");
                }
                assertEquals(t.get("shared"), Hex.encode(shared), id);
                accepted++;
            } catch (DtlsException e) {
                assertEquals(AlertDescription.ILLEGAL_PARAMETER, e.alert(), id);
                if (!mustRefuse) {
                    fail(id + ": refused: " + e.getMessage());
                }
                zeroRefused++;
            }
        }
        assertTrue(zeroRefused >= 31, "refused " + zeroRefused);
        assertTrue(accepted >= 264, "accepted " + accepted);
    }

    private static int runEcpoint(String file, NamedGroup group) throws GeneralSecurityException {
        int accepted = 0;
        for (Map<String, Object> t : tests(file)) {
            if (check(t, group, hex(t, "public"))) {
                accepted++;
            }
        }
        return accepted;
    }

    private static int runDer(String file, NamedGroup group) throws GeneralSecurityException {
        int accepted = 0;
        KeyFactory kf = KeyFactory.getInstance("EC");
        for (Map<String, Object> t : tests(file)) {
            byte[] wire;
            try {
                ECPublicKey pub = (ECPublicKey) kf.generatePublic(new X509EncodedKeySpec(hex(t, "public")));
                wire = wireForm(pub);
            } catch (GeneralSecurityException | RuntimeException e) {
                // The JDK cannot even decode this DER; it never reaches our wire-form entry point.
                if ("valid".equals(t.get("result"))) {
                    fail(describe(t) + ": valid DER key not decodable: " + e);
                }
                continue;
            }
            if (check(t, group, wire)) {
                accepted++;
            }
        }
        return accepted;
    }

    /** The TLS wire form of a decoded key, each coordinate padded to that key's own curve size. */
    private static byte[] wireForm(ECPublicKey pub) {
        int len = (pub.getParams().getCurve().getField().getFieldSize() + 7) / 8;
        byte[] out = new byte[1 + 2 * len];
        out[0] = 4;
        NistCurve.writeFixed(pub.getW().getAffineX(), out, 1, len);
        NistCurve.writeFixed(pub.getW().getAffineY(), out, 1 + len, len);
        return out;
    }

    /** Returns true when our code accepted the share (and agreed on the secret). */
    private static boolean check(Map<String, Object> t, NamedGroup group, byte[] wire) throws GeneralSecurityException {
        String id = describe(t);
        String result = (String) t.get("result");
        EcdheKeyPair kp = EcdheKeyPair.fromPrivateScalar(group, hex(t, "private"));
        try {
            byte[] shared = kp.sharedSecret(wire);
            if ("invalid".equals(result)) {
                fail(id + ": accepted an invalid share");
            }
            assertEquals(t.get("shared"), Hex.encode(shared), id);
            return true;
        } catch (DtlsException e) {
            assertEquals(AlertDescription.ILLEGAL_PARAMETER, e.alert(), id);
            if ("valid".equals(result)) {
                fail(id + ": refused a valid share: " + e.getMessage());
            }
            return false;
        }
    }

    static List<Map<String, Object>> tests(String file) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Object g : Json.array(Json.resource(file).get("testGroups"))) {
            for (Object t : Json.array(Json.object(g).get("tests"))) {
                out.add(Json.object(t));
            }
        }
        return out;
    }

    static byte[] hex(Map<String, Object> t, String key) {
        return Hex.decode((String) t.get(key));
    }

    static List<Object> flags(Map<String, Object> t) {
        return Json.array(t.get("flags"));
    }

    static String describe(Map<String, Object> t) {
        return "tcId " + t.get("tcId") + " (" + t.get("comment") + ", " + t.get("result") + ")";
    }
}
