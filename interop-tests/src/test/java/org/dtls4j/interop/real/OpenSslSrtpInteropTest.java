package org.dtls4j.interop.real;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsConnection;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.SrtpKeys;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jClient;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jServer;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * use_srtp and the RFC 5705 exporter against OpenSSL's command line ({@code -use_srtp} and {@code
 * -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen N}), both directions, every profile: OpenSSL names the
 * profile we negotiated and prints the same keying material we export (RFC 5764 §4.2), and the SRTP keys
 * split from it are OpenSSL's bytes.
 */
class OpenSslSrtpInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String OPENSSL_SUITE = "PSK-AES128-GCM-SHA256";
    private static final CipherSuite SUITE = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;
    private static final String PSK_IDENTITY = "client-1";
    private static final byte[] PSK = Hex.decode("00112233445566778899aabbccddeeff");
    private static final PskStore PSK_STORE =
            id -> Arrays.equals(id, PSK_IDENTITY.getBytes(StandardCharsets.UTF_8)) ? PSK.clone() : null;
    private static final String PROFILE_LINE = "SRTP Extension negotiated, profile=";
    private static final String MATERIAL_LINE = "Keying material: ";

    @BeforeAll
    static void prepare() {
        OpenSslProcess.requireOpenSsl();
    }

    private static List<String> srtpArgs(String profiles, int length) {
        return List.of("-use_srtp", profiles, "-keymatexport", SrtpKeys.EXPORTER_LABEL,
                "-keymatexportlen", Integer.toString(length));
    }

    /** The hex OpenSSL printed after "Keying material: ", as bytes, or null before it printed it. */
    private static byte[] printedMaterial(OpenSslProcess openssl) {
        for (String prefix : new String[] {"    " + MATERIAL_LINE, MATERIAL_LINE}) {
            String hex = openssl.valueAfter(prefix);
            if (hex != null) {
                return Hex.decode(hex.strip().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return null;
    }

    /** Checks the profile and keying material both sides report, and the RFC 5764 §4.2 split of it. */
    private static void assertAgree(DtlsConnection ours, OpenSslProcess openssl, SrtpProtectionProfile expected) {
        assertEquals(expected, ours.handshakeResult().srtpProfile());
        assertEquals(expected.opensslName(), openssl.valueAfter(PROFILE_LINE), openssl::transcript);
        byte[] theirs = printedMaterial(openssl);
        assertNotNull(theirs, openssl::transcript);
        int length = expected.keyingMaterialLength();
        assertArrayEquals(theirs, ours.exportKeyingMaterial(SrtpKeys.EXPORTER_LABEL, null, length),
                "the exported bytes are OpenSSL's");
        SrtpKeys keys = SrtpKeys.derive(ours::exportKeyingMaterial, expected);
        int k = expected.masterKeyLength();
        assertArrayEquals(Arrays.copyOfRange(theirs, 0, k), keys.clientMasterKey());
        assertArrayEquals(Arrays.copyOfRange(theirs, length - expected.masterSaltLength(), length),
                keys.serverMasterSalt());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SrtpProtectionProfile.class)
    void dtls4jClientAgreesWithOpenSslServer(SrtpProtectionProfile profile) {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(SUITE)
                .pskIdentity(PSK_IDENTITY.getBytes(StandardCharsets.UTF_8), PSK)
                .srtpProfiles(profile).requireSrtp(true).build();
        List<String> args = new ArrayList<>(List.of("-nocert", "-psk", Hex.encode(PSK), "-psk_identity", PSK_IDENTITY));
        args.addAll(srtpArgs(profile.opensslName(), profile.keyingMaterialLength()));
        try (LoopbackDriver net = new LoopbackDriver();
             OpenSslProcess server = OpenSslSocketInteropTest.startServer(net, OPENSSL_SUITE, 1, args)) {
            Dtls4jClient client = net.dtls4jClient(config,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            client.start();
            OpenSslSocketInteropTest.run(net, client.connection::isEstablished, "handshake", server);
            OpenSslSocketInteropTest.run(net, () -> printedMaterial(server) != null, "s_server prints its export",
                    server);
            assertAgree(client.connection, server, profile);
            client.close();
            OpenSslSocketInteropTest.run(net, () -> server.hasLine("DONE"), "s_server sees close_notify", server);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SrtpProtectionProfile.class)
    void openSslClientAgreesWithDtls4jServer(SrtpProtectionProfile profile) {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(SUITE).pskStore(PSK_STORE)
                .srtpProfiles(profile).requireSrtp(true).build();
        openSslClientToDtls4jServer(config, profile.opensslName(), profile);
    }

    @org.junit.jupiter.api.Test
    void dtls4jServerPicksItsPreferenceAmongOpenSslClientProfiles() {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(SUITE).pskStore(PSK_STORE)
                .srtpProfiles(SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM,
                        SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80).build();
        openSslClientToDtls4jServer(config, "SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_256_GCM",
                SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM);
    }

    private static void openSslClientToDtls4jServer(DtlsConfig config, String offered,
                                                    SrtpProtectionProfile expected) {
        try (LoopbackDriver net = new LoopbackDriver()) {
            Dtls4jServer server = net.dtls4jServer(config);
            List<String> args = new ArrayList<>(List.of("s_client", "-dtls1_2",
                    "-connect", "127.0.0.1:" + server.address().getPort(), "-cipher", OPENSSL_SUITE,
                    "-psk", Hex.encode(PSK), "-psk_identity", PSK_IDENTITY, "-ign_eof", "-nocommands"));
            args.addAll(srtpArgs(offered, expected.keyingMaterialLength()));
            try (OpenSslProcess client = OpenSslProcess.start(args)) {
                OpenSslSocketInteropTest.run(net, () -> server.connection() != null && printedMaterial(client) != null,
                        "handshake and s_client's export", client);
                assertAgree(server.connection(), client, expected);
                server.connection().close(System.nanoTime());
                OpenSslSocketInteropTest.run(net, () -> client.hasLine("closed"), "s_client reports our close_notify",
                        client);
            }
        }
    }
}
