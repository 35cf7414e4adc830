package org.dtls4j.handshake;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.wire.Writer;

/**
 * The running hash of the handshake messages for Finished, CertificateVerify and the extended master
 * secret's session_hash.
 *
 * <ul>
 *   <li>Each message counts once, as if sent unfragmented: header with fragment_offset = 0 and
 *       fragment_length = length (RFC 6347 §4.2.6), whatever fragmentation or retransmission carried it.
 *       Feed only whole messages (from {@link Reassembler#poll()} or the flight we build); a message whose
 *       message_seq is not above the last one added from the same side is ignored.
 *   <li>HelloVerifyRequest and the ClientHello before it are left out (RFC 6347 §4.2.1): call
 *       {@link #restartAfterHelloVerifyRequest()} when the HelloVerifyRequest arrives (client). A
 *       HelloVerifyRequest or HelloRequest (RFC 5246 §7.4.1.1) given to {@code add*} is ignored.
 *   <li>The hash is known only after ServerHello: until {@link #selectHash} messages are kept, then
 *       they are fed to an incremental digest. {@link #snapshot()} hashes the transcript so far without
 *       ending it (a clone of the digest).
 *   <li>The messages are kept as well until {@link #releaseMessages()}, because a TLS 1.2
 *       CertificateVerify signs handshake_messages with its own scheme's hash (or with pure EdDSA), which
 *       may differ from the PRF hash. Call it once no CertificateVerify is pending.
 * </ul>
 * Its size is bounded by what the reassembler releases (its limits) plus our own flights.
 */
public final class TranscriptHash {
    /**
     * A fresh digest per algorithm, never updated: each transcript starts from a clone of it, which costs a
     * few small arrays where {@code MessageDigest.getInstance} walks the provider list (a measurable share
     * of a PSK handshake, bench/RESULTS.md). Cloning an object nobody mutates is safe from any thread, and a
     * successful first clone also proves the digest clonable, which {@link #snapshot()} relies on.
     */
    private static final Map<String, MessageDigest> PROTOTYPES = new ConcurrentHashMap<>();

    /**
     * The messages while they are kept, by reference (a {@link RawMessage}'s body is not copied and nobody
     * writes to it once released or sent); null until the first one and again once released.
     */
    private List<RawMessage> kept;
    /** One message's header as hashed (fragment_offset 0, fragment_length = length), rewritten per message. */
    private final byte[] header = new byte[HandshakeFragment.HEADER_LENGTH];
    private final Writer headerWriter = new Writer(header, 0);
    private boolean keepMessages = true;
    private MessageDigest digest;
    /**
     * The last {@link #snapshot()} while no message followed it: without a CertificateVerify the extended
     * master secret and the Finished after ClientKeyExchange hash the same messages (RFC 7627 §3, RFC 5246
     * §7.4.9), so the second one costs no digest clone.
     */
    private byte[] lastSnapshot;
    /**
     * Set by {@link #finalSnapshot}: the running digest is spent, later messages are not hashed and a snapshot
     * with messages added since throws.
     */
    private boolean closed;
    private int lastSentSeq = -1;
    private int lastReceivedSeq = -1;

    /**
     * Adds a message this side sent; returns false (and adds nothing) if it is excluded or a repeat.
     *
     * @param m the message as sent
     * @return false when it was excluded or a repeat
     */
    public boolean addSent(RawMessage m) {
        if (!counts(m) || m.messageSeq() <= lastSentSeq) {
            return false;
        }
        lastSentSeq = m.messageSeq();
        append(m);
        return true;
    }

    /**
     * Adds a message the peer sent; returns false (and adds nothing) if it is excluded or a repeat.
     *
     * @param m the message as received
     * @return false when it was excluded or a repeat
     */
    public boolean addReceived(RawMessage m) {
        if (!counts(m) || m.messageSeq() <= lastReceivedSeq) {
            return false;
        }
        lastReceivedSeq = m.messageSeq();
        append(m);
        return true;
    }

    private static boolean counts(RawMessage m) {
        return m.msgType() != HandshakeType.HELLO_VERIFY_REQUEST && m.msgType() != HandshakeType.HELLO_REQUEST;
    }

    private void append(RawMessage m) {
        lastSnapshot = null;
        if (closed) {
            return;
        }
        if (digest != null) {
            hash(digest, m);
        }
        if (keepMessages || digest == null) {
            if (kept == null) {
                kept = new ArrayList<>(8);
            }
            kept.add(m);
        }
    }

