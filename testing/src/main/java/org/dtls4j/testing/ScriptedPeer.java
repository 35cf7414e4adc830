package org.dtls4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.SignatureScheme;
import org.dtls4j.handshake.HandshakeFragment;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.Certificate;
import org.dtls4j.handshake.message.CertificateVerify;
import org.dtls4j.handshake.message.ClientHello;
import org.dtls4j.handshake.message.ClientKeyExchange;
import org.dtls4j.handshake.message.EcPointFormats;
import org.dtls4j.handshake.message.EcdheClientKeyExchange;
import org.dtls4j.handshake.message.EcdhePskClientKeyExchange;
import org.dtls4j.handshake.message.EcdhePskServerKeyExchange;
import org.dtls4j.handshake.message.ExtendedMasterSecret;
import org.dtls4j.handshake.message.ExtensionData;
import org.dtls4j.handshake.message.ExtensionType;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.handshake.message.Finished;
import org.dtls4j.handshake.message.HandshakeMessage;
import org.dtls4j.handshake.message.HelloVerifyRequest;
import org.dtls4j.handshake.message.PskClientKeyExchange;
import org.dtls4j.handshake.message.PskServerKeyExchange;
import org.dtls4j.handshake.message.RenegotiationInfo;
import org.dtls4j.handshake.message.ServerEcdhParams;
import org.dtls4j.handshake.message.ServerHello;
import org.dtls4j.handshake.message.ServerHelloDone;
import org.dtls4j.handshake.message.ServerKeyExchange;
import org.dtls4j.handshake.message.SignatureAlgorithms;
import org.dtls4j.handshake.message.SupportedGroups;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;

/**
 * A DTLS 1.2 peer that a test drives one message at a time, to see how another implementation reacts
 * when the handshake goes the way the test says rather than the way RFC 6347 says. The script builds
 * each message with a helper ({@link #clientHello()}, {@link #clientKeyExchange()}, {@link #finished()},
 * ...) or by hand, sends it with {@link #send(HandshakeMessage, Send)} (which epoch, fragmented how,
 * duplicated or not, with which message_seq), switches its write epoch with {@link #changeCipherSpec()},
 * and reads what came back with {@link #receive()} as typed {@link PeerEvent}s.
 *
 * <pre>{@code
 * try (ScriptedPeer c = ScriptedPeer.client(UdpTransport.connect(server), PeerSettings.psk(id, key))) {
 *     c.send(c.clientHello());
 *     c.receive();                                   // HelloVerifyRequest: the cookie is kept
 *     c.send(c.clientHello());
 *     c.receive();                                   // ServerHello .. ServerHelloDone
 *     c.send(c.clientKeyExchange());
 *     c.send(c.finished(), Send.normally());         // Finished before ChangeCipherSpec: forbidden
 *     assertTrue(c.receive().stream().noneMatch(e -> e.symbol().equals("FINISHED")));
 * }
 * }</pre>
 *
 * <p>The key schedule follows what was really exchanged: the transcript holds every handshake message
 * sent or received (retransmissions once, the first ClientHello and HelloVerifyRequest dropped per RFC
 * 6347 §4.2.6), randoms and key shares come from the messages on the wire, the master secret (extended
 * when both sides asked for RFC 7627) is derived from the real premaster secret when ClientKeyExchange
 * is sent or received, and keys for epoch N+1 are installed when a ChangeCipherSpec is sent (write) or
 * received (read), or, when the ChangeCipherSpec came before the master secret, as soon as it exists.
 * When the script skips what a secret needs, the peer carries on without it: records go out
 * unprotected and Finished carries random bytes, so the other side's reaction can still be seen.
 *
 * <p>Supported: client role with PSK, ECDHE_PSK and ECDHE_ECDSA/ECDHE_RSA suites (the server's
 * certificate and signature are not checked); server role with PSK and ECDHE_PSK suites. Record
 * protection is any AEAD suite the crypto module runs. Not thread-safe; one peer per test.
 */
public final class ScriptedPeer implements AutoCloseable {
    /** Which side of the handshake the peer plays. */
    public enum Role {
        /** Sends ClientHello, ClientKeyExchange and the client Finished. */
        CLIENT,
        /** Answers with HelloVerifyRequest, ServerHello ... ServerHelloDone and the server Finished. */
        SERVER
    }

