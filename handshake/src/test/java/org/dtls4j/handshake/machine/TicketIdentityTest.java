package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.SharedSecrets;
import org.dtls4j.handshake.auth.CertificateIdentity;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.auth.RawPublicKeyVerifier;
import org.dtls4j.handshake.machine.HandshakePairTest.Side;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.handshake.session.SessionTickets;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A resumption by RFC 5077 ticket reports the same peer as the full handshake did (raw public key, chain,
 * PSK identity, server_name, EMS, EtM), as a session-ID resumption does; and a validly sealed ticket whose
 * identity fields are out of bounds is refused (a full handshake), never an exception.
 */
class TicketIdentityTest {
    private static final CipherSuite SUITE = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    private static final KeyPair SERVER_KEY = TestPki.keyPair(TestPki.KeyType.EC_P256);

    private final HandshakePairTest pair = new HandshakePairTest();
    private final byte[] ticketMaster = new byte[32];
    private final SessionTickets tickets = SessionTickets.create(SharedSecrets.derived(ticketMaster, Duration.ofHours(1)),
            Duration.ofMinutes(30), Clock.systemUTC());

    private static TestSettings plain(ClientAuth auth, CertificateIdentity own, X509Certificate trustedRoot,
                                      SessionCache cache) {
        return new TestSettings(List.of(SUITE), null, null, own,
                trustedRoot == null ? null : HandshakePairTest.trustManager(trustedRoot), false, auth, cache, "localhost");
    }

    private HandshakeSettings rawKeyServer(RawPublicKeyVerifier verifier, SessionCache cache) {
        return RawPublicKeyHandshakeTest.withRawKeys(
                TicketSettings.server(plain(ClientAuth.REQUIRED, null, null, cache), tickets), SERVER_KEY, verifier);
    }

    private static HandshakeSettings rawKeyClient(KeyPair own) {
        return RawPublicKeyHandshakeTest.withRawKeys(TicketSettings.client(plain(ClientAuth.NONE, null, null, null),
                "localhost"), own, RawPublicKeyVerifier.pinned(SERVER_KEY.getPublic()));
    }

    /** Full handshake, then a resumption by the ticket it issued; both sides' results, [full, resumed]. */
    private Side[][] fullThenTicket(HandshakeSettings client, HandshakeSettings server) throws DtlsException {
        Side[] full = pair.handshake(client, server, null);
        Session session = full[0].handshaker.result().session();
        assertNotNull(session.ticket(), "the full handshake issued a ticket");
        assertTrue(session.ticket().length > 0, "a ticket, not the empty one that means none");
        assertEquals(0, session.sessionId().length, "no session cache: only the ticket can resume");
        Side[] resumed = pair.handshake(client, server, session);
        assertTrue(resumed[0].handshaker.result().resumed() && resumed[1].handshaker.result().resumed());
        return new Side[][] {full, resumed};
    }

    @ParameterizedTest
    @EnumSource(value = TestPki.KeyType.class, names = {"EC_P256", "ED25519"})
    void ticketResumptionReportsTheClientsRawKey(TestPki.KeyType type) throws DtlsException {
        KeyPair clientKey = TestPki.keyPair(type);
        Side[][] s = fullThenTicket(rawKeyClient(clientKey),
                rawKeyServer(RawPublicKeyVerifier.pinned(clientKey.getPublic()), null));
        HandshakeResult resumed = s[1][1].handshaker.result();
        assertArrayEquals(clientKey.getPublic().getEncoded(), resumed.peerRawPublicKey().getEncoded(), type.name());
        assertArrayEquals(clientKey.getPublic().getEncoded(), resumed.session().peerRawPublicKey().getEncoded());
        assertSamePeer(s[0][1].handshaker.result(), resumed);
        // The client's view of the server comes from its own session, ticket or not.
        assertSamePeer(s[0][0].handshaker.result(), s[1][0].handshaker.result());
    }

    @Test
    void ticketResumptionReportsWhatSessionIdResumptionReports() throws DtlsException {
        KeyPair clientKey = TestPki.keyPair(TestPki.KeyType.EC_P256);
        RawPublicKeyVerifier pin = RawPublicKeyVerifier.pinned(clientKey.getPublic());
        HandshakeResult byTicket = fullThenTicket(rawKeyClient(clientKey), rawKeyServer(pin, null))[1][1].handshaker.result();
        // The same peer through a session cache and a client that asks for no ticket.
        HandshakeSettings cachingServer = RawPublicKeyHandshakeTest.withRawKeys(
                plain(ClientAuth.REQUIRED, null, null, new SessionCache(4)), SERVER_KEY, pin);
        HandshakeSettings client = RawPublicKeyHandshakeTest.withRawKeys(plain(ClientAuth.NONE, null, null, null),
                clientKey, RawPublicKeyVerifier.pinned(SERVER_KEY.getPublic()));
        Session session = pair.handshake(client, cachingServer, null)[0].handshaker.result().session();
        HandshakeResult byId = pair.handshake(client, cachingServer, session)[1].handshaker.result();
        assertTrue(byId.resumed());
        assertSamePeer(byId, byTicket);
    }