    /** Feeds one message to {@code d} as if sent unfragmented (RFC 6347 §4.2.6). */
    private void hash(MessageDigest d, RawMessage m) {
        byte[] body = m.body();
        headerWriter.reset();
        HandshakeFragment.writeHeader(headerWriter, m.msgType(), body.length, m.messageSeq(), 0, body.length);
        d.update(header);
        d.update(body);
    }

    /**
     * Forgets everything: the HelloVerifyRequest exchange is not part of the handshake transcript
     * (RFC 6347 §4.2.1). The hash choice is forgotten too.
     */
    public void restartAfterHelloVerifyRequest() {
        kept = null;
        keepMessages = true;
        digest = null;
        lastSnapshot = null;
        closed = false;
        lastSentSeq = -1;
        lastReceivedSeq = -1;
    }

    /**
     * Chooses the PRF hash (after ServerHello): "SHA-256" or "SHA-384". Buffered messages are fed to it.
     *
     * @param algorithm the JDK digest name of the suite's PRF hash
     * @throws IllegalStateException if a hash was already chosen
     * @throws IllegalArgumentException if the JDK lacks the algorithm or cannot clone its digest
     */
    public void selectHash(String algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (digest != null) {
            throw new IllegalStateException("hash already selected: " + digest.getAlgorithm());
        }
        MessageDigest d;
        try {
            MessageDigest prototype = PROTOTYPES.get(algorithm);
            if (prototype == null) {
                prototype = MessageDigest.getInstance(algorithm);
                d = (MessageDigest) prototype.clone();
                PROTOTYPES.putIfAbsent(algorithm, prototype);
            } else {
                d = (MessageDigest) prototype.clone();
            }
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new IllegalArgumentException("transcript hash " + algorithm + " unavailable", e);
        }
        if (kept != null) {
            for (RawMessage m : kept) {
                hash(d, m);
            }
        }
        digest = d;
        if (!keepMessages) {
            kept = null;
        }
    }

    /** {@return true once {@link #selectHash} was called} */
    public boolean hashSelected() {
        return digest != null;
    }

    /**
     * {@return Hash(handshake_messages so far), for the last Finished of the handshake that needs it} The
     * running digest is finished in place instead of on a copy (a {@code MessageDigest.clone()}, about 0.5 KB
     * and most of a snapshot's cost), so the transcript is spent: later messages (this side's own last
     * Finished) are not hashed, and {@link #snapshot()} after one throws.
     */
    public byte[] finalSnapshot() {
        if (closed && lastSnapshot == null) {
            throw new IllegalStateException("transcript already finished");
        }
        if (digest == null) {
            throw new IllegalStateException("no hash selected yet");
        }
        if (lastSnapshot == null) {
            lastSnapshot = digest.digest();
        }
        closed = true;
        return lastSnapshot.clone();
    }

    /** {@return Hash(handshake_messages so far), leaving the transcript open for more messages} */
    public byte[] snapshot() {
        if (closed) {
            return finalSnapshot();
        }
        if (digest == null) {
            throw new IllegalStateException("no hash selected yet");
        }
        if (lastSnapshot == null) {
            try {
                lastSnapshot = ((MessageDigest) digest.clone()).digest();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("digest clone failed after probe", e);
            }
        }
        return lastSnapshot.clone();
    }

    /** {@return the concatenated messages so far, as hashed. Only until {@link #releaseMessages()}} */
    public byte[] messages() {
        if (!keepMessages) {
            throw new IllegalStateException("transcript messages were released");
        }
        if (kept == null) {
            return new byte[0];
        }
        int size = 0;
        for (RawMessage m : kept) {
            size += header.length + m.body().length;
        }
        Writer w = new Writer(new byte[size], 0);
        for (RawMessage m : kept) {
            byte[] body = m.body();
            HandshakeFragment.writeHeader(w, m.msgType(), body.length, m.messageSeq(), 0, body.length);
            w.bytes(body);
        }
        return w.array();
    }

    /** Stops keeping the raw transcript once a hash is selected (it is kept until then regardless). */
    public void releaseMessages() {
        keepMessages = false;
        if (digest != null) {
            kept = null;
        }
    }
}
