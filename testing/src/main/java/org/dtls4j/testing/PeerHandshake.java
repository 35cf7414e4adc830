package org.dtls4j.testing;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.dtls4j.crypto.EcdheKeyPair;
import org.dtls4j.crypto.KeyExchange;
import org.dtls4j.crypto.KeySchedule;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.crypto.PrfHash;
import org.dtls4j.crypto.PskPremaster;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.ClientKeyExchange;
import org.dtls4j.handshake.message.EcdheClientKeyExchange;
import org.dtls4j.handshake.message.EcdhePskClientKeyExchange;
import org.dtls4j.handshake.message.EcdhePskServerKeyExchange;
import org.dtls4j.handshake.message.EcdheServerKeyExchange;
import org.dtls4j.handshake.message.HandshakeMessages;
import org.dtls4j.handshake.message.KeyExchangeKind;
import org.dtls4j.handshake.message.ServerEcdhParams;
import org.dtls4j.handshake.message.ServerKeyExchange;
import org.dtls4j.wire.DtlsException;

/**
 * The scripted peer's state for one handshake: randoms, cookie, transcript, message_seq counters,
 * reassembly buffers, ECDHE key pair and master secret. A renegotiation starts a new one.
 */
final class PeerHandshake {
    /** The largest handshake message the peer reassembles (a hostile peer must not make it buffer more). */
    static final int MAX_MESSAGE = 1 << 18;

    private final PeerSettings settings;
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    final Map<Integer, Partial> partial = new HashMap<>();
    final Set<Integer> receivedSeqs = new HashSet<>();
    int nextSendSeq;
    Bytes cookie = Bytes.EMPTY;
    byte[] ownRandom;
    byte[] peerRandom;
    boolean ownOfferedEms;
    boolean peerOfferedEms;
    boolean peerSentRenegotiationInfo;
    boolean ems;
    NamedGroup peerGroup;
    byte[] peerShare;
    EcdheKeyPair ecdhe;
    byte[] master;
    String masterFailure;

    PeerHandshake(PeerSettings settings) {
        this.settings = settings;
    }

    /** One message being reassembled: its type, length, body and which bytes arrived. */
    static final class Partial {
        final int type;
        final byte[] body;
        final boolean[] have;
        int missing;

        Partial(int type, int length) {
            this.type = type;
            this.body = new byte[length];
            this.have = new boolean[length];
            this.missing = length;
        }
    }

    KeyExchangeKind kind() {
        return switch (settings.keyExchange()) {
            case PSK -> KeyExchangeKind.PSK;
            case ECDHE_PSK -> KeyExchangeKind.ECDHE_PSK;
            case ECDHE_ECDSA, ECDHE_RSA -> KeyExchangeKind.ECDHE_SIGNED;
        };
    }

    HandshakeMessages.Context decodeContext() {
        return HandshakeMessages.Context.of(kind());
    }

    byte[] ownRandom(SecureRandom random) {
        if (ownRandom == null) {
            ownRandom = new byte[KeySchedule.RANDOM_LENGTH];
            random.nextBytes(ownRandom);
        }
        return ownRandom;
    }

    void ownRandomSent(Bytes r) {
        ownRandom = r.toByteArray();
    }

    EcdheKeyPair newEcdhe(NamedGroup group, SecureRandom random) {
        try {
            ecdhe = EcdheKeyPair.generate(group, random);
            return ecdhe;
        } catch (DtlsException e) {
            throw new IllegalStateException("cannot make an ECDHE key on " + group, e);
        }
    }

    void peerKeyShare(ServerKeyExchange ske) {
        ServerEcdhParams p = null;
        if (ske instanceof EcdheServerKeyExchange e) {
            p = e.params();
        } else if (ske instanceof EcdhePskServerKeyExchange e) {
            p = e.params();
        }
        if (p != null) {
            peerGroup = NamedGroup.of(p.namedGroup());
            peerShare = p.publicPoint().toByteArray();
        }
    }

    void addToTranscript(byte[] wholeMessage) {
        transcript.writeBytes(wholeMessage);
    }

    void restartTranscript() {
        transcript.reset();
    }

    private PrfHash prf() {
        return settings.suite().prf();
    }

    /** The handshake messages so far, concatenated as they went out and came in (what CertificateVerify signs). */
    byte[] transcriptBytes() {
        return transcript.toByteArray();
    }

    byte[] transcriptHash() {
        MessageDigest md = prf().newDigest();
        return md.digest(transcript.toByteArray());
    }

    /** Finished verify_data of the client or the server over the transcript so far, or null without a master secret. */
    byte[] verifyData(boolean client) {
        if (master == null) {
            return null;
        }
        byte[] h = transcriptHash();
        return client ? KeySchedule.clientVerifyData(prf(), master, h) : KeySchedule.serverVerifyData(prf(), master, h);
    }

    /**
     * Derives the master secret after ClientKeyExchange entered the transcript (RFC 7627 hashes it in),
     * from the premaster the exchanged messages really give. A share the peer did not generate, or a
     * missing random or peer share, leaves the master secret unset, with the reason kept.
     */
    void deriveMaster(ClientKeyExchange cke, boolean sentByUs) {
        byte[] clientRandom = sentByUs ? ownRandom : peerRandom;
        byte[] serverRandom = sentByUs ? peerRandom : ownRandom;
        if (clientRandom == null || serverRandom == null) {
            masterFailure = "no " + (clientRandom == null ? "client" : "server") + " random";
            return;
        }
        try {
            byte[] premaster = premaster(cke, sentByUs);
            if (premaster == null) {
                return;
            }
            master = ems ? KeySchedule.extendedMasterSecret(prf(), premaster, transcriptHash())
                    : KeySchedule.masterSecret(prf(), premaster, clientRandom, serverRandom);
            Arrays.fill(premaster, (byte) 0);
        } catch (DtlsException e) {
            masterFailure = e.getMessage();
        }
    }

    private byte[] premaster(ClientKeyExchange cke, boolean sentByUs) throws DtlsException {
        KeyExchange kx = settings.keyExchange();
        if (!kx.usesEcdhe()) {
            return PskPremaster.psk(settings.psk());
        }
        byte[] clientShare = cke instanceof EcdheClientKeyExchange e ? e.publicPoint().toByteArray()
                : cke instanceof EcdhePskClientKeyExchange e ? e.publicPoint().toByteArray() : null;
        byte[] otherShare = sentByUs ? peerShare : clientShare;
        if (ecdhe == null || otherShare == null || (sentByUs && !Arrays.equals(ecdhe.publicKey(), clientShare))) {
            masterFailure = "no ECDHE key pair of ours matches, or the other side's share is missing";
            return null;
        }
        byte[] shared = ecdhe.sharedSecret(otherShare);
        return kx.usesPsk() ? PskPremaster.ecdhePsk(shared, settings.psk()) : shared;
    }

    void install(RecordProtection records, boolean client, int writeEpoch, int readEpoch) {
        byte[] clientRandom = client ? ownRandom : peerRandom;
        byte[] serverRandom = client ? peerRandom : ownRandom;
        records.install(settings.suite(), master, clientRandom, serverRandom, client, writeEpoch, readEpoch);
    }

    void destroy() {
        if (master != null) {
            Arrays.fill(master, (byte) 0);
        }
        if (ecdhe != null) {
            ecdhe.destroy();
        }
    }
}
