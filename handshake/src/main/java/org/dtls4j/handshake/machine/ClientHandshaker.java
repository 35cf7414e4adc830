package org.dtls4j.handshake.machine;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.EcdheKeyPair;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.crypto.KeySchedule;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.PskPremaster;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.handshake.FlightMessage;
import org.dtls4j.handshake.auth.PskIdentity;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.handshake.RawMessage;
import org.dtls4j.handshake.message.ApplicationProtocols;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.Certificate;
import org.dtls4j.handshake.message.CertificateType;
import org.dtls4j.handshake.message.CertificateRequest;
import org.dtls4j.handshake.message.CertificateVerify;
import org.dtls4j.handshake.message.ClientHello;
import org.dtls4j.handshake.message.EcdheClientKeyExchange;
import org.dtls4j.handshake.message.EcdhePskClientKeyExchange;
import org.dtls4j.handshake.message.EcdhePskServerKeyExchange;
import org.dtls4j.handshake.message.EcdheServerKeyExchange;
import org.dtls4j.handshake.message.Extension;
import org.dtls4j.handshake.message.ExtensionData;
import org.dtls4j.handshake.message.ExtensionType;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.handshake.message.Finished;
import org.dtls4j.handshake.message.HandshakeMessage;
import org.dtls4j.handshake.message.HelloVerifyRequest;
import org.dtls4j.handshake.message.PskClientKeyExchange;
import org.dtls4j.handshake.message.PskServerKeyExchange;
import org.dtls4j.handshake.message.RawPublicKeyCertificate;
import org.dtls4j.handshake.message.ServerEcdhParams;
import org.dtls4j.handshake.message.ServerHello;
import org.dtls4j.handshake.message.ServerHelloDone;
import org.dtls4j.handshake.message.NewSessionTicket;
import org.dtls4j.handshake.message.SessionTicket;
import java.util.function.ToIntBiFunction;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;

/**
 * The client side of a DTLS 1.2 handshake (RFC 6347 §4.2.4, RFC 5246 §7.3):
 * <pre>
 *   ClientHello            --------&gt;
 *                          &lt;--------   HelloVerifyRequest (optional, cookie)
 *   ClientHello (cookie)   --------&gt;
 *                                         ServerHello
 *                                         Certificate*, ServerKeyExchange*
 *                                         CertificateRequest*
 *                          &lt;--------     ServerHelloDone
 *   Certificate*, ClientKeyExchange
 *   CertificateVerify*, [ChangeCipherSpec]
 *   Finished               --------&gt;
 *                                         [ChangeCipherSpec]
 *                          &lt;--------     Finished
 * </pre>
 * and, resuming a session, ServerHello [CCS] Finished from the server before the client's [CCS] Finished.
 * Each state is a record naming what it expects; a message it does not expect is unexpected_message.
 */
public final class ClientHandshaker extends Handshaker {
    /** A server may repeat HelloVerifyRequest (RFC 6347 §4.2.1), but not forever. */
    private static final int MAX_HELLO_VERIFY_REQUESTS = 3;

    /**
     * What the client waits for. {@link #onMessage} gates every message through {@link #expects} first, so
     * a message a state does not wait for has one answer, unexpected_message; {@link #handle} then makes
     * the one call that processes it. Each state holds only what is valid while it lasts.
     */
    private sealed interface State permits AwaitHello, AwaitCertificate, AwaitServerKeyExchange,
            AwaitCertificateRequestOrDone, AwaitServerHelloDone, AwaitChangeCipherSpec, AwaitFinished, Established {
        /** {@return whether this state takes a message of this type now} */
        boolean expects(int msgType);

        /** Processes a message {@link #expects} took. */
        void handle(ClientHandshaker c, RawMessage m, long nowNanos) throws DtlsException;

        /** The server's ChangeCipherSpec: only the state that waits for it changes keys. */
        default void onChangeCipherSpec(ClientHandshaker c) {
            c.droppedEarlyChangeCipherSpec(getClass().getSimpleName());
        }
    }

