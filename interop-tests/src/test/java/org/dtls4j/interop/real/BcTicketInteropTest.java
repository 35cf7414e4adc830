package org.dtls4j.interop.real;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UDPTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.dtls4j.DtlsConfig;
import org.dtls4j.handshake.machine.SessionTickets;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jServer;
import org.junit.jupiter.api.Test;

/**
 * A Bouncy Castle client resuming by RFC 5077 ticket with a dtls4j server that keeps no session cache.
 *
 * <p>BC 1.79's DTLS client reads NewSessionTicket (it hands it to {@code TlsClient.notifyNewSessionTicket})
 * and sends whatever session_ticket extension the application puts in its ClientHello, but keeps no ticket
 * itself: the application stores it, and resumes by offering the ticket with a session it imports under a
 * session ID of its own making (RFC 5077 §3.4), which the server echoes. That is what this client does.
 * BC's DTLS server can send a NewSessionTicket the application makes ({@code TlsServer.getNewSessionTicket})
 * but has no ticket sealing or resumption from a ticket, so the other direction is covered with OpenSSL's
 * s_server instead ({@link OpenSslTicketInteropTest}).
 */
class BcTicketInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] IDENTITY = "client-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] PSK = new byte[16];

    /** A BC PSK client that asks for a ticket (or offers one) and records what it got. */
    static final class TicketClient extends PSKTlsClient {
        private final byte[] offeredTicket;
        private final TlsSession resume;
        volatile NewSessionTicket received;
        volatile SessionParameters parameters;
        volatile boolean resumed;

        TicketClient(byte[] offeredTicket, TlsSession resume) {
            super(new BcTlsCrypto(new SecureRandom()), new BasicTlsPSKIdentity(IDENTITY, PSK));
            this.offeredTicket = offeredTicket;
            this.resume = resume;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256};
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Hashtable getClientExtensions() throws IOException {
            Hashtable ext = super.getClientExtensions();
            if (ext == null) {
                ext = new Hashtable();
            }
            ext.put(ExtensionType.session_ticket, offeredTicket == null ? new byte[0] : offeredTicket);
            return ext;
        }

        @Override
        public TlsSession getSessionToResume() {
            return resume;
        }

        @Override
        public void notifyNewSessionTicket(NewSessionTicket ticket) {
            received = ticket;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            parameters = context.getSession().exportSessionParameters();
            resumed = context.getSecurityParametersConnection().isResumedSession();
        }
    }

    private static TicketClient connect(Dtls4jServer server, LoopbackDriver net, TicketClient bc, int handshakes)
            throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.connect(server.address());
            UDPTransport transport = new UDPTransport(socket, 1500);
            CompletableFuture<DTLSTransport> handshake = CompletableFuture.supplyAsync(() -> {
                try {
                    return new DTLSClientProtocol().connect(bc, transport);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, r -> {
                Thread t = new Thread(r, "bc-ticket-client");
                t.setDaemon(true);
                t.start();
            });
            net.runUntil(() -> handshake.isDone() && server.handshakes() == handshakes, WAIT, "handshake");
            handshake.get(1, TimeUnit.SECONDS).close();
            return bc;
        }
    }

    @Test
    void bcClientResumesByTicketWithDtls4jServer() throws Exception {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(org.dtls4j.crypto.CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256)
                .pskStore(id -> Arrays.equals(id, IDENTITY) ? PSK.clone() : null)
                .sessionTickets(SessionTickets.random(Duration.ofHours(1))).build();
        try (LoopbackDriver net = new LoopbackDriver()) {
            Dtls4jServer server = net.dtls4jServer(config);
            TicketClient first = connect(server, net, new TicketClient(null, null), 1);
            assertFalse(server.result().resumed());
            assertNotNull(first.received, "BC received our NewSessionTicket");
            byte[] ticket = first.received.getTicket();
            assertTrue(ticket.length > 0);

            byte[] sessionId = new byte[32];
            new SecureRandom().nextBytes(sessionId);
            TlsSession imported = TlsUtils.importSession(sessionId, first.parameters);
            TicketClient second = connect(server, net, new TicketClient(ticket, imported), 2);
            assertTrue(server.result().resumed(), "our server resumed from the ticket (it has no session cache)");
            assertTrue(second.resumed, "BC saw the abbreviated handshake");
            assertArrayEquals(IDENTITY, server.result().pskIdentity(), "the PSK identity came back from the ticket");
        }
    }
}