    @Test
    void ticketResumptionReportsTheClientsCertificateChain() throws DtlsException {
        TestPki.Identity serverId = TestPki.chain(TestPki.KeyType.EC_P256, "localhost", 2, 0);
        TestPki.Identity clientId = TestPki.chain(TestPki.KeyType.EC_P256, "client", 3, 0);
        HandshakeSettings server = TicketSettings.server(plain(ClientAuth.REQUIRED,
                new CertificateIdentity(serverId.key(), serverId.chainWithoutRoot()), clientId.root(), null), tickets);
        HandshakeSettings client = TicketSettings.client(plain(ClientAuth.NONE,
                new CertificateIdentity(clientId.key(), clientId.chainWithoutRoot()), serverId.root(), null), "localhost");
        Side[][] s = fullThenTicket(client, server);
        HandshakeResult full = s[0][1].handshaker.result();
        HandshakeResult resumed = s[1][1].handshaker.result();
        assertEquals(clientId.chainWithoutRoot().size(), resumed.peerCertificates().size());
        assertEquals(encodings(clientId.chainWithoutRoot()), encodings(resumed.peerCertificates()));
        assertNull(resumed.peerRawPublicKey());
        assertSamePeer(full, resumed);
    }

    @Test
    void aRawKeyTheVerifierNoLongerTrustsDoesNotResumeByTicket() throws DtlsException {
        KeyPair clientKey = TestPki.keyPair(TestPki.KeyType.EC_P256);
        HandshakeSettings client = rawKeyClient(clientKey);
        Session session = pair.handshake(client, rawKeyServer(RawPublicKeyVerifier.pinned(clientKey.getPublic()), null),
                null)[0].handshaker.result().session();
        // The device was unpinned since: its ticket no longer vouches, and the full handshake refuses its key.
        HandshakeSettings unpinned = rawKeyServer(RawPublicKeyVerifier.pinned(TestPki.keyPair(TestPki.KeyType.EC_P256)
                .getPublic()), null);
        DtlsException e = assertThrows(DtlsException.class, () -> pair.handshake(client, unpinned, session));
        assertEquals(AlertDescription.CERTIFICATE_UNKNOWN, e.alert());
    }

    @Test
    void aFormatOneTicketMeansAFullHandshake() throws DtlsException {
        KeyPair clientKey = TestPki.keyPair(TestPki.KeyType.EC_P256);
        HandshakeSettings client = rawKeyClient(clientKey);
        HandshakeSettings server = rawKeyServer(RawPublicKeyVerifier.pinned(clientKey.getPublic()), null);
        Session session = pair.handshake(client, server, null)[0].handshaker.result().session();
        // What a server before format 2 sealed for an anonymous client (it could not carry the key).
        byte[] old = TicketCodec.sealPlaintext(tickets, plaintext(1, w -> w.u8(0)));
        session.attachTicket(old, 0);
        Side[] again = pair.handshake(client, server, session);
        assertFalse(again[1].handshaker.result().resumed());
        assertTrue(again[1].handshaker.isEstablished());
        assertArrayEquals(clientKey.getPublic().getEncoded(), again[1].handshaker.result().peerRawPublicKey().getEncoded());
    }