    private final Role role;
    private final Transport transport;
    private final PeerSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final RecordProtection records = new RecordProtection();
    private final List<byte[]> sentDatagrams = new ArrayList<>();
    private PeerHandshake hs;
    private int writeEpoch;
    private int readEpoch;
    private byte[] ownVerifyData = new byte[0];
    private byte[] peerVerifyData = new byte[0];
    private boolean peerFinishedVerified;

    private ScriptedPeer(Role role, Transport transport, PeerSettings settings) {
        this.role = role;
        this.transport = transport;
        this.settings = settings;
        this.hs = new PeerHandshake(settings);
    }

    /**
     * A client that talks through {@code transport}.
     *
     * @param transport the way to the implementation under test; the peer closes it on {@link #close()}
     * @param settings the suite, keys and receive waits
     * @return the peer, before its first ClientHello
     */
    public static ScriptedPeer client(Transport transport, PeerSettings settings) {
        return new ScriptedPeer(Role.CLIENT, transport, settings);
    }

    /**
     * A server that talks through {@code transport}; PSK and ECDHE_PSK suites only, since it has no
     * certificate to sign with.
     *
     * @param transport the way to the implementation under test; the peer closes it on {@link #close()}
     * @param settings the suite, keys and receive waits
     * @return the peer, waiting for a ClientHello
     * @throws IllegalArgumentException when the suite needs a certificate
     */
    public static ScriptedPeer server(Transport transport, PeerSettings settings) {
        if (settings.keyExchange().usesCertificate()) {
            throw new IllegalArgumentException("the scripted server runs PSK and ECDHE_PSK suites, not " + settings.suite());
        }
        return new ScriptedPeer(Role.SERVER, transport, settings);
    }

    /** {@return which side of the handshake the peer plays} */
    public Role role() {
        return role;
    }

    /** {@return the settings the peer was made with} */
    public PeerSettings settings() {
        return settings;
    }

    /** {@return the epoch this peer's records go out in unless a {@link Send} says otherwise} */
    public int writeEpoch() {
        return writeEpoch;
    }

    /** {@return the epoch the other side's last ChangeCipherSpec moved to (0 before any)} */
    public int readEpoch() {
        return readEpoch;
    }

    /** {@return true once a master secret was derived in the current handshake} */
    public boolean hasMasterSecret() {
        return hs.master != null;
    }

    /** {@return true once the other side's Finished of the current handshake verified against the transcript} */
    public boolean peerFinishedVerified() {
        return peerFinishedVerified;
    }

    /** {@return every datagram this peer sent, in order (copies): for replays} */
    public List<byte[]> sentDatagrams() {
        List<byte[]> out = new ArrayList<>();
        sentDatagrams.forEach(d -> out.add(d.clone()));
        return out;
    }

    // ---- messages a script sends (built from the current state, not yet sent)

    /**
     * The ClientHello of the current handshake: the one configured suite, null compression, the same
     * random on every call, the cookie of the last HelloVerifyRequest, and the extensions the suite
     * needs (supported_groups, ec_point_formats, signature_algorithms), extended_master_secret when
     * configured, and renegotiation_info (empty, or the last client verify_data on a renegotiation).
     *
     * @return the message, not yet sent
     */
    public ClientHello clientHello() {
        List<ExtensionData> ext = new ArrayList<>();
        KeyExchange kx = settings.keyExchange();
        if (kx.usesEcdhe()) {
            ext.add(new SupportedGroups(List.of(settings.group().code())));
            ext.add(new EcPointFormats(List.of(0)));
        }
        if (kx.usesCertificate()) {
            ext.add(new SignatureAlgorithms(List.of(SignatureScheme.ECDSA_SECP256R1_SHA256.code(),
                    SignatureScheme.RSA_PSS_RSAE_SHA256.code(), SignatureScheme.RSA_PKCS1_SHA256.code(),
                    SignatureScheme.ECDSA_SECP384R1_SHA384.code())));
        }
        if (settings.extendedMasterSecret()) {
            ext.add(new ExtendedMasterSecret());
        }
        ext.add(new RenegotiationInfo(Bytes.of(ownVerifyData)));
        return new ClientHello(ProtocolVersion.DTLS_1_2, Bytes.of(hs.ownRandom(random)), Bytes.EMPTY, hs.cookie,
                List.of(settings.suite().code()), List.of(ClientHello.NULL_COMPRESSION),
                Optional.of(Extensions.of(ext.toArray(ExtensionData[]::new))));
    }

