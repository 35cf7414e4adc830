package org.dtls4j.interop.real;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.PSKTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UDPTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.dtls4j.DtlsConfig;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionTickets;
import org.dtls4j.interop.real.LoopbackDriver.Dtls4jServer;
import org.dtls4j.testkit.BcPeers;
import org.junit.jupiter.api.Test;

/**
 * RFC 5077 session tickets with Bouncy Castle 1.79, both ways, over loopback UDP.
 *
 * <p>BC client, dtls4j server (no session cache): BC's DTLS client reads NewSessionTicket (it hands it to {@code TlsClient.notifyNewSessionTicket})
 * and sends whatever session_ticket extension the application puts in its ClientHello, but keeps no ticket
 * itself: the application stores it, and resumes by offering the ticket with a session it imports under a
 * session ID of its own making (RFC 5077 §3.4), which the server echoes. That is what this client does.
 *
 * <p>dtls4j client, BC server: see {@link TicketServer}; OpenSSL's s_server, which seals real tickets, is in
 * {@link OpenSslTicketInteropTest}.
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

    /**
     * A Bouncy Castle PSK server that issues tickets through BC's own hooks. BC 1.79 sends the NewSessionTicket
     * the application makes in its final flight (before its CCS) and acks session_ticket in ServerHello,
     * but has no ticket sealing or resumption from a ticket: this server's "ticket" is a random handle the
     * test maps back to the session, found in {@code processClientExtensions} (which BC calls before
     * {@code getSessionToResume}) and resumed under the session ID the client made up (RFC 5077 §3.4).
     */
    static final class TicketServer extends PSKTlsServer {
        final Map<String, SessionParameters> tickets;
        private byte[] offered;
        private byte[] issued;
        private boolean resuming;

        TicketServer(Map<String, SessionParameters> tickets) {
            super(new BcTlsCrypto(new SecureRandom()), BcPeers.pskIdentityManager(IDENTITY, PSK));
            this.tickets = tickets;
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
        @SuppressWarnings("rawtypes")
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            offered = clientExtensions == null ? null : (byte[]) clientExtensions.get(ExtensionType.session_ticket);
        }

        @Override
        public TlsSession getSessionToResume(byte[] sessionId) {
            SessionParameters p = offered == null || offered.length == 0 ? null
                    : tickets.get(org.bouncycastle.util.encoders.Hex.toHexString(offered));
            resuming = p != null && sessionId.length > 0;
            return resuming ? TlsUtils.importSession(sessionId, p) : null;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Hashtable getServerExtensions() throws IOException {
            Hashtable ext = super.getServerExtensions();
            if (offered != null && !resuming) {
                ext.put(ExtensionType.session_ticket, new byte[0]);
            }
            return ext;
        }

        /**
         * On resumption BC reuses the server extensions stored with the session, session_ticket ack
         * included, but sends NewSessionTicket in full handshakes only; an ack without the message would
         * leave the client waiting for it (RFC 5077 §3.2), so it is taken out here.
         */
        @Override
        @SuppressWarnings("rawtypes")
        public void getServerExtensionsForConnection(Hashtable serverExtensions) throws IOException {
            super.getServerExtensionsForConnection(serverExtensions);
            if (resuming) {
                serverExtensions.remove(ExtensionType.session_ticket);
            }
        }

        @Override
        public NewSessionTicket getNewSessionTicket() {
            issued = new byte[32];
            new SecureRandom().nextBytes(issued);
            return new NewSessionTicket(3600, issued);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            if (issued != null) {
                tickets.put(org.bouncycastle.util.encoders.Hex.toHexString(issued),
                        context.getSession().exportSessionParameters());
            }
        }
    }

    private static HandshakeResult connectTo(LoopbackDriver net, TicketServer bc, Session resume) throws Exception {
        DtlsConfig config = DtlsConfig.builder().cipherSuites(org.dtls4j.crypto.CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256)
                .pskIdentity(IDENTITY, PSK).offerSessionTickets(true).build();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            LoopbackDriver.Dtls4jClient client = resume == null
                    ? net.dtls4jClient(config, (InetSocketAddress) socket.getLocalSocketAddress())
                    : net.dtls4jClient(config, (InetSocketAddress) socket.getLocalSocketAddress(), resume);
            socket.connect(client.address());
            UDPTransport transport = new UDPTransport(socket, 1500);
            CompletableFuture<DTLSTransport> handshake = CompletableFuture.supplyAsync(() -> {
                try {
                    return new DTLSServerProtocol().accept(bc, transport);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, r -> {
                Thread t = new Thread(r, "bc-ticket-server");
                t.setDaemon(true);
                t.start();
            });
            client.start();
            net.runUntil(() -> handshake.isDone() && client.connection.isEstablished(), WAIT, "handshake");
            handshake.get(1, TimeUnit.SECONDS).close();
            return client.result();
        }
    }

    @Test
    void dtls4jClientResumesByTicketWithBcServer() throws Exception {
        Map<String, SessionParameters> tickets = new java.util.concurrent.ConcurrentHashMap<>();
        try (LoopbackDriver net = new LoopbackDriver()) {
            HandshakeResult first = connectTo(net, new TicketServer(tickets), null);
            assertFalse(first.resumed());
            assertNotNull(first.session().ticket(), "BC's NewSessionTicket reached our session");
            assertEquals(0, first.session().sessionId().length, "BC issued no session ID: only the ticket resumes");
            assertEquals(1, tickets.size());
            HandshakeResult second = connectTo(net, new TicketServer(tickets), first.session());
            assertTrue(second.resumed(), "BC resumed the session our ticket named");
        }
    }
}