    @Test
    void sealedTicketsWithOutOfBoundsIdentityFieldsAreRefused() throws DtlsException {
        byte[] spki = TestPki.keyPair(TestPki.KeyType.ED25519).getPublic().getEncoded();
        byte[] cert = certificateEncoding(TestPki.chain(TestPki.KeyType.EC_P256, "client", 2, 0).leaf());
        // The well-formed tickets first, so each refusal below is for its field alone.
        assertNotNull(open(plaintext(TicketState.FORMAT, w -> w.u8(3).opaque16(spki))));
        assertNotNull(open(plaintext(TicketState.FORMAT, w -> w.u8(2).u8(1).opaque16(cert))));
        List<Consumer<Writer>> hostile = List.of(
                w -> w.u8(3).opaque16(new byte[0]),                                  // empty key
                w -> w.u8(3).opaque16(java.util.Arrays.copyOf(spki, spki.length - 1)),   // truncated key
                w -> w.u8(3).opaque16(java.util.Arrays.copyOf(spki, spki.length + 1)),   // trailing byte
                w -> w.u8(3).opaque16(new byte[RawPublicKeys.MAX_SPKI_LENGTH + 1]),  // oversized key
                w -> w.u8(3).u16(spki.length + 10).bytes(spki),                      // length past the end
                w -> w.u8(2).u8(0),                                                  // empty chain
                w -> w.u8(2).u8(TicketState.MAX_CHAIN + 1).opaque16(cert),           // too many certificates
                w -> w.u8(2).u8(1).opaque16(new byte[0]),                            // empty certificate
                w -> w.u8(2).u8(1).opaque16(java.util.Arrays.copyOf(cert, cert.length / 2)), // truncated certificate
                w -> w.u8(2).u8(2).opaque16(cert),                                   // count past the end
                w -> w.u8(4));                                                        // unknown kind
        for (int i = 0; i < hostile.size(); i++) {
            byte[] plain = plaintext(TicketState.FORMAT, hostile.get(i));
            assertThrows(DtlsException.class, () -> TicketState.decode(plain.clone()), "case " + i);
            assertNull(open(plain), "case " + i);
        }
        assertNull(open(plaintext(1, w -> w.u8(3).opaque16(spki))), "format 1");
    }

    @Test
    void aChainLongerThanATicketCarriesIsSealedAsTheEmptyTicket() {
        List<X509Certificate> chain = TestPki.chain(TestPki.KeyType.EC_P256, "client", TicketState.MAX_CHAIN + 1, 0).chain();
        byte[] master = new byte[48];
        java.util.Arrays.fill(master, (byte) 7);
        Session tooLong = new Session(new byte[0], SUITE, master, true, chain, null, null);
        assertEquals(0, TicketCodec.seal(tickets, tooLong).length, "RFC 5077 §3.3's empty ticket, not an exception");
        Session longest = new Session(new byte[0], SUITE, master, true, chain.subList(0, TicketState.MAX_CHAIN), null, null);
        TicketCodec.Opened opened = TicketCodec.open(tickets, TicketCodec.seal(tickets, longest), null);
        assertEquals(encodings(longest.peerCertificates()), encodings(opened.state().peerCertificates()));
    }

    private TicketCodec.Opened open(byte[] plain) {
        return TicketCodec.open(tickets, TicketCodec.sealPlaintext(tickets, plain), null);
    }

    /** A TicketState plaintext for a live ticket, with {@code identity} writing the kind and what follows it. */
    private static byte[] plaintext(int format, Consumer<Writer> identity) {
        Writer w = new Writer(256);
        w.u8(format).u8(0xfe).u8(0xfd).u16(SUITE.code()).u8(1).bytes(new byte[48]).opaque8(new byte[0]);
        identity.accept(w);
        w.u64(System.currentTimeMillis() / 1000).u32(600);
        return w.toByteArray();
    }

    /** Every identity and session component a resumption should carry over, keys and chains by encoding. */
    private static void assertSamePeer(HandshakeResult expected, HandshakeResult actual) {
        assertEquals(expected.suite(), actual.suite());
        assertEquals(encodings(expected.peerCertificates()), encodings(actual.peerCertificates()));
        assertArrayEquals(encoding(expected.peerRawPublicKey()), encoding(actual.peerRawPublicKey()));
        assertArrayEquals(encoding(expected.peerPublicKey()), encoding(actual.peerPublicKey()));
        assertArrayEquals(expected.pskIdentity(), actual.pskIdentity());
        assertEquals(expected.serverName(), actual.serverName());
        assertEquals(expected.extendedMasterSecret(), actual.extendedMasterSecret());
        assertEquals(expected.session().encryptThenMac(), actual.session().encryptThenMac());
        assertEquals(expected.session().serverName(), actual.session().serverName());
        assertEquals(encodings(expected.session().peerCertificates()), encodings(actual.session().peerCertificates()));
        assertArrayEquals(encoding(expected.session().peerRawPublicKey()), encoding(actual.session().peerRawPublicKey()));
        assertArrayEquals(expected.session().pskIdentity(), actual.session().pskIdentity());
    }

    private static byte[] certificateEncoding(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] encoding(PublicKey key) {
        return key == null ? null : key.getEncoded();
    }

    /** The chain's DER encodings in hex, so that lists compare by content. */
    private static List<String> encodings(List<X509Certificate> chain) {
        List<String> out = new ArrayList<>();
        for (X509Certificate c : chain) {
            try {
                out.add(java.util.HexFormat.of().formatHex(c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }
}
