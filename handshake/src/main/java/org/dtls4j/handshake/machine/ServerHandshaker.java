package org.dtls4j.handshake.machine;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dtls4j.cookie.CookieResult;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.EcdheKeyPair;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.crypto.KeySchedule;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.PskPremaster;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.handshake.FlightMessage;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.handshake.RawMessage;
import org.dtls4j.handshake.message.ApplicationProtocols;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.Certificate;
import org.dtls4j.handshake.message.CertificateType;
import org.dtls4j.handshake.message.CertificateTypeChoice;
import org.dtls4j.handshake.message.CertificateRequest;
import org.dtls4j.handshake.message.CertificateVerify;
import org.dtls4j.handshake.message.ClientHello;
import org.dtls4j.handshake.message.ConnectionId;
import org.dtls4j.handshake.message.EcPointFormats;
import org.dtls4j.handshake.message.EcdheClientKeyExchange;
import org.dtls4j.handshake.message.EcdhePskClientKeyExchange;
import org.dtls4j.handshake.message.EcdhePskServerKeyExchange;
import org.dtls4j.handshake.message.EcdheServerKeyExchange;
import org.dtls4j.handshake.message.EncryptThenMac;
import org.dtls4j.handshake.message.ExtendedMasterSecret;
import org.dtls4j.handshake.message.ExtensionData;
import org.dtls4j.handshake.message.ExtensionType;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.handshake.message.Finished;
import org.dtls4j.handshake.message.HandshakeMessage;
import org.dtls4j.handshake.message.PskClientKeyExchange;
import org.dtls4j.handshake.message.PskServerKeyExchange;
import org.dtls4j.handshake.message.RawPublicKeyCertificate;
import org.dtls4j.handshake.message.RecordSizeLimit;
import org.dtls4j.handshake.message.RenegotiationInfo;
import org.dtls4j.handshake.message.ServerEcdhParams;
import org.dtls4j.handshake.message.ServerHello;
import org.dtls4j.handshake.message.ServerHelloDone;
import org.dtls4j.handshake.message.SessionTicket;
import java.util.function.ToIntBiFunction;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.handshake.session.SessionTickets;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;

/**
 * The server side of a DTLS 1.2 handshake, from the (cookie-verified) ClientHello on:
 * <pre>
 *   ClientHello            --------&gt;
 *                                         ServerHello, Certificate*, ServerKeyExchange*,
 *                          &lt;--------     CertificateRequest*, ServerHelloDone
 *   Certificate*, ClientKeyExchange,
 *   CertificateVerify*, [CCS], Finished --&gt;
 *                          &lt;--------     [CCS], Finished
 * </pre>
 * Resuming a cached session: ServerHello [CCS] Finished, then the client's [CCS] Finished. The cookie
 * exchange happens before this class exists ({@link org.dtls4j.cookie.CookieVerifier}), so a handshake
 * costs the server nothing until the client has proved its address.
 */
public final class ServerHandshaker extends Handshaker {
    /**
     * What the server waits for. {@link #onMessage} gates every message through {@link #expects} first, so
     * a message a state does not wait for has one answer, unexpected_message; {@link #handle} then makes
     * the one call that processes it. Each state holds only what is valid while it lasts.
     */
    private sealed interface State permits AwaitClientHello, AwaitClientCertificate, AwaitClientKeyExchange,
            AwaitCertificateVerify, AwaitChangeCipherSpec, AwaitFinished, Established {
        /** {@return whether this state takes a message of this type now} */
        boolean expects(int msgType);

        /** Processes a message {@link #expects} took. */
        void handle(ServerHandshaker s, RawMessage m, long nowNanos) throws DtlsException;

        /** The client's ChangeCipherSpec: only the state that waits for it changes keys. */
        default void onChangeCipherSpec(ServerHandshaker s) {
            s.droppedEarlyChangeCipherSpec(getClass().getSimpleName());
        }
    }

