package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtls4j.cookie.CookieResult;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.crypto.SecretPurpose;
import org.dtls4j.crypto.SharedSecret;
import org.dtls4j.crypto.SharedSecrets;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.SessionTickets;
import org.junit.jupiter.api.Test;

/** Two server nodes given one {@link SharedSecrets}: each verifies the other's cookies and resumes its tickets. */
class SharedSecretsNodesTest {
    private static final Duration PERIOD = Duration.ofMinutes(10);
    private static final long T0 = 1_800_000_000_000L;
    private final byte[] master = new byte[32];

    /** The client's second ClientHello, carrying the cookie {@code node} answered its first one with. */
    private static byte[] helloWithCookieFrom(CookieVerifier node) {
        ArrayDeque<byte[]> out = new ArrayDeque<>();
        DtlsConnection client = DtlsConnection.client(TestConfigs.pskClient().build(), Harness.SERVER_ADDRESS,
                (buf, off, len) -> out.add(java.util.Arrays.copyOfRange(buf, off, off + len)), new Recorder());
        client.start(0);
        byte[] first = out.poll();
        CookieResult r = node.verify(first, 0, first.length, Harness.CLIENT_ADDRESS, 0);
        byte[] hvr = assertInstanceOf(CookieResult.SendHelloVerifyRequest.class, r).toByteArray();
        client.receive(hvr, 0, hvr.length, 0);
        byte[] second = out.poll();
        assertNotNull(second);
        return second;
    }

    private static CookieResult verify(CookieVerifier node, byte[] hello) {
        return node.verify(hello, 0, hello.length, Harness.CLIENT_ADDRESS, 0);
    }

    @Test
    void aCookieFromOneNodeVerifiesOnTheOtherAcrossOneRotation() {
        SharedCookieSecrets a = new SharedCookieSecrets(SharedSecrets.derived(master, PERIOD));
        SharedCookieSecrets b = new SharedCookieSecrets(SharedSecrets.derived(master, PERIOD));
        CookieVerifier nodeA = a.newVerifier(T0);
        CookieVerifier nodeB = b.newVerifier(T0);
        byte[] hello = helloWithCookieFrom(nodeA);
        assertInstanceOf(CookieResult.Verified.class, verify(nodeB, hello));

        a.refresh(nodeA, T0 + PERIOD.toMillis());
        b.refresh(nodeB, T0 + PERIOD.toMillis());
        assertInstanceOf(CookieResult.Verified.class, verify(nodeB, hello), "previous period still accepted");
        byte[] fresh = helloWithCookieFrom(nodeB);
        assertInstanceOf(CookieResult.Verified.class, verify(nodeA, fresh));

        b.refresh(nodeB, T0 + 2 * PERIOD.toMillis());
        assertFalse(verify(nodeB, hello) instanceof CookieResult.Verified, "two periods on: rotated out");
    }

    @Test
    void refreshAsksTheSharedSourceOncePerMillisecondAndStillFollowsItsRotation() {
        SharedSecrets derived = SharedSecrets.derived(master, PERIOD);
        AtomicInteger asked = new AtomicInteger();
        SharedSecrets counting = new SharedSecrets() {
            @Override
            public List<SharedSecret> secrets(SecretPurpose purpose, long epochMillis) {
                asked.incrementAndGet();
                return derived.secrets(purpose, epochMillis);
            }

            @Override
            public Duration rotationPeriod() {
                return PERIOD;
            }
        };
        SharedCookieSecrets a = new SharedCookieSecrets(counting);
        CookieVerifier nodeA = a.newVerifier(T0);
        CookieVerifier nodeB = new SharedCookieSecrets(derived).newVerifier(T0 + 2 * PERIOD.toMillis());
        assertEquals(1, asked.get());

        a.refresh(nodeA, T0); // the worker loop's turns within one millisecond: the source's lock is not taken
        a.refresh(nodeA, T0);
        assertEquals(1, asked.get());
        a.refresh(nodeA, T0 + 1);
        assertEquals(2, asked.get());

        byte[] fromB = helloWithCookieFrom(nodeB);
        assertFalse(verify(nodeA, fromB) instanceof CookieResult.Verified, "B is two periods ahead");
        a.refresh(nodeA, T0 + 2 * PERIOD.toMillis());
        a.refresh(nodeA, T0 + 2 * PERIOD.toMillis());
        assertEquals(3, asked.get());
        assertInstanceOf(CookieResult.Verified.class, verify(nodeA, fromB), "A followed the rotation");
    }

    @Test
    void aCookieFromAnotherSecretSourceIsRefused() {
        byte[] other = new byte[32];
        other[31] = 9;
        CookieVerifier nodeA = new SharedCookieSecrets(SharedSecrets.derived(master, PERIOD)).newVerifier(T0);
        CookieVerifier nodeB = new SharedCookieSecrets(SharedSecrets.derived(other, PERIOD)).newVerifier(T0);
        assertFalse(verify(nodeB, helloWithCookieFrom(nodeA)) instanceof CookieResult.Verified);
    }

    @Test
    void aClientResumesOnAnotherNodeByTicket() {
        SharedSecrets secrets = SharedSecrets.derived(master, PERIOD);
        DtlsConfig client = TestConfigs.pskClient().offerSessionTickets(true).build();
        Harness nodeA = new Harness(client, TestConfigs.pskServer().sessionTickets(SessionTickets.create(secrets)).build())
                .start();
        assertTrue(nodeA.handshake());
        HandshakeResult first = nodeA.clientEvents.completed.get(0);
        assertFalse(first.resumed());
        assertNotNull(first.session().ticket());

        Harness nodeB = new Harness(client, TestConfigs.pskServer().sessionTickets(SessionTickets.create(secrets)).build());
        Recorder events = new Recorder();
        nodeB.newClient(first.session(), events).start(nodeB.now);
        assertTrue(nodeB.runUntil(() -> events.isComplete() && nodeB.serverEvents.isComplete()));
        assertTrue(events.completed.get(0).resumed());
        assertTrue(nodeB.serverEvents.completed.get(0).resumed());
    }
}