    /**
     * The ClientKeyExchange for the configured suite: the PSK identity and/or a fresh ECDHE share on
     * the server's group (the configured group when no ServerKeyExchange came). Each call makes a new
     * ECDHE key pair and keeps only that one: send the message of the last call, or no premaster
     * secret can be derived.
     *
     * @return the message, not yet sent
     */
    public ClientKeyExchange clientKeyExchange() {
        KeyExchange kx = settings.keyExchange();
        Bytes identity = Bytes.of(settings.pskIdentity());
        if (!kx.usesEcdhe()) {
            return new PskClientKeyExchange(identity);
        }
        NamedGroup group = hs.peerGroup != null ? hs.peerGroup : settings.group();
        Bytes share = Bytes.of(hs.newEcdhe(group, random).publicKey());
        return kx.usesPsk() ? new EcdhePskClientKeyExchange(identity, share) : new EcdheClientKeyExchange(share);
    }

    /**
     * Finished with the verify_data of this side over the transcript so far (RFC 5246 §7.4.9), or 12
     * random bytes when no master secret exists (the script skipped the key exchange).
     *
     * @return the message, not yet sent
     */
    public Finished finished() {
        byte[] vd = hs.verifyData(role == Role.CLIENT);
        return new Finished(Bytes.of(vd != null ? vd : randomBytes(Finished.DEFAULT_LENGTH)));
    }

    /** {@return the empty Certificate (a client without a certificate answering a CertificateRequest)} */
    public Certificate emptyCertificate() {
        return new Certificate(List.of());
    }

