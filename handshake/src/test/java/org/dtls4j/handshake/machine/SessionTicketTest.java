package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.SharedSecrets;
import org.dtls4j.handshake.machine.HandshakePairTest.Side;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionTickets;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/** RFC 5077 session tickets between our client and server, in memory, with a clock the test moves. */
class SessionTicketTest {
    private static final byte[] ID = "client-1".getBytes();
    private static final byte[] KEY = new byte[16];
    private static final CipherSuite SUITE = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;
    private static final Duration ROTATION = Duration.ofHours(1);

    /** A wall clock the test sets. */
    static final class TestClock extends Clock {
        long millis = 1_800_000_000_000L;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        void advance(Duration d) {
            millis += d.toMillis();
        }
    }

    private final TestClock clock = new TestClock();
    private final byte[] master = new byte[32];
    private final HandshakePairTest pair = new HandshakePairTest();

    private TicketSettings server() {
        return server(SharedSecrets.derived(master, ROTATION));
    }

    private TicketSettings server(SharedSecrets secrets) {
        return TicketSettings.server(TestSettings.psk(SUITE, ID, KEY, false),
                SessionTickets.create(secrets, Duration.ofMinutes(30), clock));
    }

    private static TicketSettings client(String serverName) {
        return TicketSettings.client(TestSettings.psk(SUITE, ID, KEY, true), serverName);
    }

    private Session firstSession(TicketSettings server, String serverName) throws DtlsException {
        Side[] first = pair.handshake(client(serverName), server, null);
        HandshakeResult r = first[0].handshaker.result();
        assertFalse(r.resumed());
        assertNotNull(r.session().ticket(), "a client that asked receives a ticket");
        assertEquals(30 * 60, r.session().ticketLifetimeHintSeconds());
        assertTrue(r.session().isResumable(), "a ticket alone makes a session resumable");
        return r.session();
    }

    @Test
    void fullHandshakeIssuesATicketAndAFreshServerResumesFromIt() throws DtlsException {
        Session session = firstSession(server(), null);
        assertEquals(0, session.sessionId().length, "no session cache: the ticket is the only way back");
        // A new server object (another node) with the same secrets: no state carried over.
        Side[] second = pair.handshake(client(null), server(), session);
        HandshakeResult c = second[0].handshaker.result();
        HandshakeResult s = second[1].handshaker.result();
        assertTrue(c.resumed());
        assertTrue(s.resumed());
        assertArrayEquals(ID, s.pskIdentity(), "the client identity comes back out of the ticket");
        assertTrue(s.extendedMasterSecret());
        assertArrayEquals(session.masterSecret(), s.session().masterSecret());
    }

    @Test
    void ticketIsRefusedAfterItsLifetime() throws DtlsException {
        Session session = firstSession(server(), null);
        clock.advance(Duration.ofMinutes(30));
        Side[] second = pair.handshake(client(null), server(), session);
        assertFalse(second[0].handshaker.result().resumed());
        assertFalse(second[1].handshaker.result().resumed());
        byte[] renewed = second[0].handshaker.result().session().ticket();
        assertNotNull(renewed, "RFC 5077 §3.4: the full handshake that follows issues a new ticket");
        assertFalse(Arrays.equals(renewed, session.ticket()));
    }

    @Test
    void ticketJustInsideItsLifetimeResumes() throws DtlsException {
        Session session = firstSession(server(), null);
        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertTrue(pair.handshake(client(null), server(), session)[1].handshaker.result().resumed());
    }

    @Test
    void ticketUnderThePreviousKeyResumesAndIsRenewedUnderTheCurrentOne() throws DtlsException {
        SharedSecrets secrets = SharedSecrets.derived(master, Duration.ofMinutes(20));
        TicketSettings server = server(secrets);
        Session session = firstSession(server, null);
        byte[] before = session.ticket();
        clock.advance(Duration.ofMinutes(21));
        Side[] second = pair.handshake(client(null), server, session);
        assertTrue(second[1].handshaker.result().resumed());
        assertFalse(Arrays.equals(before, session.ticket()), "resumption under the previous key renews the ticket");
        // A ticket under the current key resumes without a new one.
        byte[] renewed = session.ticket();
        assertTrue(pair.handshake(client(null), server, session)[1].handshaker.result().resumed());
        assertArrayEquals(renewed, session.ticket());
    }