    private record AwaitHello(byte[] clientRandom, ClientHello hello, int verifyRequests) implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.HELLO_VERIFY_REQUEST || type == HandshakeType.SERVER_HELLO;
        }

        @Override
        public void handle(ClientHandshaker c, RawMessage m, long nowNanos) throws DtlsException {
            if (m.msgType() == HandshakeType.HELLO_VERIFY_REQUEST) {
                c.onHelloVerifyRequest(this, (HelloVerifyRequest) decode(m), nowNanos);
            } else {
                c.onServerHello(this, m);
            }
        }
    }

    private record AwaitCertificate(Negotiated n) implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.CERTIFICATE;
        }

        @Override
        public void handle(ClientHandshaker c, RawMessage m, long nowNanos) throws DtlsException {
            c.onCertificate(this, m);
        }
    }

    /** @param server the server's accepted certificate chain or raw key; none for a PSK suite */
    private record AwaitServerKeyExchange(Negotiated n, PeerCredential server) implements State {
        @Override
        public boolean expects(int type) {
            // RFC 4279 §2: with no identity hint, a PSK server sends no ServerKeyExchange.
            return type == HandshakeType.SERVER_KEY_EXCHANGE
                    || type == HandshakeType.SERVER_HELLO_DONE && n.keyExchange() == KeyExchange.PSK;
        }

        @Override
        public void handle(ClientHandshaker c, RawMessage m, long nowNanos) throws DtlsException {
            if (m.msgType() == HandshakeType.SERVER_KEY_EXCHANGE) {
                c.onServerKeyExchange(this, m);
            } else {
                c.onServerHelloDone(n, server, null, null, m, nowNanos);
            }
        }
    }

    /** @param serverShare the server's ECDHE group and point, or null for plain PSK */
    private record AwaitCertificateRequestOrDone(Negotiated n, PeerCredential server,
                                                 ServerEcdhParams serverShare, SignatureVerified signature)
            implements State {
        /** A certificate key exchange reaches this state only through a verified ServerKeyExchange signature. */
        AwaitCertificateRequestOrDone {
            if (n.keyExchange().usesCertificate() && signature == null) {
                throw new IllegalStateException("ServerKeyExchange signature not verified");
            }
        }

        @Override
        public boolean expects(int type) {
            return type == HandshakeType.CERTIFICATE_REQUEST && n.keyExchange().usesCertificate()
                    || type == HandshakeType.SERVER_HELLO_DONE;
        }

        @Override
        public void handle(ClientHandshaker c, RawMessage m, long nowNanos) throws DtlsException {
            if (m.msgType() == HandshakeType.CERTIFICATE_REQUEST) {
                c.onCertificateRequest(this, m);
            } else {
                c.onServerHelloDone(n, server, serverShare, null, m, nowNanos);
            }
        }
    }

    private record AwaitServerHelloDone(Negotiated n, PeerCredential server, ServerEcdhParams serverShare,
                                        CertificateRequest request) implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.SERVER_HELLO_DONE;
        }

        @Override
        public void handle(ClientHandshaker c, RawMessage m, long nowNanos) throws DtlsException {
            c.onServerHelloDone(n, server, serverShare, request, m, nowNanos);
        }
    }

    /** @param ticket the server's NewSessionTicket once it arrived, else null */
    private record AwaitChangeCipherSpec(Negotiated n, byte[] masterSecret, NextKeys keys, PeerCredential server,
                                         boolean resumed, NewSessionTicket ticket) implements State {
        /** The ServerHello promised a NewSessionTicket before the CCS (RFC 5077 §3.3) and it has not come. */
        boolean awaitsTicket() {
            return n.sessionTicket() && ticket == null;
        }

        @Override
        public boolean expects(int type) {
            return type == HandshakeType.NEW_SESSION_TICKET && awaitsTicket();
        }

        @Override
        public void handle(ClientHandshaker c, RawMessage m, long nowNanos) throws DtlsException {
            c.onNewSessionTicket(this, m);
        }

        @Override
        public void onChangeCipherSpec(ClientHandshaker c) {
            if (awaitsTicket()) {
                // The promised NewSessionTicket precedes the CCS: this one overtook it.
                c.droppedEarlyChangeCipherSpec("AwaitNewSessionTicket");
            } else {
                c.onChangeCipherSpec(this);
            }
        }
    }

    private record AwaitFinished(Negotiated n, byte[] masterSecret, NextKeys keys, PeerCredential server,
                                 boolean resumed, NewSessionTicket ticket) implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.FINISHED;
        }

        @Override
        public void handle(ClientHandshaker c, RawMessage m, long nowNanos) throws DtlsException {
            c.onFinished(this, m, nowNanos);
        }
    }

    private record Established(FinishedVerified proof, HandshakeResult result) implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.HELLO_REQUEST;
        }

        @Override
        public void handle(ClientHandshaker c, RawMessage m, long nowNanos) throws DtlsException {
            // RFC 5746 and our policy: no renegotiation, refused politely; the connection goes on.
            decode(m);
            c.step(new HandshakeStep.WarningAlert(AlertDescription.NO_RENEGOTIATION));
        }

        @Override
        public void onChangeCipherSpec(ClientHandshaker c) {
            // A retransmitted CCS after the handshake: the epoch has already changed.
        }
    }

    private final Session resume;
    /** Why the session handed in is not offered, for the trace at start; null when it is (or none was). */
    private final String notOffered;
    /**
     * What a fatal alert invalidates: the offered session until a ServerHello declines it, then the session
     * this handshake established.
     */
    private Session atStake;
    private State state;

    /**
     * @param settings the configuration
     * @param recordOverhead the connection's rule for a record's overhead given its sealing cipher (null in
     *     epoch 0), so flights fit the datagram budget
     * @param resume a session to offer for resumption, or null for a full handshake; it is offered only
     *     when it is still resumable, was made for this configuration's server_name (RFC 6066 §3), and used
     *     extended master secret unless the settings accept legacy peers (RFC 7627 §5.3: SHOULD NOT offer)
     */
    public ClientHandshaker(HandshakeSettings settings, ToIntBiFunction<RecordCipher, byte[]> recordOverhead, Session resume) {
        super(settings, recordOverhead, 0);
        this.notOffered = resume == null ? null : whyNotOffered(resume, settings);
        this.resume = resume != null && notOffered == null ? resume : null;
        this.atStake = this.resume;
    }

    private static String whyNotOffered(Session s, HandshakeSettings settings) {
        if (!s.isResumable()) {
            return "session " + s + " is not resumable (invalidated, destroyed or without an ID)";
        }
        if (!s.matchesServerName(settings.serverName())) {
            return "session made for server_name " + s.serverName() + " not offered to " + settings.serverName();
        }
        if (!s.extendedMasterSecret() && settings.requireExtendedMasterSecret()) {
            return "session made without extended master secret not offered";
        }
        return null;
    }

    @Override
    void invalidate() {
        Session s = atStake;
        if (s != null) {
            s.invalidate();
            trace("session " + s + " invalidated after a fatal alert");
        }
    }

    @Override
    void begin(long nowNanos) throws DtlsException {
        if (state != null) {
            throw new IllegalStateException("already started");
        }
        byte[] random = new byte[KeySchedule.RANDOM_LENGTH];
        settings.secureRandom().nextBytes(random);
        if (notOffered != null) {
            trace(notOffered + ": full handshake");
        }
        // The session ID offered: the resumed session's, or one made up to go with a ticket (RFC 5077 §3.4).
        byte[] offeredSessionId = new byte[0];
        if (resume != null && resume.sessionId().length > 0) {
            offeredSessionId = resume.sessionId();
        } else if (resume != null) {
            offeredSessionId = new byte[32];
            settings.secureRandom().nextBytes(offeredSessionId);
        }
        ClientHello hello = clientHello(random, Bytes.of(offeredSessionId), Bytes.EMPTY);
        state = new AwaitHello(random, hello, 0);
        sendFlight(List.of(message(0, hello)), true, nowNanos);
    }

    @Override
    public boolean isEstablished() {
        return state instanceof Established;
    }

    @Override
    public HandshakeResult result() {
        if (state instanceof Established e) {
            return e.result();
        }
        throw new IllegalStateException("handshake not complete");
    }

    private ClientHello clientHello(byte[] random, Bytes sessionId, Bytes cookie) {
        List<Integer> suites = new ArrayList<>();
        boolean ecdhe = false;
        boolean certificates = false;
        boolean cbc = false;
        for (CipherSuite s : settings.cipherSuites()) {
            if (!s.isNegotiable() || (s.keyExchange().usesPsk() && settings.pskIdentity() == null)) {
                continue;
            }
            suites.add(s.code());
            cbc |= s.isCbc();
            ecdhe |= s.keyExchange().usesEcdhe();
            certificates |= s.keyExchange().usesCertificate();
        }
        List<ExtensionData> ext = new ArrayList<>();
        if (settings.serverName() != null && !settings.serverName().isEmpty()
                && !PeerCertificates.isIpLiteral(settings.serverName())) {
            ext.add(org.dtls4j.handshake.message.ServerName.ofHostName(settings.serverName()));
        }
        if (ecdhe) {
            ext.add(new org.dtls4j.handshake.message.SupportedGroups(
                    settings.namedGroups().stream().map(NamedGroup::code).toList()));
            ext.add(new org.dtls4j.handshake.message.EcPointFormats(List.of(0)));
        }
        if (certificates) {
            ext.add(new org.dtls4j.handshake.message.SignatureAlgorithms(
                    settings.signatureSchemes().stream().map(SignatureScheme::code).toList()));
            ext.addAll(RawPublicKeys.clientOffers(settings));
        }
        ext.add(new org.dtls4j.handshake.message.ExtendedMasterSecret());
        if (cbc) {
            ext.add(new org.dtls4j.handshake.message.EncryptThenMac());
        }
        ext.add(new org.dtls4j.handshake.message.RenegotiationInfo(Bytes.EMPTY));
        if (!settings.applicationProtocols().isEmpty()) {
            ext.add(ApplicationProtocols.of(settings.applicationProtocols().toArray(new String[0])));
        }
        if (settings.recordSizeLimit() > 0) {
            ext.add(new org.dtls4j.handshake.message.RecordSizeLimit(settings.recordSizeLimit()));
        }
        ExtensionData srtp = SrtpNegotiation.offer(settings);
        if (srtp != null) {
            ext.add(srtp);
        }
        ExtensionData cid = connectionIds.offer();
        if (cid != null) {
            ext.add(cid);
        }
        byte[] ticket = resume != null ? resume.ticket() : null;
        if (ticket != null) {
            ext.add(new SessionTicket(Bytes.of(ticket)));
        } else if (settings.offerSessionTickets()) {
            ext.add(SessionTicket.EMPTY);
        }
        return new ClientHello(ProtocolVersion.DTLS_1_2, Bytes.of(random), sessionId, cookie, suites, List.of(0),
                Optional.of(Extensions.of(ext.toArray(new ExtensionData[0]))));
    }

    @Override
    void onMessage(RawMessage m, long nowNanos) throws DtlsException {
        State s = state;
        if (!s.expects(m.msgType())) {
            throw unexpected(s.getClass().getSimpleName(), m.msgType());
        }
        s.handle(this, m, nowNanos);
    }

    private void onHelloVerifyRequest(AwaitHello h, HelloVerifyRequest hvr, long nowNanos) throws DtlsException {
        if (h.verifyRequests() >= MAX_HELLO_VERIFY_REQUESTS) {
            throw new DtlsException(AlertDescription.UNEXPECTED_MESSAGE, "too many HelloVerifyRequests");
        }
        // RFC 6347 §4.2.1: the exchange is left out of the transcript; the second ClientHello starts it.
        transcript.restartAfterHelloVerifyRequest();
        // The same hello with the cookie added (RFC 6347 §4.2.1), not rebuilt from the settings.
        ClientHello again = h.hello().withCookie(hvr.cookie());
        state = new AwaitHello(h.clientRandom(), again, h.verifyRequests() + 1);
        if (traces) {
            trace("HelloVerifyRequest: resending ClientHello with a " + hvr.cookie().length() + "-byte cookie");
        }
        sendFlight(List.of(message(0, again)), true, nowNanos);
    }

    private void onServerHello(AwaitHello h, RawMessage m) throws DtlsException {
        ServerHello sh = (ServerHello) decode(m);
        if (!sh.serverVersion().equals(ProtocolVersion.DTLS_1_2)) {
            throw new DtlsException(AlertDescription.PROTOCOL_VERSION, "server chose " + sh.serverVersion());
        }
        CipherSuite suite = CipherSuite.of(sh.cipherSuite());
        if (!h.hello().cipherSuites().contains(sh.cipherSuite()) || !suite.isNegotiable()) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "server chose a suite not offered: " + suite);
        }
        if (sh.compressionMethod() != 0) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "server chose compression");
        }
        Extensions ext = sh.extensions().orElse(Extensions.EMPTY);
        Extensions offered = h.hello().extensions().orElse(Extensions.EMPTY);
        for (Extension e : ext.list()) {
            if (!offered.contains(e.type())) {
                throw new DtlsException(AlertDescription.UNSUPPORTED_EXTENSION, "unsolicited extension " + e.type());
            }
        }
        HelloChecks.initialRenegotiationInfo(ext);
        boolean ems = HelloChecks.extendedMasterSecret(ext, settings, "server");
        String alpn = null;
        if (ext.applicationProtocols().isPresent()) {
            List<String> names = ext.applicationProtocols().get().names();
            if (names.size() != 1 || !settings.applicationProtocols().contains(names.get(0))) {
                throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "server ALPN choice not offered");
            }
            alpn = names.get(0);
        }
        Negotiated.CertificateTypes types = new Negotiated.CertificateTypes(
                RawPublicKeys.acceptChoice(ext, offered, ExtensionType.SERVER_CERTIFICATE_TYPE),
                RawPublicKeys.acceptChoice(ext, offered, ExtensionType.CLIENT_CERTIFICATE_TYPE));
        int rsl = ext.recordSizeLimit().map(org.dtls4j.handshake.message.RecordSizeLimit::limit).orElse(0);
        boolean etm = encryptThenMac(suite, ext);
        if (connectionIds.accept(ext)) {
            step(new HandshakeStep.UseConnectionIds(connectionIds.agreed()));
        }
        Negotiated n = new Negotiated(suite, h.clientRandom(), sh.random().toByteArray(), sh.sessionId().toByteArray(),
                ems, alpn, rsl, settings.serverName(), SrtpNegotiation.accept(settings, ext), etm,
                types, ext.sessionTicket().isPresent());
        transcript.addReceived(m);
        transcript.selectHash(suite.prf().digestName());
        if (!suite.keyExchange().usesCertificate()) {
            // No CertificateRequest can come (RFC 5246 §7.4.4), so no CertificateVerify signs the raw messages.
            transcript.releaseMessages();
        }

        if (resume != null && !sh.sessionId().isEmpty() && sh.sessionId().equals(h.hello().sessionId())) {
            resumeSession(n);
            return;
        }
        if (resume != null) {
            trace("server declined session " + resume + ": full handshake");
        }
        // The offered session took no part in this handshake: its failure now is not the session's.
        atStake = null;
        if (suite.keyExchange().usesCertificate()) {
            if (types.server() == RawPublicKeys.NONE) {
                // RFC 7250 §4.2: we listed only raw keys and the server answered with none of our types.
                throw new DtlsException(AlertDescription.UNSUPPORTED_CERTIFICATE,
                        "server offers no certificate type we accept");
            }
            state = new AwaitCertificate(n);
        } else {
            state = new AwaitServerKeyExchange(n, PeerCredential.NONE);
        }
    }

    /** The server resumes the session we offered: its [CCS] Finished come next (RFC 5246 §7.3). */
    private void resumeSession(Negotiated n) throws DtlsException {
        if (!resume.suite().equals(n.suite())) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "resumed session with another suite");
        }
        boolean ems = n.extendedMasterSecret();
        if (resume.extendedMasterSecret() != ems) {
            // RFC 7627 §5.3: either way round the client MUST abort; resuming would mix the derivations.
            throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE, ems
                    ? "server resumes a session made without extended master secret, with it"
                    : "server resumes a session made with extended master secret, without it");
        }
        if (resume.encryptThenMac() != n.encryptThenMac()) {
            // RFC 7366 §3.1: a resumed session keeps its encrypt_then_mac state.
            throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE, "encrypt_then_mac changed on resumption");
        }
        byte[] master = resume.masterSecret();
        NextKeys keys = deriveKeys(n, master, true);
        trace("ServerHello resumes session " + resume);
        state = new AwaitChangeCipherSpec(n, master, keys,
                new PeerCredential(resume.peerCertificates(), resume.peerRawPublicKey()), true, null);
    }

    /** RFC 7366 §3: the server's encrypt_then_mac answer, which only a CBC suite may carry. */
    private boolean encryptThenMac(CipherSuite suite, Extensions ext) throws DtlsException {
        boolean etm = ext.encryptThenMac().isPresent();
        if (etm && !suite.isCbc()) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "encrypt_then_mac with a non-CBC suite");
        }
        if (!etm && suite.isCbc() && settings.requireEncryptThenMac()) {
            throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE, "server refused encrypt_then_mac for " + suite);
        }
        return etm;
    }

    private void onCertificate(AwaitCertificate c, RawMessage m) throws DtlsException {
        if (c.n().certificateTypes().server() == CertificateType.RAW_PUBLIC_KEY) {
            RawPublicKeyCertificate rpk = decodeRawPublicKeyCertificate(m);
            if (rpk.isEmpty()) {
                throw new DtlsException(AlertDescription.BAD_CERTIFICATE, "server sent no raw public key");
            }
            PublicKey key = RawPublicKeys.accept(settings, rpk.subjectPublicKeyInfo(), c.n().keyExchange());
            trace("server raw " + key.getAlgorithm() + " key accepted");
            transcript.addReceived(m);
            state = new AwaitServerKeyExchange(c.n(), PeerCredential.ofRawKey(key));
            return;
        }
        Certificate cert = (Certificate) decode(m, c.n());
        List<X509Certificate> chain = PeerCertificates.parse(cert.certificates(), settings.maxCertificateChainLength());
        KeyExchange kx = c.n().keyExchange();
        PeerCertificates.validateServer(settings, chain, kx.name());
        if (!HelloChecks.fitsKeyExchange(kx, chain.get(0).getPublicKey())) {
            throw new DtlsException(AlertDescription.UNSUPPORTED_CERTIFICATE,
                    chain.get(0).getPublicKey().getAlgorithm() + " key for " + c.n().suite());
        }
        transcript.addReceived(m);
        state = new AwaitServerKeyExchange(c.n(), PeerCredential.of(chain));
    }

    private void onServerKeyExchange(AwaitServerKeyExchange k, RawMessage m) throws DtlsException {
        Negotiated n = k.n();
        HandshakeMessage ske = decode(m, n);
        ServerEcdhParams share = null;
        SignatureVerified proof = null;
        if (ske instanceof EcdheServerKeyExchange e) {
            share = e.params();
            checkGroup(share);
            PublicKey key = k.server().signingKey();
            SignatureScheme scheme = PeerCertificates.acceptScheme(settings.signatureSchemes(), e.signatureScheme(), key);
            proof = SignatureVerified.check(scheme, key, signedParams(n, share), e.signature().toByteArray(),
                    settings.signatureProvider());
        } else if (ske instanceof EcdhePskServerKeyExchange e) {
            share = e.params();
            checkGroup(share);
        } else if (!(ske instanceof PskServerKeyExchange)) {
            throw unexpected("AwaitServerKeyExchange", m.msgType());
        }
        transcript.addReceived(m);
        state = new AwaitCertificateRequestOrDone(n, k.server(), share, proof);
    }

    private void onCertificateRequest(AwaitCertificateRequestOrDone r, RawMessage m) throws DtlsException {
        transcript.addReceived(m);
        state = new AwaitServerHelloDone(r.n(), r.server(), r.serverShare(), (CertificateRequest) decode(m, r.n()));
    }

    /** The server's flight is complete: the client answers with its second flight. */
    private void onServerHelloDone(Negotiated n, PeerCredential server, ServerEcdhParams serverShare,
                                   CertificateRequest request, RawMessage m, long nowNanos) throws DtlsException {
        decode(m, n);
        transcript.addReceived(m);
        sendSecondFlight(n, server, serverShare, request, nowNanos);
    }

    private void onNewSessionTicket(AwaitChangeCipherSpec c, RawMessage m) throws DtlsException {
        NewSessionTicket ticket = (NewSessionTicket) decode(m, c.n());
        transcript.addReceived(m);
        state = new AwaitChangeCipherSpec(c.n(), c.masterSecret(), c.keys(), c.server(), c.resumed(), ticket);
    }

    private void checkGroup(ServerEcdhParams share) throws DtlsException {
        NamedGroup g = NamedGroup.of(share.namedGroup());
        if (!g.isSupported() || !settings.namedGroups().contains(g)) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "server chose group " + g + ", not offered");
        }
        EcdheKeyPair.validatePeerPublicKey(g, share.publicPoint().toByteArray());
    }

    /** Client's second flight: [Certificate] ClientKeyExchange [CertificateVerify] [CCS] Finished. */
    private void sendSecondFlight(Negotiated n, PeerCredential server, ServerEcdhParams serverShare,
                                  CertificateRequest request, long nowNanos) throws DtlsException {
        List<FlightMessage> flight = new ArrayList<>();
        SignatureScheme clientScheme = null;
        int clientCertificateType = n.certificateTypes().client();
        java.security.PrivateKey ownKey = RawPublicKeys.signingKey(settings, clientCertificateType);
        if (request != null) {
            if (ownKey != null) {
                clientScheme = PeerCertificates.chooseScheme(settings.signatureSchemes(), request.signatureSchemes(),
                        ownKey);
            }
            if (clientCertificateType == CertificateType.RAW_PUBLIC_KEY) {
                Bytes spki = clientScheme != null ? Bytes.of(settings.rawPublicKeyIdentity().subjectPublicKeyInfo())
                        : Bytes.EMPTY;
                flight.add(sent(message(0, new RawPublicKeyCertificate(spki))));
            } else {
                List<Bytes> ours = clientScheme != null ? PeerCertificates.encode(settings.certificateIdentity().chain())
                        : List.of();
                flight.add(sent(message(0, new Certificate(ours))));
            }
        }
        KeyExchange kx = n.keyExchange();
        byte[] premaster;
        HandshakeMessage cke;
        PskIdentity psk = settings.pskIdentity();
        if (kx.usesPsk() && psk == null) {
            throw new DtlsException(AlertDescription.INTERNAL_ERROR, "PSK suite negotiated without a PSK");
        }
        if (kx.usesEcdhe()) {
            EcdheKeyPair pair = EcdheKeyPair.generate(NamedGroup.of(serverShare.namedGroup()), settings.secureRandom(),
                    settings.keyExchangeProvider());
            try {
                byte[] ecdh = pair.sharedSecret(serverShare.publicPoint().toByteArray());
                if (kx == KeyExchange.ECDHE_PSK) {
                    premaster = PskPremaster.ecdhePsk(ecdh, psk.key());
                    cke = new EcdhePskClientKeyExchange(Bytes.of(psk.identity()), Bytes.of(pair.publicKey()));
                    Arrays.fill(ecdh, (byte) 0);
                } else {
                    premaster = ecdh;
                    cke = new EcdheClientKeyExchange(Bytes.of(pair.publicKey()));
                }
            } finally {
                pair.destroy();
            }
        } else {
            premaster = PskPremaster.psk(psk.key());
            cke = new PskClientKeyExchange(Bytes.of(psk.identity()));
        }
        flight.add(sent(message(0, cke)));
        byte[] master = masterSecret(n, premaster);
        if (clientScheme != null) {
            // RFC 5246 §7.4.8: CertificateVerify signs every handshake message so far, as sent.
            byte[] sig = clientScheme.sign(ownKey, transcript.messages(),
                    settings.secureRandom(), settings.signatureProvider());
            flight.add(sent(message(0, new CertificateVerify(clientScheme.code(), Bytes.of(sig)))));
        }
        transcript.releaseMessages();
        flight.add(new FlightMessage.ChangeCipherSpec(0));
        NextKeys keys = deriveKeys(n, master, true);
        int epoch = activateWriteKeys(keys);
        byte[] verify = KeySchedule.clientVerifyData(n.suite().prf(), master, transcript.snapshot());
        flight.add(message(epoch, new Finished(Bytes.of(verify))));
        step(new HandshakeStep.KeyLog(n.clientRandom(), master));
        state = new AwaitChangeCipherSpec(n, master, keys, server, false, null);
        sendFlight(flight, true, nowNanos);
    }

    @Override
    void onChangeCipherSpec(long nowNanos) {
        state.onChangeCipherSpec(this);
    }

    private void onChangeCipherSpec(AwaitChangeCipherSpec c) {
        activateReadKeys(c.keys());
        state = new AwaitFinished(c.n(), c.masterSecret(), c.keys(), c.server(), c.resumed(), c.ticket());
    }

    private void onFinished(AwaitFinished f, RawMessage m, long nowNanos) throws DtlsException {
        Negotiated n = f.n();
        Finished fin = (Finished) decode(m, n);
        // A full handshake ends here; a resumed one goes on to our Finished over this message too.
        byte[] expected = KeySchedule.serverVerifyData(n.suite().prf(), f.masterSecret(),
                f.resumed() ? transcript.snapshot() : transcript.finalSnapshot());
        FinishedVerified proof = FinishedVerified.check(expected, fin.verifyData().toByteArray());
        transcript.addReceived(m);
        if (f.resumed()) {
            transcript.releaseMessages();
            int epoch = activateWriteKeys(f.keys());
            byte[] verify = KeySchedule.clientVerifyData(n.suite().prf(), f.masterSecret(), transcript.finalSnapshot());
            step(new HandshakeStep.KeyLog(n.clientRandom(), f.masterSecret()));
            sendFlight(List.of(new FlightMessage.ChangeCipherSpec(0), message(epoch, new Finished(Bytes.of(verify)))),
                    false, nowNanos);
        } else {
            flight.discard();
        }
        if (n.peerRecordSizeLimit() > 0) {
            step(new HandshakeStep.PeerRecordSizeLimit(n.peerRecordSizeLimit()));
        }
        PskIdentity psk = settings.pskIdentity();
        byte[] pskId = n.keyExchange().usesPsk() && psk != null ? psk.identity() : null;
        PublicKey peerRawPublicKey = f.server().rawKey();
        Session session = f.resumed() ? resume
                : new Session(n.sessionId(), n.suite(), f.masterSecret(), n.extendedMasterSecret(), f.server().chain(),
                        pskId, n.serverName(), peerRawPublicKey, n.encryptThenMac());
        NewSessionTicket newTicket = f.ticket();
        if (newTicket != null && !newTicket.ticket().isEmpty()) {
            session.attachTicket(newTicket.ticket().toByteArray(), newTicket.lifetimeHintSeconds());
        }
        atStake = session;
        HandshakeResult result = ConnectionIdNegotiation.withConnectionId(SrtpNegotiation.withSrtp(
                new HandshakeResult(n.suite(), f.server().chain(), pskId, n.applicationProtocol(), n.serverName(),
                        session, f.resumed(), n.extendedMasterSecret(), n.peerRecordSizeLimit(), peerRawPublicKey),
                n.srtp()), connectionIds.agreed());
        state = new Established(proof, result);
        if (traces) {
            trace("handshake complete: " + n.suite().name() + (f.resumed() ? " (resumed)" : ""));
        }
        established(proof, result, n, f.masterSecret());
    }
}
