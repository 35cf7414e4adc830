package org.dtls4j.handshake.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;
import org.dtls4j.wire.Reader;
import org.junit.jupiter.api.Test;

/** Decodes the ClientHello a different implementation (Bouncy Castle's DTLS client) really sends. */
class BouncyCastleClientHelloTest {

    @Test
    void decodesBouncyCastleClientHelloAndReencodesItByteForByte() throws DtlsException {
        BouncyCastleHelloCapture.Client client = new BouncyCastleHelloCapture.Client();
        byte[] body = BouncyCastleHelloCapture.helloBody(BouncyCastleHelloCapture.captureDatagram(client));

        ClientHello ch = ClientHello.decode(new Reader(body));

        assertArrayEquals(body, ch.toByteArray());
        assertEquals(ProtocolVersion.DTLS_1_2, ch.clientVersion());
        assertTrue(ch.cookie().isEmpty(), "the first ClientHello carries no cookie");
        List<Integer> offered = Arrays.stream(client.offeredSuites()).boxed().toList();
        assertTrue(ch.cipherSuites().containsAll(offered), () -> ch.cipherSuites() + " lacks some of " + offered);
        assertEquals(List.of(ClientHello.NULL_COMPRESSION), ch.compressionMethods());
        Extensions e = ch.extensionsOrEmpty();
        assertEquals(Optional.of(BouncyCastleHelloCapture.HOST), e.serverName().orElseThrow().hostName());
        assertEquals(List.of("coap"), e.applicationProtocols().orElseThrow().names());
        assertTrue(e.extendedMasterSecret().isPresent());
        assertTrue(e.supportedGroups().orElseThrow().groups().contains(23), "secp256r1 offered");
        assertTrue(e.signatureAlgorithms().orElseThrow().schemes().contains(0x0403), "ecdsa_secp256r1_sha256 offered");
    }
}