    private record AwaitClientHello() implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.CLIENT_HELLO;
        }

        @Override
        public void handle(ServerHandshaker s, RawMessage m, long nowNanos) throws DtlsException {
            s.onClientHello(m, nowNanos);
        }
    }

    /** @param share this side's ECDHE key pair, or null for plain PSK */
    private record AwaitClientCertificate(Negotiated n, EcdheKeyPair share) implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.CERTIFICATE;
        }

        @Override
        public void handle(ServerHandshaker s, RawMessage m, long nowNanos) throws DtlsException {
            s.onClientCertificate(this, m);
        }
    }

    /** @param client the client's accepted certificate chain or raw key, or none */
    private record AwaitClientKeyExchange(Negotiated n, EcdheKeyPair share, PeerCredential client)
            implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.CLIENT_KEY_EXCHANGE;
        }

        @Override
        public void handle(ServerHandshaker s, RawMessage m, long nowNanos) throws DtlsException {
            s.onClientKeyExchange(this, m);
        }
    }

    /** @param signedMessages every handshake message through ClientKeyExchange: what the client signed */
    private record AwaitCertificateVerify(Negotiated n, byte[] masterSecret, NextKeys keys, PeerCredential client,
                                          byte[] signedMessages) implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.CERTIFICATE_VERIFY;
        }

        @Override
        public void handle(ServerHandshaker s, RawMessage m, long nowNanos) throws DtlsException {
            s.onCertificateVerify(this, m);
        }
    }

    /** @param clientSignature the verified CertificateVerify, required when a full handshake authenticated the client */
    private record AwaitChangeCipherSpec(Negotiated n, byte[] masterSecret, NextKeys keys, PeerCredential client,
                                         byte[] pskIdentity, Session resumed, SignatureVerified clientSignature)
            implements State {
        AwaitChangeCipherSpec {
            if (resumed == null && !client.isEmpty() && clientSignature == null) {
                throw new IllegalStateException("client certificate without a verified CertificateVerify");
            }
        }

        /** Only the ChangeCipherSpec record comes next: every handshake message is unexpected. */
        @Override
        public boolean expects(int type) {
            return false;
        }

        @Override
        public void handle(ServerHandshaker s, RawMessage m, long nowNanos) {
            throw new IllegalStateException("AwaitChangeCipherSpec expects no handshake message");
        }

        @Override
        public void onChangeCipherSpec(ServerHandshaker s) {
            s.onChangeCipherSpec(this);
        }
    }

    private record AwaitFinished(Negotiated n, byte[] masterSecret, NextKeys keys, PeerCredential client,
                                 byte[] pskIdentity, Session resumed) implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.FINISHED;
        }

        @Override
        public void handle(ServerHandshaker s, RawMessage m, long nowNanos) throws DtlsException {
            s.onFinished(this, m, nowNanos);
        }
    }

    private record Established(FinishedVerified proof, HandshakeResult result) implements State {
        @Override
        public boolean expects(int type) {
            return type == HandshakeType.CLIENT_HELLO;
        }

        @Override
        public void handle(ServerHandshaker s, RawMessage m, long nowNanos) {
            // A ClientHello after the handshake is a renegotiation attempt: refused with a warning
            // (RFC 5246 §7.2.2 no_renegotiation), and the connection goes on.
            s.trace("renegotiation attempt refused");
            s.step(new HandshakeStep.WarningAlert(AlertDescription.NO_RENEGOTIATION));
        }

        @Override
        public void onChangeCipherSpec(ServerHandshaker s) {
            // A retransmitted CCS after the handshake: the epoch has already changed.
        }
    }

    private final CookieResult.Verified verified;
    private State state = new AwaitClientHello();
    /** The session this connection resumes or established: what a fatal alert invalidates. */
    private Session atStake;

    /**
     * A server handshake continuing from a ClientHello whose cookie the stateless verifier accepted.
     *
     * @param settings the configuration
     * @param recordOverhead the connection's rule for a record's overhead given its sealing cipher (null in
     *     epoch 0), so flights fit the datagram budget
     * @param hello the verified ClientHello; the connection continues its epoch-0 record sequence
     *     ({@code RecordLayer.continueEpoch0WriteSequenceAfterHello}, RFC 6347 §4.2.1)
     */
    public ServerHandshaker(HandshakeSettings settings, ToIntBiFunction<RecordCipher, byte[]> recordOverhead,
                            CookieResult.Verified hello) {
        super(settings, recordOverhead, hello.messageSeq() + 1);
        this.verified = hello;
        // RFC 6347 §4.2.2: after a stateless HelloVerifyRequest the server's message_seq mirrors the client's.
        this.nextSendSeq = hello.messageSeq();
    }

    /**
     * A server handshake without a cookie exchange: it waits for the ClientHello as its first message.
     *
     * @param settings the configuration
     * @param recordOverhead the connection's rule for a record's overhead given its sealing cipher (null in
     *     epoch 0), so flights fit the datagram budget
     */
    public ServerHandshaker(HandshakeSettings settings, ToIntBiFunction<RecordCipher, byte[]> recordOverhead) {
        super(settings, recordOverhead, 0);
        this.verified = null;
    }

    /**
     * Fixes the Connection ID this server asks the client for (RFC 9146 §3), if the client offers CIDs;
     * call before {@link #start}. Without it the configured generator makes one.
     *
     * @param cid the CID, of the configured {@link HandshakeSettings#connectionIdLength()}
     */
    public void useConnectionId(byte[] cid) {
        connectionIds.useConnectionId(cid);
    }

    @Override
    void begin(long nowNanos) throws DtlsException {
        if (verified != null && state instanceof AwaitClientHello) {
            byte[] msg = verified.message();
            byte[] body = Arrays.copyOfRange(msg, CookieResult.Verified.HANDSHAKE_HEADER_LENGTH, msg.length);
            onMessage(new RawMessage(HandshakeType.CLIENT_HELLO, verified.messageSeq(), body), nowNanos);
        }
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

    @Override
    void invalidate() {
        Session s = atStake;
        if (s == null) {
            return;
        }
        s.invalidate();
        if (settings.sessionCache() != null) {
            settings.sessionCache().remove(s.sessionId());
        }
        trace("session " + s + " invalidated and removed from the cache after a fatal alert");
    }

    @Override
    void onMessage(RawMessage m, long nowNanos) throws DtlsException {
        State s = state;
        if (!s.expects(m.msgType())) {
            throw unexpected(s.getClass().getSimpleName(), m.msgType());
        }
        s.handle(this, m, nowNanos);
    }

    private void onClientHello(RawMessage m, long nowNanos) throws DtlsException {
        ClientHello ch = (ClientHello) decode(m);
        ProtocolVersion v = ch.clientVersion();
        // DTLS versions count down: 1.2 is {254,253}; anything older (a larger minor) is refused.
        if (v.major() != 254 || v.minor() > 253) {
            throw new DtlsException(AlertDescription.PROTOCOL_VERSION, "client offers " + v);
        }
        if (!ch.compressionMethods().contains(0)) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "client does not offer null compression");
        }
        Extensions ext = ch.extensions().orElse(Extensions.EMPTY);
        boolean secureRenegotiation = ch.cipherSuites().contains(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV.code())
                || ext.renegotiationInfo().isPresent();
        HelloChecks.initialRenegotiationInfo(ext);
        boolean ems = HelloChecks.extendedMasterSecret(ext, settings, "client");
        String serverName = ext.serverName().flatMap(org.dtls4j.handshake.message.ServerName::hostName).orElse(null);
        String alpn = chooseApplicationProtocol(ext);
        int clientRsl = ext.recordSizeLimit().map(RecordSizeLimit::limit).orElse(0);
        boolean clientEtm = ext.encryptThenMac().isPresent();
        transcript.addReceived(m);
        int serverCertificateType = RawPublicKeys.chooseServerType(settings, ext);

        TicketOffer ticket = TicketOffer.of(settings, ch, ext, ems, serverName, clientEtm, this::trace);
        Session cached = ticket.session();
        if (cached == null) {
            cached = resumable(ch, ems, serverName, clientEtm);
        }
        CipherSuite suite = cached != null ? cached.suite() : chooseSuite(ch, ext, clientEtm, serverCertificateType);
        // RFC 7366 §3: answered, and used, only with a CBC suite.
        boolean etm = clientEtm && suite.isCbc();
        NamedGroup group = suite.keyExchange().usesEcdhe() ? chooseGroup(ext) : null;
        byte[] serverRandom = new byte[KeySchedule.RANDOM_LENGTH];
        settings.secureRandom().nextBytes(serverRandom);
        byte[] sessionId;
        if (cached != null) {
            sessionId = cached.sessionId();
        } else if (settings.sessionCache() != null) {
            sessionId = new byte[32];
            settings.secureRandom().nextBytes(sessionId);
        } else {
            sessionId = new byte[0];
        }
        SrtpNegotiation.Choice srtp = SrtpNegotiation.select(settings, ext);
        // A resumption negotiates no certificate types: the session's credentials are already known.
        Negotiated.CertificateTypes types = cached != null ? Negotiated.CertificateTypes.X509
                : certificateTypes(suite, ext, serverCertificateType);
        Negotiated n = new Negotiated(suite, ch.random().toByteArray(), serverRandom, sessionId, ems, alpn,
                clientRsl, serverName, srtp, etm, types, ticket.issue());
        transcript.selectHash(suite.prf().digestName());
        if (cached != null || !suite.keyExchange().usesCertificate() || settings.clientAuth() == ClientAuth.NONE) {
            // No CertificateRequest will go out (see sendServerFlight), so no CertificateVerify needs the raw messages.
            transcript.releaseMessages();
        }

        List<ExtensionData> shExt = serverHelloExtensions(n, ext, secureRenegotiation, group != null, cached != null);
        ServerHello sh = new ServerHello(ProtocolVersion.DTLS_1_2, Bytes.of(serverRandom), Bytes.of(sessionId),
                suite.code(), 0, shExt.isEmpty() ? Optional.empty()
                        : Optional.of(Extensions.of(shExt.toArray(new ExtensionData[0]))));
        if (cached != null) {
            resume(n, cached, ticket.renewing(), sh, nowNanos);
        } else {
            sendServerFlight(n, ext, group, sh, nowNanos);
        }
    }

    /** The ServerHello's extensions, in the order we have always sent them. */
    private List<ExtensionData> serverHelloExtensions(Negotiated n, Extensions ext, boolean secureRenegotiation,
                                                      boolean ecdhe, boolean resumed) throws DtlsException {
        List<ExtensionData> shExt = new ArrayList<>();
        if (secureRenegotiation) {
            shExt.add(new RenegotiationInfo(Bytes.EMPTY));
        }
        if (n.extendedMasterSecret()) {
            shExt.add(new ExtendedMasterSecret());
        }
        if (n.encryptThenMac()) {
            shExt.add(new EncryptThenMac());
        }
        if (n.applicationProtocol() != null) {
            shExt.add(ApplicationProtocols.of(n.applicationProtocol()));
        }
        if (n.peerRecordSizeLimit() > 0 && settings.recordSizeLimit() > 0) {
            shExt.add(new RecordSizeLimit(settings.recordSizeLimit()));
        }
        if (ecdhe && ext.ecPointFormats().isPresent()) {
            shExt.add(new EcPointFormats(List.of(0)));
        }
        if (n.srtp() != null) {
            shExt.add(SrtpNegotiation.echo(n.srtp()));
        }
        ConnectionId cid = connectionIds.answer(ext);
        if (cid != null) {
            shExt.add(cid);
            step(new HandshakeStep.UseConnectionIds(connectionIds.agreed()));
        }
        if (!resumed) {
            certificateTypeChoices(n, ext, shExt);
        }
        if (n.sessionTicket()) {
            shExt.add(SessionTicket.EMPTY);
        }
        return shExt;
    }

    /**
     * RFC 7250 §4.2 for a full handshake: with a certificate suite, the server's own type as chosen from the
     * client's list, and the client's type chosen when a certificate will be requested; X.509 otherwise.
     *
     * @throws DtlsException unsupported_certificate when a client certificate will be requested and the
     *     client offers no type the server can verify
     */
    private Negotiated.CertificateTypes certificateTypes(CipherSuite suite, Extensions ext, int serverType)
            throws DtlsException {
        if (!suite.keyExchange().usesCertificate()) {
            return Negotiated.CertificateTypes.X509;
        }
        int clientType = settings.clientAuth() != ClientAuth.NONE
                ? RawPublicKeys.chooseClientType(settings, ext) : CertificateType.X509;
        return new Negotiated.CertificateTypes(serverType, clientType);
    }

    /**
     * RFC 7250 §4.2: with a certificate suite, echoes the server's own type when the client listed types for
     * it, and the client's type when a certificate will be requested and the client listed types for that;
     * without a certificate suite neither extension is answered.
     */
    private void certificateTypeChoices(Negotiated n, Extensions ext, List<ExtensionData> shExt) {
        if (!n.keyExchange().usesCertificate()) {
            return;
        }
        if (ext.contains(ExtensionType.SERVER_CERTIFICATE_TYPE)) {
            shExt.add(new CertificateTypeChoice(ExtensionType.SERVER_CERTIFICATE_TYPE, n.certificateTypes().server()));
        }
        if (settings.clientAuth() != ClientAuth.NONE && ext.contains(ExtensionType.CLIENT_CERTIFICATE_TYPE)) {
            shExt.add(new CertificateTypeChoice(ExtensionType.CLIENT_CERTIFICATE_TYPE, n.certificateTypes().client()));
        }
    }

    /**
     * The cached session this ClientHello may resume, or null for a full handshake (under a new session ID).
     *
     * @throws DtlsException handshake_failure when the ClientHello drops the extended master secret its
     *     session was made with (RFC 7627 §5.3: the server MUST abort, not fall back)
     */
    private Session resumable(ClientHello ch, boolean ems, String serverName, boolean clientEtm) throws DtlsException {
        SessionCache cache = settings.sessionCache();
        if (cache == null || ch.sessionId().isEmpty()) {
            return null;
        }
        Session s = cache.get(ch.sessionId().toByteArray());
        if (s == null) {
            return null;
        }
        if (s.extendedMasterSecret() && !ems) {
            atStake = s;
            throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE,
                    "ClientHello resumes a session made with extended master secret but does not offer it");
        }
        if (!s.matchesServerName(serverName)) {
            // RFC 6066 §3: the server MUST NOT resume under a different server_name; a full handshake instead.
            trace("session made for server_name " + s.serverName() + " not resumed for " + serverName
                    + ": full handshake");
            return null;
        }
        if (!s.extendedMasterSecret() && ems) {
            // RFC 7627 §5.3: MUST NOT resume a session without extended master secret when it is offered now.
            trace("session made without extended master secret not resumed: full handshake");
            return null;
        }
        if (!ch.cipherSuites().contains(s.suite().code()) || !settings.cipherSuites().contains(s.suite())) {
            return null;
        }
        if (s.encryptThenMac() != (clientEtm && s.suite().isCbc())) {
            // RFC 7366 §3.1: a resumption can neither drop nor add encrypt_then_mac; a full handshake instead.
            trace("session's encrypt_then_mac state differs from this ClientHello's: full handshake");
            return null;
        }
        atStake = s;
        return s;
    }

    private String chooseApplicationProtocol(Extensions ext) throws DtlsException {
        if (ext.applicationProtocols().isEmpty() || settings.applicationProtocols().isEmpty()) {
            return null;
        }
        List<String> offered = ext.applicationProtocols().get().names();
        for (String ours : settings.applicationProtocols()) {
            if (offered.contains(ours)) {
                return ours;
            }
        }
        throw new DtlsException(AlertDescription.NO_APPLICATION_PROTOCOL, "no common application protocol");
    }

    private CipherSuite chooseSuite(ClientHello ch, Extensions ext, boolean clientEtm, int serverCertificateType)
            throws DtlsException {
        List<Integer> clientSchemes = ext.signatureAlgorithms().map(a -> a.schemes()).orElse(null);
        boolean commonGroup = hasCommonGroup(ext);
        for (CipherSuite s : settings.cipherSuites()) {
            if (!s.isNegotiable() || !ch.cipherSuites().contains(s.code())) {
                continue;
            }
            if (s.isCbc() && !clientEtm && settings.requireEncryptThenMac()) {
                continue; // no MAC-then-encrypt by policy
            }
            KeyExchange kx = s.keyExchange();
            if (kx.usesEcdhe() && !commonGroup) {
                continue;
            }
            if (kx.usesPsk() && settings.pskStore() == null) {
                continue;
            }
            if (kx.usesCertificate() && !certificateFits(kx, clientSchemes, serverCertificateType)) {
                continue;
            }
            return s;
        }
        if (serverCertificateType == RawPublicKeys.NONE) {
            // RFC 7250 §4.2: no server certificate type in common is unsupported_certificate.
            throw new DtlsException(AlertDescription.UNSUPPORTED_CERTIFICATE, "no server certificate type in common");
        }
        throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE, "no cipher suite in common");
    }

    private boolean certificateFits(KeyExchange kx, List<Integer> clientSchemes, int serverCertificateType) {
        PrivateKey key = RawPublicKeys.signingKey(settings, serverCertificateType);
        if (key == null) {
            return false;
        }
        return HelloChecks.fitsKeyExchange(kx, key)
                && PeerCertificates.chooseScheme(settings.signatureSchemes(), clientSchemes, key) != null;
    }

    private boolean hasCommonGroup(Extensions ext) throws DtlsException {
        try {
            chooseGroup(ext);
            return true;
        } catch (DtlsException e) {
            return false;
        }
    }

    /** Our first group the client supports; with no supported_groups, our first (RFC 8422 §4 leaves it to us). */
    private NamedGroup chooseGroup(Extensions ext) throws DtlsException {
        List<Integer> offered = ext.supportedGroups().map(g -> g.groups()).orElse(null);
        for (NamedGroup g : settings.namedGroups()) {
            if (g.isSupported() && (offered == null || offered.contains(g.code()))) {
                return g;
            }
        }
        throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE, "no ECDHE group in common");
    }

    /** Abbreviated handshake (RFC 5246 §7.3): ServerHello, [CCS], Finished straight away. */
    private void resume(Negotiated n, Session cached, TicketState renewing, ServerHello sh, long nowNanos)
            throws DtlsException {
        byte[] master = cached.masterSecret();
        NextKeys keys = deriveKeys(n, master, false);
        List<FlightMessage> flight = new ArrayList<>();
        flight.add(sent(message(0, sh)));
        if (n.sessionTicket()) {
            flight.add(sent(message(0, TicketOffer.newSessionTicket(settings.sessionTickets(), cached, renewing))));
        }
        flight.add(new FlightMessage.ChangeCipherSpec(0));
        int epoch = activateWriteKeys(keys);
        byte[] verify = KeySchedule.serverVerifyData(n.suite().prf(), master, transcript.snapshot());
        flight.add(message(epoch, new Finished(Bytes.of(verify))));
        step(new HandshakeStep.KeyLog(n.clientRandom(), master));
        trace("resuming session " + cached);
        PeerCredential client = new PeerCredential(cached.peerCertificates(), cached.peerRawPublicKey());
        state = new AwaitChangeCipherSpec(n, master, keys, client, cached.pskIdentity(), cached, null);
        sendFlight(flight, true, nowNanos);
    }

    /** Full handshake: ServerHello, Certificate*, ServerKeyExchange*, CertificateRequest*, ServerHelloDone. */
    private void sendServerFlight(Negotiated n, Extensions clientExt, NamedGroup group, ServerHello sh, long nowNanos)
            throws DtlsException {
        KeyExchange kx = n.keyExchange();
        List<FlightMessage> flight = new ArrayList<>();
        flight.add(message(0, sh));
        if (kx.usesCertificate() && n.certificateTypes().server() == CertificateType.RAW_PUBLIC_KEY) {
            flight.add(message(0, new RawPublicKeyCertificate(
                    Bytes.of(settings.rawPublicKeyIdentity().subjectPublicKeyInfo()))));
        } else if (kx.usesCertificate()) {
            flight.add(message(0, new Certificate(PeerCertificates.encode(settings.certificateIdentity().chain()))));
        }
        EcdheKeyPair share = group != null
                ? EcdheKeyPair.generate(group, settings.secureRandom(), settings.keyExchangeProvider()) : null;
        HandshakeMessage ske = serverKeyExchange(n, clientExt, share);
        if (ske != null) {
            flight.add(message(0, ske));
        }
        boolean askClient = kx.usesCertificate() && settings.clientAuth() != ClientAuth.NONE;
        if (askClient) {
            flight.add(message(0, new CertificateRequest(
                    List.of(CertificateRequest.ECDSA_SIGN, CertificateRequest.RSA_SIGN),
                    settings.signatureSchemes().stream().map(SignatureScheme::code).toList(), List.of())));
        }
        flight.add(message(0, new ServerHelloDone()));
        state = askClient ? new AwaitClientCertificate(n, share)
                : new AwaitClientKeyExchange(n, share, PeerCredential.NONE);
        sendFlight(flight, true, nowNanos);
    }

    private HandshakeMessage serverKeyExchange(Negotiated n, Extensions clientExt, EcdheKeyPair share)
            throws DtlsException {
        byte[] hint = settings.pskStore() != null ? settings.pskStore().identityHint() : null;
        switch (n.keyExchange()) {
            case ECDHE_ECDSA, ECDHE_RSA -> {
                ServerEcdhParams params = new ServerEcdhParams(share.group().code(), Bytes.of(share.publicKey()));
                PrivateKey key = RawPublicKeys.signingKey(settings, n.certificateTypes().server());
                List<Integer> clientSchemes = clientExt.signatureAlgorithms().map(a -> a.schemes()).orElse(null);
                SignatureScheme scheme = PeerCertificates.chooseScheme(settings.signatureSchemes(), clientSchemes, key);
                byte[] sig = scheme.sign(key, signedParams(n, params), settings.secureRandom(), settings.signatureProvider());
                return new EcdheServerKeyExchange(params, scheme.code(), Bytes.of(sig));
            }
            case ECDHE_PSK -> {
                return new EcdhePskServerKeyExchange(hint == null ? Bytes.EMPTY : Bytes.of(hint),
                        new ServerEcdhParams(share.group().code(), Bytes.of(share.publicKey())));
            }
            case PSK -> {
                return hint == null ? null : new PskServerKeyExchange(Bytes.of(hint));
            }
            default -> throw new IllegalStateException(n.keyExchange().toString());
        }
    }

    private void onClientCertificate(AwaitClientCertificate c, RawMessage m) throws DtlsException {
        List<X509Certificate> chain;
        java.security.PublicKey peerRawPublicKey = null;
        if (c.n().certificateTypes().client() == CertificateType.RAW_PUBLIC_KEY) {
            RawPublicKeyCertificate rpk = decodeRawPublicKeyCertificate(m);
            chain = List.of();
            if (!rpk.isEmpty()) {
                peerRawPublicKey = RawPublicKeys.accept(settings, rpk.subjectPublicKeyInfo(), null);
            }
        } else {
            Certificate cert = (Certificate) decode(m, c.n());
            chain = PeerCertificates.parse(cert.certificates(), settings.maxCertificateChainLength());
        }
        if (peerRawPublicKey != null) {
            trace("client raw " + peerRawPublicKey.getAlgorithm() + " key accepted");
        } else if (chain.isEmpty()) {
            if (settings.clientAuth() == ClientAuth.REQUIRED) {
                throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE, "client sent no certificate");
            }
        } else {
            PeerCertificates.validateClient(settings, chain);
        }
        transcript.addReceived(m);
        PeerCredential client = peerRawPublicKey != null ? PeerCredential.ofRawKey(peerRawPublicKey)
                : PeerCredential.of(chain);
        state = new AwaitClientKeyExchange(c.n(), c.share(), client);
    }

    private void onClientKeyExchange(AwaitClientKeyExchange k, RawMessage m) throws DtlsException {
        Negotiated n = k.n();
        HandshakeMessage cke = decode(m, n);
        byte[] premaster;
        byte[] pskIdentity = null;
        try {
            if (cke instanceof EcdheClientKeyExchange e) {
                premaster = k.share().sharedSecret(e.publicPoint().toByteArray());
            } else if (cke instanceof PskClientKeyExchange p) {
                pskIdentity = p.identity().toByteArray();
                premaster = PskPremaster.psk(pskKey(pskIdentity));
            } else if (cke instanceof EcdhePskClientKeyExchange p) {
                pskIdentity = p.identity().toByteArray();
                byte[] key = pskKey(pskIdentity);
                byte[] ecdh = k.share().sharedSecret(p.publicPoint().toByteArray());
                premaster = PskPremaster.ecdhePsk(ecdh, key);
                Arrays.fill(ecdh, (byte) 0);
            } else {
                throw unexpected("AwaitClientKeyExchange", m.msgType());
            }
        } finally {
            if (k.share() != null) {
                k.share().destroy();
            }
        }
        transcript.addReceived(m);
        byte[] master = masterSecret(n, premaster);
        NextKeys keys = deriveKeys(n, master, false);
        step(new HandshakeStep.KeyLog(n.clientRandom(), master));
        if (!k.client().isEmpty()) {
            state = new AwaitCertificateVerify(n, master, keys, k.client(), transcript.messages());
        } else {
            transcript.releaseMessages();
            state = new AwaitChangeCipherSpec(n, master, keys, PeerCredential.NONE, pskIdentity, null, null);
        }
    }

    private byte[] pskKey(byte[] identity) throws DtlsException {
        byte[] key = settings.pskStore() == null ? null : settings.pskStore().keyFor(identity);
        if (key == null) {
            throw new DtlsException(AlertDescription.UNKNOWN_PSK_IDENTITY, "unknown PSK identity");
        }
        return key;
    }

    private void onCertificateVerify(AwaitCertificateVerify v, RawMessage m) throws DtlsException {
        CertificateVerify cv = (CertificateVerify) decode(m, v.n());
        java.security.PublicKey key = v.client().signingKey();
        SignatureScheme scheme = PeerCertificates.acceptScheme(settings.signatureSchemes(), cv.signatureScheme(), key);
        SignatureVerified proof = SignatureVerified.check(scheme, key, v.signedMessages(), cv.signature().toByteArray(),
                settings.signatureProvider());
        transcript.addReceived(m);
        transcript.releaseMessages();
        state = new AwaitChangeCipherSpec(v.n(), v.masterSecret(), v.keys(), v.client(), null, null, proof);
    }

    @Override
    void onChangeCipherSpec(long nowNanos) {
        state.onChangeCipherSpec(this);
    }

    private void onChangeCipherSpec(AwaitChangeCipherSpec c) {
        activateReadKeys(c.keys());
        state = new AwaitFinished(c.n(), c.masterSecret(), c.keys(), c.client(), c.pskIdentity(), c.resumed());
    }

    private void onFinished(AwaitFinished f, RawMessage m, long nowNanos) throws DtlsException {
        Negotiated n = f.n();
        Finished fin = (Finished) decode(m, n);
        // A resumed handshake ends here; a full one goes on to our Finished over this message too.
        byte[] expected = KeySchedule.clientVerifyData(n.suite().prf(), f.masterSecret(),
                f.resumed() == null ? transcript.snapshot() : transcript.finalSnapshot());
        FinishedVerified proof = FinishedVerified.check(expected, fin.verifyData().toByteArray());
        transcript.addReceived(m);
        java.security.PublicKey peerRawPublicKey = f.client().rawKey();
        Session session = f.resumed();
        if (session == null) {
            // Full handshake: the server's [CCS] Finished is the last flight; it stays buffered so a
            // client retransmission (our flight lost) makes us send it again.
            session = new Session(n.sessionId(), n.suite(), f.masterSecret(), n.extendedMasterSecret(),
                    f.client().chain(), f.pskIdentity(), n.serverName(), peerRawPublicKey, n.encryptThenMac());
            List<FlightMessage> last = new ArrayList<>();
            if (n.sessionTicket()) {
                last.add(sent(message(0, TicketOffer.newSessionTicket(settings.sessionTickets(), session, null))));
            }
            int epoch = activateWriteKeys(f.keys());
            byte[] verify = KeySchedule.serverVerifyData(n.suite().prf(), f.masterSecret(), transcript.finalSnapshot());
            last.add(new FlightMessage.ChangeCipherSpec(0));
            last.add(message(epoch, new Finished(Bytes.of(verify))));
            sendFlight(last, false, nowNanos);
            if (settings.sessionCache() != null && n.sessionId().length > 0) {
                settings.sessionCache().put(session);
            }
            atStake = session;
        } else {
            // Resumed: the client's Finished answers our last flight, which needs no more retransmission.
            flight.discard();
        }
        if (n.peerRecordSizeLimit() > 0) {
            step(new HandshakeStep.PeerRecordSizeLimit(n.peerRecordSizeLimit()));
        }
        HandshakeResult result = ConnectionIdNegotiation.withConnectionId(SrtpNegotiation.withSrtp(
                new HandshakeResult(n.suite(), f.client().chain(), f.pskIdentity(), n.applicationProtocol(),
                        n.serverName(), session, f.resumed() != null, n.extendedMasterSecret(),
                        n.peerRecordSizeLimit(), peerRawPublicKey), n.srtp()), connectionIds.agreed());
        state = new Established(proof, result);
        if (traces) {
            trace("handshake complete: " + n.suite().name() + (f.resumed() != null ? " (resumed)" : ""));
        }
        established(proof, result, n, f.masterSecret());
    }
}
