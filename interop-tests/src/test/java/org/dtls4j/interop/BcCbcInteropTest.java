package org.dtls4j.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.bouncycastle.tls.TlsContext;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.session.HandshakeResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CBC suite against Bouncy Castle in both directions: handshake, pings echoed both ways and
 * close_notify. One suite per key exchange runs over the 30%-loss network of {@link BcSuiteInteropTest};
 * the others at 5% loss to keep the run short. With BC's defaults encrypt_then_mac is negotiated; a
 * second set, one suite per MAC and key exchange, runs against a BC that refuses it (MAC-then-encrypt).
 * Both sides must agree on the EtM state. Seeds are {@code 0x3_0000 + code} and {@code 0x4_0000 + code}.
 */
class BcCbcInteropTest {
    /** The suites that run at 30% loss: one per key exchange. */
    private static final Set<CipherSuite> UNDER_HEAVY_LOSS = Set.of(
            CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256);
    /** MAC-then-encrypt: every MAC and key exchange once. */
    private static final List<CipherSuite> MAC_THEN_ENCRYPT = List.of(
            CipherSuite.TLS_PSK_WITH_AES_256_CBC_SHA384, CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA);

    static Stream<Arguments> cases() {
        Stream<Arguments> etm = CipherSuite.negotiable().stream().filter(CipherSuite::isCbc)
                .map(s -> Arguments.of(s, false));
        return Stream.concat(etm, MAC_THEN_ENCRYPT.stream().map(s -> Arguments.of(s, true)));
    }

    private static Scenario scenario(CipherSuite suite, boolean macThenEncrypt, long seedBase) {
        Scenario s = Scenario.of(suite, seedBase + suite.code() + (macThenEncrypt ? 0x100_0000L : 0));
        return macThenEncrypt ? s.withMacThenEncrypt() : s;
    }

    private static Network network(Scenario s) {
        boolean heavy = UNDER_HEAVY_LOSS.contains(s.suite()) && !s.macThenEncrypt();
        return new Network(s.seed(), s.datagramSize(), heavy ? Network.DROP : 0.05, Network.DUPLICATE, Network.REORDER,
                d -> false);
    }

    @ParameterizedTest(name = "{0} MtE={1}")
    @MethodSource("cases")
    void dtls4jClientAgainstBouncyCastleServer(CipherSuite suite, boolean macThenEncrypt) throws Exception {
        Scenario scenario = scenario(suite, macThenEncrypt, 0x3_0000L);
        try (Dtls4jClientRun run = new Dtls4jClientRun(scenario, null, null, network(scenario))) {
            HandshakeResult result = run.handshake();
            assertEquals(suite, result.suite(), run.why());
            assertEtm(!macThenEncrypt, result, run.bc.get(), run.why());
            run.pingPong(BcSuiteInteropTest.PINGS, BcSuiteInteropTest.MAX_BODY);
            run.closeCleanly();
        }
    }

    @ParameterizedTest(name = "{0} MtE={1}")
    @MethodSource("cases")
    void bouncyCastleClientAgainstDtls4jServer(CipherSuite suite, boolean macThenEncrypt) throws Exception {
        Scenario scenario = scenario(suite, macThenEncrypt, 0x4_0000L);
        try (BcClientRun run = new BcClientRun(scenario, null, null, 50_601, network(scenario))) {
            HandshakeResult result = run.handshake();
            assertEquals(suite, result.suite(), run.why());
            assertEtm(!macThenEncrypt, result, run.bc.get(), run.why());
            run.pingPong(BcSuiteInteropTest.PINGS, BcSuiteInteropTest.MAX_BODY);
            run.closeCleanly();
        }
    }

    private static void assertEtm(boolean expected, HandshakeResult ours, TlsContext bc, String why) {
        assertEquals(expected, ours.session().encryptThenMac(), why);
        assertEquals(expected, bc.getSecurityParametersConnection().isEncryptThenMAC(), "BC's view; " + why);
        assertTrue(ours.extendedMasterSecret(), why);
    }
}