    /**
     * A client Certificate carrying {@code chain} (leaf first, RFC 5246 §7.4.6), or the empty
     * Certificate for an empty list.
     *
     * @param chain the DER certificates to send, leaf first; may be empty
     * @return the message, not yet sent
     * @throws IllegalArgumentException if a certificate cannot be encoded
     */
    public Certificate certificate(List<X509Certificate> chain) {
        List<Bytes> der = new ArrayList<>();
        for (X509Certificate c : chain) {
            try {
                der.add(Bytes.of(c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("cannot encode " + c.getSubjectX500Principal(), e);
            }
        }
        return new Certificate(der);
    }

    /**
     * A CertificateVerify signing, with {@code scheme}, every handshake message this handshake has
     * really sent and received so far (RFC 5246 §7.4.8; the first ClientHello and HelloVerifyRequest
     * excluded, RFC 6347 §4.2.6). Send it right after ClientKeyExchange for an RFC-order flight; skip
     * it, or change its signature, to see how the other side reacts.
     *
     * @param key the private key of the certificate sent earlier
     * @param scheme the signature scheme to sign with (the hash is the scheme's)
     * @return the message, not yet sent
     * @throws IllegalArgumentException if {@code scheme} cannot sign with {@code key}
     */
    public CertificateVerify certificateVerify(PrivateKey key, SignatureScheme scheme) {
        try {
            byte[] signature = scheme.sign(key, hs.transcriptBytes(), random);
            return new CertificateVerify(scheme.code(), Bytes.of(signature));
        } catch (DtlsException e) {
            throw new IllegalArgumentException("cannot sign with " + scheme + ": " + e.getMessage(), e);
        }
    }

    /** {@return a HelloVerifyRequest with a fresh 16-byte cookie, version DTLS 1.0 as RFC 6347 §4.2.1 advises} */
    public HelloVerifyRequest helloVerifyRequest() {
        return new HelloVerifyRequest(ProtocolVersion.DTLS_1_0, Bytes.of(randomBytes(16)));
    }

    /**
     * The ServerHello: the configured suite, a fresh random, extended_master_secret when the client
     * offered it and the settings allow it, renegotiation_info when the client sent it.
     *
     * @return the message, not yet sent
     */
    public ServerHello serverHello() {
        List<ExtensionData> ext = new ArrayList<>();
        if (settings.extendedMasterSecret() && hs.peerOfferedEms) {
            ext.add(new ExtendedMasterSecret());
        }
        if (hs.peerSentRenegotiationInfo) {
            ext.add(new RenegotiationInfo(Bytes.of(concat(peerVerifyData, ownVerifyData))));
        }
        if (settings.keyExchange().usesEcdhe()) {
            ext.add(new EcPointFormats(List.of(0)));
        }
        return new ServerHello(ProtocolVersion.DTLS_1_2, Bytes.of(hs.ownRandom(random)), Bytes.of(randomBytes(16)),
                settings.suite().code(), ClientHello.NULL_COMPRESSION,
                Optional.of(Extensions.of(ext.toArray(ExtensionData[]::new))));
    }

    /** {@return the server's key exchange: an empty PSK hint, or the hint and a fresh ECDHE share (ECDHE_PSK)} */
    public ServerKeyExchange serverKeyExchange() {
        if (!settings.keyExchange().usesEcdhe()) {
            return new PskServerKeyExchange(Bytes.EMPTY);
        }
        byte[] share = hs.newEcdhe(settings.group(), random).publicKey();
        return new EcdhePskServerKeyExchange(Bytes.EMPTY, new ServerEcdhParams(settings.group().code(), Bytes.of(share)));
    }

    /** {@return a ServerHelloDone, which has an empty body} */
    public ServerHelloDone serverHelloDone() {
        return new ServerHelloDone();
    }

    // ---- sending

    /**
     * Sends {@code m} in the current write epoch, whole, once, with the next message_seq.
     *
     * @param m the message; it enters the transcript
     * @throws java.io.UncheckedIOException when the transport fails
     */
    public void send(HandshakeMessage m) {
        send(m, Send.normally());
    }

    /**
     * Sends {@code m} the way {@code how} says, and updates the transcript and key schedule.
     *
     * @param m the message
     * @param how the epoch, fragmentation, duplication, message_seq and transcript choice
     * @throws java.io.UncheckedIOException when the transport fails
     */
    public void send(HandshakeMessage m, Send how) {
        byte[] body = m.toByteArray();
        int seq = how.messageSeq().orElse(hs.nextSendSeq);
        if (how.messageSeq().isEmpty()) {
            hs.nextSendSeq++;
        }
        if (how.transcript()) {
            hs.addToTranscript(HandshakeFragment.whole(m.type(), seq, body).encode());
            afterSent(m);
        }
        int epoch = how.epoch().orElse(writeEpoch);
        int step = how.fragmentSize() == 0 ? Math.max(1, body.length) : how.fragmentSize();
        int off = 0;
        do {
            int len = Math.min(step, body.length - off);
            HandshakeFragment f = new HandshakeFragment(m.type(), body.length, seq, off,
                    Arrays.copyOfRange(body, off, off + len));
            sendRecord(ContentType.HANDSHAKE, epoch, f.encode(), how.duplicate());
            off += len;
        } while (off < body.length);
    }

    /**
     * Puts {@code m} into the transcript with the next message_seq (as {@link #send(HandshakeMessage)}
     * would) but sends {@code wire} instead of its fragments: overlapping fragments whose overlap
     * disagrees, a fragment missing, a body that is not {@code m}'s.
     *
     * @param m the message the transcript and key schedule take
     * @param wire the fragments that really go out, one record each
     * @param epoch the record epoch of the fragments
     */
    public void sendFragmentsOf(HandshakeMessage m, List<HandshakeFragment> wire, int epoch) {
        int seq = hs.nextSendSeq++;
        hs.addToTranscript(HandshakeFragment.whole(m.type(), seq, m.toByteArray()).encode());
        afterSent(m);
        sendFragments(wire, epoch);
    }

    /** {@return the message_seq the next {@link #send(HandshakeMessage)} uses} */
    public int nextMessageSeq() {
        return hs.nextSendSeq;
    }

    /**
     * Sends hand-made fragments (overlapping, inconsistent, ...), one record each, outside the transcript.
     *
     * @param fragments the fragments, in sending order
     * @param epoch the record epoch of every fragment
     */
    public void sendFragments(List<HandshakeFragment> fragments, int epoch) {
        for (HandshakeFragment f : fragments) {
            sendRecord(ContentType.HANDSHAKE, epoch, f.encode(), false);
        }
    }

    /** Sends ChangeCipherSpec in the current write epoch and moves to the next, with keys if there are any. */
    public void changeCipherSpec() {
        changeCipherSpec(writeEpoch);
    }

    /**
     * Sends ChangeCipherSpec in {@code epoch}; the write epoch becomes {@code epoch + 1}, with keys if
     * a master secret exists (else as soon as one does).
     *
     * @param epoch the epoch of the ChangeCipherSpec record
     */
    public void changeCipherSpec(int epoch) {
        sendRecord(ContentType.CHANGE_CIPHER_SPEC, epoch, new byte[] {1}, false);
        writeEpoch = epoch + 1;
        if (hs.master != null) {
            hs.install(records, role == Role.CLIENT, writeEpoch, -1);
        }
    }

    /**
     * Sends application data in the current write epoch.
     *
     * @param data the plaintext, one record
     */
    public void sendApplicationData(byte[] data) {
        sendApplicationData(data, writeEpoch);
    }

    /**
     * Sends application data in {@code epoch} (protected when the epoch has keys), e.g. in epoch 0 to
     * check that the other side drops plaintext data.
     *
     * @param data the plaintext, one record
     * @param epoch the record epoch
     */
    public void sendApplicationData(byte[] data, int epoch) {
        sendRecord(ContentType.APPLICATION_DATA, epoch, data, false);
    }

    /**
     * Sends an alert in the current write epoch.
     *
     * @param level warning or fatal
     * @param description the alert code
     */
    public void sendAlert(AlertLevel level, AlertDescription description) {
        sendAlert(level, description, writeEpoch);
    }

    /**
     * Sends an alert in {@code epoch}.
     *
     * @param level warning or fatal
     * @param description the alert code
     * @param epoch the record epoch
     */
    public void sendAlert(AlertLevel level, AlertDescription description, int epoch) {
        sendRecord(ContentType.ALERT, epoch, new byte[] {(byte) level.code(), (byte) description.code()}, false);
    }

    /**
     * Sends one record of any content type (unknown ones too) with the epoch's next sequence number,
     * protected when the epoch has write keys.
     *
     * @param contentType the content type byte (RFC 6347 §4.1)
     * @param epoch the record epoch
     * @param plaintext the record's content before protection
     * @param duplicate whether to send the same datagram twice
     */
    public void sendRecord(int contentType, int epoch, byte[] plaintext, boolean duplicate) {
        byte[] datagram = records.seal(contentType, epoch, plaintext).encode();
        sendDatagram(datagram);
        if (duplicate) {
            sendDatagram(datagram);
        }
    }

    /**
     * Sends bytes as they are: a replay from {@link #sentDatagrams()}, a mutation, garbage.
     *
     * @param datagram the datagram, copied into {@link #sentDatagrams()}
     * @throws java.io.UncheckedIOException when the transport fails
     */
    public void sendDatagram(byte[] datagram) {
        sentDatagrams.add(datagram.clone());
        try {
            transport.send(datagram);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a new handshake on the established connection (RFC 5246 §7.4.1.2 renegotiation): message
     * sequence numbers restart at 0, the transcript empties, and the next {@link #clientHello()} carries
     * the previous client verify_data in renegotiation_info (RFC 5746). Records keep their epoch.
     */
    public void startRenegotiation() {
        hs = new PeerHandshake(settings);
        peerFinishedVerified = false;
    }

    private void afterSent(HandshakeMessage m) {
        if (m instanceof ClientHello ch) {
            hs.ownRandomSent(ch.random());
            hs.ownOfferedEms = ch.extensionsOrEmpty().contains(ExtensionType.EXTENDED_MASTER_SECRET);
        } else if (m instanceof ServerHello sh) {
            hs.ownRandomSent(sh.random());
            hs.ems = sh.extensionsOrEmpty().contains(ExtensionType.EXTENDED_MASTER_SECRET);
        } else if (m instanceof HelloVerifyRequest) {
            hs.restartTranscript(); // RFC 6347 §4.2.6: the first ClientHello and HelloVerifyRequest are not hashed
        } else if (m instanceof ClientKeyExchange cke && role == Role.CLIENT) {
            hs.deriveMaster(cke, true);
            installPendingKeys();
        } else if (m instanceof Finished f) {
            ownVerifyData = f.verifyData().toByteArray();
        }
    }

    // ---- receiving

    /**
     * Reads what the other side sends: waits up to the configured timeout for a first datagram, then
     * keeps reading until it stays quiet for the configured settle time.
     *
     * @return the events in arrival order, or a single {@link PeerEvent.Silence}
     */
    public List<PeerEvent> receive() {
        return receive(settings.timeout());
    }

    /**
     * {@link #receive()} with another wait for the first datagram.
     *
     * @param timeout how long to wait for the first datagram
     * @return the events in arrival order, or a single {@link PeerEvent.Silence}
     * @throws java.io.UncheckedIOException when the transport fails
     */
    public List<PeerEvent> receive(Duration timeout) {
        List<PeerEvent> events = new ArrayList<>();
        try {
            byte[] d = transport.receive(timeout);
            if (d == null) {
                return List.of(new PeerEvent.Silence());
            }
            while (d != null) {
                new PeerReader(this, events).datagram(d);
                d = transport.receive(settings.settle());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    RecordProtection records() {
        return records;
    }

    PeerHandshake handshake() {
        return hs;
    }

    /** The other side's ChangeCipherSpec in {@code epoch}: reads move to the next epoch. */
    void onPeerChangeCipherSpec(int epoch) {
        readEpoch = epoch + 1;
        if (hs.master != null) {
            hs.install(records, role == Role.CLIENT, -1, readEpoch);
        }
    }

    /** Applies a whole, new message from the other side; returns whether a Finished verified. */
    boolean onPeerMessage(HandshakeMessage m, byte[] wholeMessage) {
        boolean verified = false;
        if (m instanceof Finished f) {
            byte[] expected = hs.verifyData(role != Role.CLIENT);
            verified = expected != null && MessageDigest.isEqual(expected, f.verifyData().toByteArray());
            peerFinishedVerified |= verified;
            peerVerifyData = f.verifyData().toByteArray();
        }
        hs.addToTranscript(wholeMessage);
        if (m instanceof HelloVerifyRequest hvr) {
            hs.cookie = hvr.cookie();
            hs.restartTranscript();
        } else if (m instanceof ServerHello sh) {
            hs.peerRandom = sh.random().toByteArray();
            hs.ems = hs.ownOfferedEms
                    && sh.extensionsOrEmpty().contains(ExtensionType.EXTENDED_MASTER_SECRET);
        } else if (m instanceof ClientHello ch) {
            hs.peerRandom = ch.random().toByteArray();
            Extensions e = ch.extensionsOrEmpty();
            hs.peerOfferedEms = e.contains(ExtensionType.EXTENDED_MASTER_SECRET);
            // RFC 5746 §3.6: the SCSV asks for renegotiation_info in the ServerHello just as the extension does.
            hs.peerSentRenegotiationInfo = e.contains(ExtensionType.RENEGOTIATION_INFO)
                    || ch.cipherSuites().contains(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV.code());
        } else if (m instanceof ServerKeyExchange ske) {
            hs.peerKeyShare(ske);
        } else if (m instanceof ClientKeyExchange cke && role == Role.SERVER) {
            hs.deriveMaster(cke, false);
            installPendingKeys();
        }
        return verified;
    }

    /**
     * A ChangeCipherSpec that came before the master secret (a script sending CCS before
     * ClientKeyExchange) moved the epoch without keys; they are installed once the secret exists.
     */
    private void installPendingKeys() {
        if (hs.master == null) {
            return;
        }
        boolean client = role == Role.CLIENT;
        if (writeEpoch > 0 && !records.canWrite(writeEpoch)) {
            hs.install(records, client, writeEpoch, -1);
        }
        if (readEpoch > 0 && !records.canRead(readEpoch)) {
            hs.install(records, client, -1, readEpoch);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Closes the transport and wipes the keys. */
    @Override
    public void close() {
        records.destroy();
        hs.destroy();
        try {
            transport.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "ScriptedPeer[" + role + ", " + settings + ", writeEpoch=" + writeEpoch + ", readEpoch=" + readEpoch + "]";
    }
}