    @Test
    void ticketIsRefusedOnceItsKeyIsRotatedOut() throws DtlsException {
        SharedSecrets secrets = SharedSecrets.derived(master, Duration.ofMinutes(10));
        TicketSettings server = server(secrets);
        Session session = firstSession(server, null);
        clock.advance(Duration.ofMinutes(20));
        assertFalse(pair.handshake(client(null), server, session)[1].handshaker.result().resumed());
    }

    @Test
    void ticketFromAnotherKeySetIsRefused() throws DtlsException {
        Session session = firstSession(server(), null);
        byte[] otherMaster = new byte[32];
        otherMaster[0] = 1;
        Side[] second = pair.handshake(client(null), server(SharedSecrets.derived(otherMaster, ROTATION)), session);
        assertFalse(second[1].handshaker.result().resumed());
    }

    @Test
    void ticketForAnotherServerNameIsRefused() throws DtlsException {
        Session session = firstSession(server(), "a.example");
        assertTrue(pair.handshake(client("a.example"), server(), session)[1].handshaker.result().resumed());
        Side[] other = pair.handshake(client("b.example"), server(), session);
        assertFalse(other[0].handshaker.result().resumed());
        assertFalse(other[1].handshaker.result().resumed());
        assertEquals("b.example", other[1].handshaker.result().serverName());
    }

    @Test
    void theServerChecksTheTicketsServerNameIgnoringAsciiCase() throws DtlsException {
        byte[] ticket = firstSession(server(), "a.example").ticket();
        SessionTickets tickets = SessionTickets.create(SharedSecrets.derived(master, ROTATION), Duration.ofMinutes(30), clock);
        assertNotNull(TicketCodec.open(tickets, ticket, "A.Example"));
        assertNull(TicketCodec.open(tickets, ticket, "b.example"));
        assertNull(TicketCodec.open(tickets, ticket, null));
    }

    @Test
    void tamperedTicketIsRefusedWithAFullHandshake() throws DtlsException {
        Session session = firstSession(server(), null);
        byte[] ticket = session.ticket();
        for (int i : new int[] {0, 16, 28, ticket.length / 2, ticket.length - 1}) {
            byte[] bad = ticket.clone();
            bad[i] ^= 1;
            Session forged = new Session(new byte[0], session.suite(), session.masterSecret(), true,
                    java.util.List.of(), ID, null);
            forged.attachTicket(bad, 0);
            Side[] second = pair.handshake(client(null), server(), forged);
            assertFalse(second[1].handshaker.result().resumed(), "flipped byte " + i);
            assertTrue(second[0].handshaker.isEstablished());
        }
    }

    @Test
    void shortAndEmptyTicketsAreRefused() throws DtlsException {
        SessionTickets tickets = SessionTickets.create(SharedSecrets.derived(master, ROTATION), Duration.ofMinutes(5), clock);
        for (int len : new int[] {0, 1, 44, 45}) {
            assertNull(TicketCodec.open(tickets, new byte[len], null), len + " bytes");
        }
    }

    @Test
    void ticketForARemovedPskIsRefused() throws DtlsException {
        Session session = firstSession(server(), null);
        TicketSettings other = TicketSettings.server(TestSettings.psk(SUITE, "someone-else".getBytes(), KEY, false),
                SessionTickets.create(SharedSecrets.derived(master, ROTATION), Duration.ofMinutes(30), clock));
        // The client still sends its old identity in the full handshake, which this server does not know.
        org.junit.jupiter.api.Assertions.assertThrows(DtlsException.class,
                () -> pair.handshake(client(null), other, session));
    }

    @Test
    void everyTicketHasItsOwnIv() throws DtlsException {
        Session session = firstSession(server(), null);
        SessionTickets tickets = SessionTickets.create(SharedSecrets.derived(master, ROTATION), Duration.ofMinutes(5), clock);
        byte[] a = TicketCodec.seal(tickets, session);
        byte[] b = TicketCodec.seal(tickets, session);
        assertArrayEquals(Arrays.copyOf(a, 16), Arrays.copyOf(b, 16), "same key name");
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, 16, 28), Arrays.copyOfRange(b, 16, 28)), "fresh IV");
    }
}
