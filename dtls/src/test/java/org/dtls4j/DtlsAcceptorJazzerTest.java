package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.dtls4j.cookie.CookieResult;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.testkit.FuzzInput;
import org.dtls4j.testkit.FuzzSeeds;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jazzer target for a whole {@link DtlsAcceptor} (docs/fuzzing.md), fed datagram sequences that start
 * from a recorded, valid handshake (PSK or ECDHE_ECDSA) so the fuzzer gets past the cookie.
 *
 * <p>Replay needs a server that answers exactly as it did when the seed was recorded: a fixed cookie
 * secret, a fixed clock, a {@code SHA1PRNG} seeded with a constant (deterministic in the SUN provider) as
 * the config's {@link SecureRandom} (server random, session id, ECDHE key and ECDSA nonce), and the
 * ECDSA key and certificate committed next to the seeds ({@code fuzz-server-ec.*}). {@link #writeSeeds}
 * records new seeds (run with {@code -Ddtls4j.writeSeeds=1}); {@link #recordedHandshakeStillCompletes}
 * fails when a change to the handshake makes the recorded ones stale.
 *
 * <p>Input: a mode byte (bit 0: ECDHE_ECDSA instead of PSK; bit 1: connections rest after 1 s quiet and the
 * idle limits run, {@link DtlsAcceptor#restAfter}), then steps {@code [control u8][u16
 * length][datagram]}. Control bit 0 sends the datagram from a second address; bits 1-2 move the clock by
 * 0, 0.1 s, 1.5 s or 120 s first and run the timers that are due.
 *
 * <p>Properties, after every step: {@code receive} and {@code onTimeout} return normally (anything thrown
 * is a finding; the harness catches nothing); an address that never sent a ClientHello with a valid
 * cookie (judged by a second verifier with the same secret) has no connection, no pending connection,
 * and has been sent nothing but HelloVerifyRequests; the connection and half-open counts stay within the
 * acceptor's caps.
 */
class DtlsAcceptorJazzerTest {
    static final InetSocketAddress CLIENT_A = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001);
    static final InetSocketAddress CLIENT_B = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40002);
    static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4433);
    static final byte[] COOKIE_SECRET = "dtls4j fuzzing cookie secret 32b".getBytes(StandardCharsets.US_ASCII);
    static final long START = 1_000_000_000L;
    static final long[] CLOCK_STEPS = {0, 100_000_000L, 1_500_000_000L, 120_000_000_000L};
    static final int FROM_B = 1;
    static final int MODE_ECDSA = 1;
    /** Mode bit 1: connections rest after 1 s quiet, and the idle limits run (60 s, 30 s half-open). */
    static final int MODE_REST = 2;
    static final int MAX_CONNECTIONS = 4;
    static final String KEY_FILE = "fuzz-server-ec.pk8";
    static final String CERT_FILE = "fuzz-server-ec.crt";

    private static TestPki.Identity ecIdentity;

    /** The committed ECDSA server identity the ECDHE seeds were recorded with. */
    static synchronized TestPki.Identity ecIdentity() {
        if (ecIdentity == null) {
            try (InputStream key = resource(KEY_FILE); InputStream cert = resource(CERT_FILE)) {
                PrivateKey k = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key.readAllBytes()));
                X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(cert);
                ecIdentity = new TestPki.Identity(k, List.of(c));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return ecIdentity;
    }

    private static InputStream resource(String name) {
        return Objects.requireNonNull(DtlsAcceptorJazzerTest.class.getResourceAsStream(name), name);
    }

    /** A SecureRandom that gives the same bytes on every run, so a recorded client flight still fits. */
    static SecureRandom fixedRandom() {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG", "SUN");
            r.setSeed(0x64746c73346aL);
            return r;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static DtlsConfig serverConfig(int mode, TestPki.Identity ec) {
        DtlsConfig.Builder b = (mode & MODE_ECDSA) != 0 ? TestConfigs.certServer(ec) : TestConfigs.pskServer();
        return b.secureRandom(fixedRandom()).build();
    }

    static CookieVerifier cookieVerifier() {
        return CookieVerifier.builder().secrets(COOKIE_SECRET, null).build();
    }

    /** The acceptor under test, with the oracle that says which addresses earned state. */
    static final class Server {
        final DtlsAcceptor acceptor;
        final CookieVerifier oracle = cookieVerifier();
        final Set<InetSocketAddress> verified = new HashSet<>();
        final ArrayDeque<byte[]> toA = new ArrayDeque<>();
        final int helloVerifyRequestLength;
        long now = START;

        Server(int mode, TestPki.Identity ec) {
            CookieVerifier verifier = cookieVerifier();
            helloVerifyRequestLength = verifier.helloVerifyRequestLength();
            acceptor = new DtlsAcceptor(serverConfig(mode, ec), verifier, this::sent, new EchoListener(),
                    MAX_CONNECTIONS, MAX_CONNECTIONS);
            if ((mode & MODE_REST) != 0) {
                acceptor.restAfter(1_000_000_000L);
                acceptor.idleTimeouts(60_000_000_000L, 30_000_000_000L);
            }
        }

        private void sent(byte[] buf, int off, int len, InetSocketAddress peer) {
            if (!verified.contains(peer)) {
                assertTrue(len == helloVerifyRequestLength && buf[off + 13] == 3,
                        () -> "sent " + len + " bytes that are not a HelloVerifyRequest to " + peer
                                + ", which never echoed a valid cookie");
            }
            if (peer.equals(CLIENT_A)) {
                toA.add(java.util.Arrays.copyOfRange(buf, off, off + len));
            }
        }

        /** One step: move the clock, run due timers, deliver the datagram, check the properties. */
        void step(int control, byte[] datagram) {
            long advance = CLOCK_STEPS[control >> 1 & 3];
            if (advance > 0) {
                now += advance;
                if (acceptor.nextTimeoutNanos() <= now) {
                    acceptor.onTimeout(now);
                }
            }
            InetSocketAddress from = (control & FROM_B) != 0 ? CLIENT_B : CLIENT_A;
            if (oracle.verify(datagram, 0, datagram.length, from, now) instanceof CookieResult.Verified) {
                verified.add(from);
            }
            acceptor.receive(datagram, 0, datagram.length, from, now);
            checkInvariants();
        }

        void checkInvariants() {
            for (InetSocketAddress peer : List.of(CLIENT_A, CLIENT_B)) {
                if (!verified.contains(peer)) {
                    // holds(), not connection(): a look-up would wake a connection at rest and hide that path.
                    assertFalse(acceptor.holds(peer), () -> "state for " + peer + " without a valid cookie");
                }
            }
            assertTrue(acceptor.connectionCount() <= Math.min(MAX_CONNECTIONS, 2 * verified.size()),
                    () -> acceptor.connectionCount() + " connections");
            assertTrue(acceptor.halfOpenCount() >= 0 && acceptor.halfOpenCount() <= MAX_CONNECTIONS,
                    () -> acceptor.halfOpenCount() + " half-open");
        }
    }

    /** Echoes application data, as {@code dtls server} does, so the send path runs too. */
    static final class EchoListener implements DtlsListener {
        @Override
        public void onHandshakeComplete(DtlsConnection c, org.dtls4j.handshake.session.HandshakeResult result) {
        }

        @Override
        public void onApplicationData(DtlsConnection c, byte[] buf, int off, int len) {
            if (c.isEstablished()) {
                c.send(buf, off, len, 0);
            }
        }

        @Override
        public void onAlert(DtlsConnection c, org.dtls4j.wire.AlertLevel level, org.dtls4j.wire.AlertDescription d) {
        }

        @Override
        public void onClosed(DtlsConnection c, org.dtls4j.wire.DtlsException cause) {
        }
    }

    @FuzzTest(maxDuration = "5m")
    void acceptDatagramSequences(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        int mode = in.u8();
        Server server = new Server(mode, (mode & MODE_ECDSA) != 0 ? ecIdentity() : null);
        while (in.hasRemaining()) {
            int control = in.u8();
            server.step(control, in.chunk());
        }
    }

    // ---------------------------------------------------------------- recorded seeds

    static final String METHOD = "acceptDatagramSequences";
    static final String[] SEEDS = {"psk-handshake-echo-close", "ecdhe-ecdsa-handshake-echo-close"};

    /**
     * The seed that puts a connection to rest: the PSK recording with connections resting after 1 s, and the
     * clock moved 1.5 s before the client's close_notify, which therefore wakes the connection it closes.
     */
    @Test
    void theRestSeedRestsAndWakesTheConnection() throws IOException {
        byte[] seed;
        try (InputStream s = resource("DtlsAcceptorJazzerTestInputs/" + METHOD + "/psk-handshake-echo-rest-close")) {
            seed = s.readAllBytes();
        }
        FuzzInput in = new FuzzInput(seed);
        Server server = new Server(in.u8(), null);
        while (in.hasRemaining()) {
            server.step(in.u8(), in.chunk());
        }
        assertEquals(1, server.acceptor.rests());
        assertEquals(1, server.acceptor.wakes(), "the close_notify woke it");
        assertEquals(0, server.acceptor.connectionCount(), "and closed it");
        assertTrue(server.toA.stream().anyMatch(d -> d[0] == 21), "the woken connection answered close_notify");
    }

    /** The recorded handshakes still complete: the seeds take the fuzzer past the cookie and the Finished. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void recordedHandshakeStillCompletes(int index) throws IOException {
        byte[] seed;
        try (InputStream s = resource("DtlsAcceptorJazzerTestInputs/" + METHOD + "/" + SEEDS[index])) {
            seed = s.readAllBytes();
        }
        FuzzInput in = new FuzzInput(seed);
        int mode = in.u8();
        assertEquals(index, mode & MODE_ECDSA);
        Server server = new Server(mode, index == 1 ? ecIdentity() : null);
        boolean established = false;
        while (in.hasRemaining()) {
            server.step(in.u8(), in.chunk());
            DtlsConnection c = server.acceptor.connection(CLIENT_A);
            established |= c != null && c.isEstablished();
        }
        assertTrue(established, "the recorded client never completed the handshake with the replaying server");
        assertTrue(server.toA.stream().anyMatch(d -> d[0] == 23), "no echoed application data");
    }

    @Test
    @EnabledIfSystemProperty(named = FuzzSeeds.PROPERTY, matches = ".+")
    void writeSeeds() throws IOException, NoSuchAlgorithmException {
        TestPki.Identity ec = TestPki.selfSigned(TestPki.KeyType.EC_P256, TestConfigs.HOST);
        ecIdentity = ec;
        Path dir = FuzzSeeds.directory(getClass(), METHOD).getParent().getParent();
        Files.createDirectories(dir);
        Files.write(dir.resolve(KEY_FILE), ec.key().getEncoded());
        try {
            Files.write(dir.resolve(CERT_FILE), ec.leaf().getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        byte[] psk = record(0, TestConfigs.pskClient().build(), null);
        FuzzSeeds.write(getClass(), METHOD, SEEDS[0], psk);
        FuzzSeeds.write(getClass(), METHOD, "regression-client-hello-in-record-2to48-minus-1",
                withSecondHelloSequence(psk, 0xff));
        FuzzSeeds.write(getClass(), METHOD, SEEDS[1], record(MODE_ECDSA,
                TestConfigs.certClient(ec).build(), ec));
    }

    /**
     * The PSK recording with the cookie-bearing ClientHello's record sequence number set to all
     * {@code fill} bytes (the cookie does not cover the record header). Found by this target: 2^48-1 made
     * the server throw before the verifier refused it ({@link org.dtls4j.cookie.DropReason#NO_SEQUENCE_ROOM}).
     */
    static byte[] withSecondHelloSequence(byte[] seed, int fill) {
        byte[] out = seed.clone();
        int firstLength = (out[2] & 0xff) << 8 | out[3] & 0xff;
        int secondDatagram = 1 + 3 + firstLength + 3;
        java.util.Arrays.fill(out, secondDatagram + 5, secondDatagram + 11, (byte) fill);
        return out;
    }

    /** Runs a real client against the target's server and returns the client's datagrams as a seed. */
    private static byte[] record(int mode, DtlsConfig clientConfig, TestPki.Identity ec) {
        Server server = new Server(mode, ec);
        List<byte[]> fromClient = new ArrayList<>();
        Recorder events = new Recorder();
        DtlsConnection client = DtlsConnection.client(clientConfig, SERVER,
                (buf, off, len) -> fromClient.add(java.util.Arrays.copyOfRange(buf, off, off + len)), events);
        Writer seed = new Writer().u8(mode);
        client.start(server.now);
        boolean echoed = false;
        for (int round = 0; round < 20 && !client.isClosed(); round++) {
            for (byte[] d : fromClient) {
                seed.u8(0).opaque16(d);
                server.step(0, d);
            }
            fromClient.clear();
            while (!server.toA.isEmpty()) {
                byte[] d = server.toA.poll();
                client.receive(d, 0, d.length, server.now);
            }
            if (client.isEstablished() && !echoed) {
                client.send("ping".getBytes(StandardCharsets.US_ASCII), server.now);
                echoed = true;
            } else if (client.isEstablished() && !events.data.isEmpty()) {
                client.close(server.now);
            }
        }
        for (byte[] d : fromClient) {
            seed.u8(0).opaque16(d);
        }
        assertTrue(events.isComplete(), "the recording client completed its handshake");
        assertNotNull(events.data.isEmpty() ? null : events.data.get(0), "the server echoed");
        return seed.toByteArray();
    }
}
