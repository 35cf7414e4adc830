package org.dtls4j.cookie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.dtls4j.cookie.CookieResult.SendHelloVerifyRequest;
import org.dtls4j.cookie.CookieResult.Verified;
import org.junit.jupiter.api.Test;

/**
 * A real peer: Bouncy Castle's DTLS 1.2 client against a tiny server made of our verifier. The client's
 * first ClientHello gets our HelloVerifyRequest; its second carries our cookie and verifies. The test
 * stops there: the handshake proper belongs to the handshake module.
 */
class BouncyCastleClientInteropTest {
    static final byte[] CLIENT_ADDRESS = {(byte) 198, 51, 100, 7};
    static final int CLIENT_PORT = 50123;
    static final long WAIT_SECONDS = 20;

    /** An in-memory datagram link: what the client sends lands in {@code toServer}. */
    static final class QueueTransport implements DatagramTransport {
        final BlockingQueue<byte[]> toServer = new LinkedBlockingQueue<>();
        final BlockingQueue<byte[]> toClient = new LinkedBlockingQueue<>();
        volatile boolean closed;

        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1500;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (closed) {
                throw new IOException("transport closed");
            }
            byte[] d;
            try {
                d = toClient.poll(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (closed) {
                throw new IOException("transport closed");
            }
            if (d == null) {
                return -1;
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("transport closed");
            }
            toServer.add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void close() {
            closed = true;
            // Wakes a receive that is waiting.
            toClient.add(new byte[0]);
        }
    }

    static byte[] nextFromClient(QueueTransport t) throws InterruptedException {
        byte[] d = t.toServer.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(d, "Bouncy Castle client sent nothing within " + WAIT_SECONDS + " s");
        return d;
    }

    @Test
    void bouncyCastleClientRepeatsClientHelloWithOurCookieAndItVerifies() throws Exception {
        CookieVerifier verifier = CookieVerifier.builder().rotationPeriod(Duration.ZERO).build();
        QueueTransport transport = new QueueTransport();
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        PSKTlsClient client = new PSKTlsClient(crypto, new BasicTlsPSKIdentity("client",
                "0123456789abcdef".getBytes(StandardCharsets.US_ASCII))) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.DTLSv12.only();
            }
        };
        AtomicReference<Throwable> clientFailure = new AtomicReference<>();
        Thread bc = new Thread(() -> {
            try {
                new DTLSClientProtocol().connect(client, transport);
            } catch (Throwable t) {
                clientFailure.set(t);
            }
        }, "bc-dtls-client");
        bc.setDaemon(true);
        bc.start();
        try {
            byte[] first = nextFromClient(transport);
            CookieResult r1 = verifier.verify(first, 0, first.length, CLIENT_ADDRESS, CLIENT_PORT, 0);
            SendHelloVerifyRequest hvr = assertInstanceOf(SendHelloVerifyRequest.class, r1);
            transport.toClient.add(hvr.toByteArray());

            AtomicReference<byte[]> secondDatagram = new AtomicReference<>();
            Verified verified = awaitVerified(verifier, transport, secondDatagram);

            assertArrayEquals(Arrays.copyOfRange(first, 27, 59), verified.random(), "same random as ClientHello 1");
            assertArrayEquals(Arrays.copyOfRange(hvr.toByteArray(), 28, hvr.length()), verified.cookie());
            assertEquals(1, verified.messageSeq(), "second ClientHello is the client's message 1");

            byte[] replay = secondDatagram.get();
            assertEquals(0xfe, replay[1] & 0xff, "a DTLS record version");
            assertInstanceOf(Verified.class, verifier.verify(replay, 0, replay.length, CLIENT_ADDRESS, CLIENT_PORT, 0));
            assertInstanceOf(SendHelloVerifyRequest.class,
                    verifier.verify(replay, 0, replay.length, CLIENT_ADDRESS, CLIENT_PORT + 1, 0));
            assertInstanceOf(SendHelloVerifyRequest.class,
                    verifier.verify(replay, 0, replay.length, new byte[] {(byte) 198, 51, 100, 8}, CLIENT_PORT, 0));
        } finally {
            transport.close();
            bc.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        assertFalse(bc.isAlive(), "Bouncy Castle client thread ended after the transport closed");
        assertNotNull(clientFailure.get(), "client cannot finish a handshake with no server behind the verifier");
    }

    /** Reads client datagrams (retransmissions of ClientHello 1 get answered again) until one verifies. */
    static Verified awaitVerified(CookieVerifier verifier, QueueTransport transport, AtomicReference<byte[]> datagram)
            throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            byte[] d = nextFromClient(transport);
            CookieResult r = verifier.verify(d, 0, d.length, CLIENT_ADDRESS, CLIENT_PORT, 0);
            if (r instanceof Verified v) {
                datagram.set(d);
                return v;
            }
            if (r instanceof SendHelloVerifyRequest s) {
                transport.toClient.add(s.toByteArray());
            }
        }
        fail("no ClientHello with our cookie in 10 datagrams");
        return null;
    }
}
