package org.dtls4j.cookie;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

import org.dtls4j.cookie.CookieResult.Drop;
import org.dtls4j.cookie.CookieResult.SendHelloVerifyRequest;
import org.dtls4j.cookie.CookieResult.Verified;
import org.dtls4j.wire.ClientHelloPeek;
import org.dtls4j.wire.RecordPeek;

/**
 * The stateless front door of a DTLS server (RFC 6347 §4.2.1): reads one raw datagram and the
 * sender's address and answers {@link Verified}, {@link SendHelloVerifyRequest} or {@link Drop},
 * keeping nothing about the peer.
 *
 * <p><b>The cookie</b> is {@code HMAC(secret, len(ip) || ip || port || client_version || random ||
 * session_id || cipher_suites || compression_methods || [extensions])}, every field but the cookie in
 * its wire form (so each is length-delimited), cut to {@link #cookieLength()} bytes and compared in
 * constant time. A changed address, port or ClientHello field therefore fails. A cookie of the wrong
 * length or value is treated as no cookie at all: the peer gets a fresh HelloVerifyRequest, as RFC 6347
 * §4.2.1 recommends so that a secret change does not lock clients out.
 *
 * <p><b>Secrets</b> come from {@link SecureRandom} and rotate: {@link #rotate()} installs a new one and
 * keeps the one before valid for one more period; with a rotation period the verifier rotates by itself,
 * measuring the period from the {@code nowNanos} its callers pass (the first call starts it). Cookies of
 * any older secret fail. Servers sharing one address can instead be given the same
 * {@linkplain Builder#secrets supplied secrets} and rotate them together with {@link #rotate(byte[])}.
 * Retired secrets are wiped.
 *
 * <p><b>What it reads:</b> only the first record of a datagram (a ClientHello is a flight of its own;
 * later records are ignored), only epoch 0, record version DTLS 1.0 or 1.2, and only a ClientHello whole
 * in that record: fragments are dropped, since the cookie covers fields after the cookie and
 * reassembly would be per-peer state. Anything malformed is dropped and counted, never thrown.
 *
 * <p><b>Bounds:</b> a hostile peer can make it hold nothing; per call it runs at most two HMACs over at
 * most one 2^14-byte record. The HelloVerifyRequest ({@link #helloVerifyRequestLength()} bytes) is never
 * larger than the ClientHello record that caused it; when it would be, the datagram is dropped.
 *
 * <p><b>Cost:</b> besides the {@code Mac}'s own work a call allocates only its result: drops are shared
 * instances, and when the caller passes its send buffer the HelloVerifyRequest is written there and the
 * same result instance is reused for the same buffer and offset. With an {@link InetSocketAddress} the
 * JDK copies the address bytes; pass the address bytes yourself to avoid that.
 *
 * <p><b>Threads:</b> not thread-safe (it reuses one {@code Mac} per secret and scratch buffers). Confine
 * it to the server's receive thread; to verify on several threads, give each its own verifier built with
 * the same supplied secrets.
 */
public final class CookieVerifier {
    /** HmacSHA256. */
    public static final String DEFAULT_ALGORITHM = "HmacSHA256";
    /** The cookie length a builder starts with, in bytes: a full HMAC-SHA256 output. */
    public static final int DEFAULT_COOKIE_LENGTH = 32;
    /** Shorter cookies would make guessing one a matter of a few billion spoofed datagrams. */
    public static final int MIN_COOKIE_LENGTH = 16;
    /** RFC 6347 §4.2.1: opaque cookie&lt;0..2^8-1&gt;. */
    public static final int MAX_COOKIE_LENGTH = 255;
    /** The shortest supplied secret accepted, in bytes (128 bits, the strength of the suites it guards). */
    public static final int MIN_SECRET_LENGTH = 16;
    /** Default automatic rotation of random secrets. */
    public static final Duration DEFAULT_ROTATION_PERIOD = Duration.ofHours(1);

    /**
     * The largest message_seq a verified ClientHello may carry. The server mirrors it (RFC 6347 §4.2.2) and
     * a full handshake then numbers up to seven server messages from it and four more client ones, all
     * within the 16-bit message_seq; a value above this leaves no room for that, so it is refused here.
     */
    static final int MAX_MESSAGE_SEQ = ClientHelloPeek.MAX_MESSAGE_SEQ - 16;
    /**
     * The largest record sequence number a ClientHello may carry. The server's epoch-0 records continue
     * from it (errata 4103 of RFC 6347 §4.2.1) and must never reach 2^48 (§4.1); this leaves 2^32 of them.
     */
    static final long MAX_RECORD_SEQUENCE = RecordPeek.MAX_SEQUENCE_NUMBER + 1 - (1L << 32);

    private static final int SECRET_LENGTH = 32;
    /** HelloVerifyRequest body: server_version (2) and the cookie's one-byte length (RFC 6347 §4.2.1). */
    private static final int HVR_BODY_OVERHEAD = 3;
    private static final DropReason[] DROP_FOR_FLAW = dropForFlaw();

    private final String algorithm;
    private final int cookieLength;
    private final int helloVerifyRequestLength;
    private final long rotationPeriodNanos;
    private final SecureRandom random;
    private final ClientHelloPeek scan = new ClientHelloPeek();
    private final byte[] peerBlock = new byte[1 + 16 + 2];
    private final byte[] currentOut;
    private final byte[] previousOut;
    private final long[] drops = new long[DropReason.values().length];

    private Mac current;
    private Mac previous;
    private CookieSecret currentSecret;
    private CookieSecret previousSecret;
    private boolean periodStarted;
    private long periodStart;
    private SendHelloVerifyRequest lastWritten;

    private CookieVerifier(Builder b) throws GeneralSecurityException {
        this.algorithm = b.algorithm;
        this.cookieLength = b.cookieLength;
        this.helloVerifyRequestLength = RecordPeek.HEADER_LENGTH
                + ClientHelloPeek.HANDSHAKE_HEADER_LENGTH + HVR_BODY_OVERHEAD + cookieLength;
        this.random = b.random != null ? b.random : new SecureRandom();
        this.current = Mac.getInstance(algorithm);
        this.previous = Mac.getInstance(algorithm);
        if (current.getMacLength() < cookieLength) {
            throw new IllegalArgumentException(algorithm + " makes " + current.getMacLength()
                    + "-byte MACs, shorter than the " + cookieLength + "-byte cookie");
        }
        this.currentOut = new byte[current.getMacLength()];
        this.previousOut = new byte[current.getMacLength()];
        if (b.secret != null) {
            this.rotationPeriodNanos = b.rotationPeriod == null ? 0 : b.rotationPeriod.toNanos();
            currentSecret = new CookieSecret(algorithm, b.secret);
            if (b.previousSecret != null) {
                previousSecret = new CookieSecret(algorithm, b.previousSecret);
                previous.init(previousSecret);
            }
        } else {
            Duration period = b.rotationPeriod == null ? DEFAULT_ROTATION_PERIOD : b.rotationPeriod;
            this.rotationPeriodNanos = period.toNanos();
            currentSecret = new CookieSecret(algorithm, randomSecret());
        }
        current.init(currentSecret);
    }

    /** {@return a builder with the defaults: HmacSHA256, 32-byte cookies, random secrets rotated hourly} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a verifier with every default} */
    public static CookieVerifier create() {
        return builder().build();
    }

    /**
     * Verifies a datagram from {@code peer}; a HelloVerifyRequest comes back in a fresh array.
     *
     * @param datagram the buffer holding the datagram
     * @param off where the datagram starts
     * @param len the datagram's length
     * @param peer the address it came from
     * @param nowNanos the caller's clock, for secret rotation
     * @return send a HelloVerifyRequest, a verified ClientHello, or drop
     */
    public CookieResult verify(byte[] datagram, int off, int len, InetSocketAddress peer, long nowNanos) {
        return verify(datagram, off, len, addressOf(peer), peer.getPort(), nowNanos, null, 0);
    }

    /**
     * Verifies a datagram from {@code peer}; a HelloVerifyRequest is written into
     * {@code out[outOff, outOff + helloVerifyRequestLength())}, which must have room for it.
     *
     * @param datagram the buffer holding the datagram
     * @param off where the datagram starts
     * @param len the datagram's length
     * @param peer the address it came from
     * @param nowNanos the caller's clock, for secret rotation
     * @param out where a HelloVerifyRequest is written
     * @param outOff where in {@code out} it starts
     * @return send a HelloVerifyRequest (in {@code out}), a verified ClientHello, or drop
     */
    public CookieResult verify(byte[] datagram, int off, int len, InetSocketAddress peer, long nowNanos,
                               byte[] out, int outOff) {
        Objects.requireNonNull(out, "out");
        return verify(datagram, off, len, addressOf(peer), peer.getPort(), nowNanos, out, outOff);
    }

    /**
     * Verifies a datagram from {@code peerAddress} and {@code peerPort}; a HelloVerifyRequest comes back in a
     * fresh array.
     *
     * @param datagram the buffer holding the datagram
     * @param off where the datagram starts
     * @param len the datagram's length
     * @param peerAddress the sender's IP address, 4 or 16 bytes
     * @param peerPort the sender's UDP port
     * @param nowNanos the caller's clock, for secret rotation
     * @return send a HelloVerifyRequest, a verified ClientHello, or drop
     */
    public CookieResult verify(byte[] datagram, int off, int len, byte[] peerAddress, int peerPort, long nowNanos) {
        return verify(datagram, off, len, peerAddress, peerPort, nowNanos, null, 0);
    }

    /**
     * The allocation-free form: peer address as 4 or 16 bytes, and a HelloVerifyRequest written into
     * {@code out} at {@code outOff} when {@code out} is not null.
     *
     * @param datagram the buffer holding the datagram
     * @param off where the datagram starts
     * @param len the datagram's length
     * @param peerAddress the sender's IP address, 4 or 16 bytes
     * @param peerPort the sender's UDP port
     * @param nowNanos the caller's clock, for secret rotation
     * @param out where a HelloVerifyRequest is written, or null for a fresh array
     * @param outOff where in {@code out} it starts
     * @return send a HelloVerifyRequest, a verified ClientHello, or drop
     */
    public CookieResult verify(byte[] datagram, int off, int len, byte[] peerAddress, int peerPort, long nowNanos,
                               byte[] out, int outOff) {
        Objects.checkFromIndexSize(off, len, datagram.length);
        if (peerAddress.length != 4 && peerAddress.length != 16) {
            throw new IllegalArgumentException("peer address must be 4 or 16 bytes");
        }
        if ((peerPort & ~0xffff) != 0) {
            throw new IllegalArgumentException("peer port out of range: " + peerPort);
        }
        if (out != null) {
            Objects.checkFromIndexSize(outOff, helloVerifyRequestLength, out.length);
        }
        advanceClock(nowNanos);
        DropReason reason = DROP_FOR_FLAW[scan.read(datagram, off, len).ordinal()];
        if (reason == null && (scan.recordSequenceNumber() > MAX_RECORD_SEQUENCE
                || scan.messageSeq() > MAX_MESSAGE_SEQ)) {
            reason = DropReason.NO_SEQUENCE_ROOM;
        }
        if (reason != null) {
            return drop(reason);
        }
        int peerBlockLength = fillPeerBlock(peerAddress, peerPort);
        if (scan.cookieLength() == cookieLength) {
            computeCookie(current, currentOut, datagram, peerBlockLength);
            if (cookieMatches(datagram, currentOut)) {
                return verified(datagram);
            }
            if (previousSecret != null) {
                computeCookie(previous, previousOut, datagram, peerBlockLength);
                if (cookieMatches(datagram, previousOut)) {
                    return verified(datagram);
                }
            }
            // currentOut now holds the cookie this ClientHello should have carried.
        } else {
            if (helloVerifyRequestLength > scan.recordLength()) {
                return drop(DropReason.WOULD_AMPLIFY);
            }
            computeCookie(current, currentOut, datagram, peerBlockLength);
        }
        if (helloVerifyRequestLength > scan.recordLength()) {
            return drop(DropReason.WOULD_AMPLIFY);
        }
        return helloVerifyRequest(out, outOff);
    }

    /** Installs a new random secret; the current one stays valid for one more period. */
    public void rotate() {
        byte[] fresh = randomSecret();
        install(fresh);
        Arrays.fill(fresh, (byte) 0);
        // A manual rotation restarts the period at the next call that brings a time.
        periodStarted = false;
    }

    /**
     * Installs a supplied secret (at least {@value #MIN_SECRET_LENGTH} bytes, copied); the current one
     * stays valid until the next rotation. Servers sharing an address call this together.
     *
     * @param newSecret the new secret
     */
    public void rotate(byte[] newSecret) {
        if (newSecret.length < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("cookie secret shorter than " + MIN_SECRET_LENGTH + " bytes");
        }
        install(newSecret);
        periodStarted = false;
    }

    /** Wipes both secrets; the verifier must not be used afterwards. */
    public void destroy() {
        retirePrevious();
        currentSecret.destroy();
        init(current, new CookieSecret(algorithm, new byte[SECRET_LENGTH]));
    }

    /** {@return the size of every HelloVerifyRequest datagram this verifier writes: 28 + cookie length} */
    public int helloVerifyRequestLength() {
        return helloVerifyRequestLength;
    }

    /** {@return the length of the cookies this verifier makes, in bytes} */
    public int cookieLength() {
        return cookieLength;
    }

    /** {@return the JDK {@code Mac} algorithm the cookies are computed with} */
    public String algorithm() {
        return algorithm;
    }

    /**
     * {@return how many datagrams were dropped for {@code reason} since this verifier was built}
     *
     * @param reason the drop reason
     */
    public long dropCount(DropReason reason) {
        return drops[reason.ordinal()];
    }

    private static DropReason[] dropForFlaw() {
        DropReason[] map = new DropReason[ClientHelloPeek.Flaw.values().length];
        for (ClientHelloPeek.Flaw f : ClientHelloPeek.Flaw.values()) {
            map[f.ordinal()] = switch (f) {
                case NONE -> null;
                case TRUNCATED -> DropReason.TRUNCATED;
                case WRONG_CONTENT_TYPE -> DropReason.WRONG_CONTENT_TYPE;
                case BAD_RECORD_VERSION -> DropReason.BAD_RECORD_VERSION;
                case NONZERO_EPOCH -> DropReason.NONZERO_EPOCH;
                case RECORD_TOO_LONG -> DropReason.RECORD_TOO_LONG;
                case NOT_CLIENT_HELLO -> DropReason.NOT_CLIENT_HELLO;
                case FRAGMENTED -> DropReason.FRAGMENTED;
                case MALFORMED -> DropReason.MALFORMED;
                case TRAILING_BYTES -> DropReason.TRAILING_BYTES;
            };
        }
        return map;
    }

    private static byte[] addressOf(InetSocketAddress peer) {
        InetAddress address = peer.getAddress();
        if (address == null) {
            throw new IllegalArgumentException("peer address is unresolved: " + peer);
        }
        return address.getAddress();
    }

    private void advanceClock(long nowNanos) {
        if (rotationPeriodNanos <= 0) {
            return;
        }
        if (!periodStarted) {
            periodStarted = true;
            periodStart = nowNanos;
            return;
        }
        long elapsed = nowNanos - periodStart;
        if (elapsed < rotationPeriodNanos) {
            return;
        }
        byte[] fresh = randomSecret();
        install(fresh);
        Arrays.fill(fresh, (byte) 0);
        if (elapsed - rotationPeriodNanos >= rotationPeriodNanos) {
            // Two periods or more went by unseen: the secret just demoted is past its extra period too.
            retirePrevious();
            periodStart = nowNanos;
        } else {
            periodStart += rotationPeriodNanos;
        }
    }

    private void install(byte[] key) {
        CookieSecret fresh = new CookieSecret(algorithm, key);
        Mac spare = previous;
        if (previousSecret != null) {
            previousSecret.destroy();
        }
        previous = current;
        previousSecret = currentSecret;
        init(spare, fresh);
        current = spare;
        currentSecret = fresh;
    }

    private void retirePrevious() {
        if (previousSecret == null) {
            return;
        }
        previousSecret.destroy();
        previousSecret = null;
        // Overwrite the Mac's pads, which were derived from the retired secret.
        init(previous, new CookieSecret(algorithm, new byte[SECRET_LENGTH]));
    }

    private void init(Mac mac, CookieSecret key) {
        try {
            mac.init(key);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(algorithm + " refused a raw cookie secret", e);
        }
    }

    private byte[] randomSecret() {
        byte[] key = new byte[SECRET_LENGTH];
        random.nextBytes(key);
        return key;
    }

    private int fillPeerBlock(byte[] address, int port) {
        peerBlock[0] = (byte) address.length;
        System.arraycopy(address, 0, peerBlock, 1, address.length);
        int n = 1 + address.length;
        peerBlock[n] = (byte) (port >>> 8);
        peerBlock[n + 1] = (byte) port;
        return n + 2;
    }

    /** HMAC over the peer block and the ClientHello body around (not including) the cookie vector. */
    private void computeCookie(Mac mac, byte[] out, byte[] datagram, int peerBlockLength) {
        mac.update(peerBlock, 0, peerBlockLength);
        mac.update(datagram, scan.bodyStart(), scan.cookieAt() - scan.bodyStart());
        int afterCookie = scan.cookieAt() + 1 + scan.cookieLength();
        mac.update(datagram, afterCookie, scan.recordEnd() - afterCookie);
        try {
            mac.doFinal(out, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("MAC buffer sized from getMacLength()", e);
        }
    }

    /** Constant time over the cookie length: no early exit on the first differing byte. */
    private boolean cookieMatches(byte[] datagram, byte[] expected) {
        int at = scan.cookieAt() + 1;
        int diff = 0;
        for (int i = 0; i < cookieLength; i++) {
            diff |= datagram[at + i] ^ expected[i];
        }
        return diff == 0;
    }

    private Verified verified(byte[] datagram) {
        int m = scan.messageStart();
        int extensionsAt = scan.extensionsAt();
        return new Verified(Arrays.copyOfRange(datagram, m, scan.recordEnd()), scan.recordSequenceNumber(),
                scan.recordVersion(), scan.messageSeq(), scan.sessionIdAt() - m, scan.cookieAt() - m,
                scan.suitesAt() - m, scan.compressionAt() - m, extensionsAt < 0 ? -1 : extensionsAt - m);
    }

    private Drop drop(DropReason reason) {
        drops[reason.ordinal()]++;
        return Drop.of(reason);
    }

    private SendHelloVerifyRequest helloVerifyRequest(byte[] out, int outOff) {
        if (out == null) {
            byte[] fresh = new byte[helloVerifyRequestLength];
            writeHelloVerifyRequest(fresh, 0);
            return new SendHelloVerifyRequest(fresh, 0, helloVerifyRequestLength);
        }
        writeHelloVerifyRequest(out, outOff);
        SendHelloVerifyRequest last = lastWritten;
        if (last == null || last.buffer() != out || last.offset() != outOff) {
            last = new SendHelloVerifyRequest(out, outOff, helloVerifyRequestLength);
            lastWritten = last;
        }
        return last;
    }

    /**
     * RFC 6347 §4.2.1 and errata 4103: server_version and record version DTLS 1.0 (254,255), epoch 0,
     * and the ClientHello's record sequence number and message_seq mirrored, so that retransmitted
     * ClientHellos get HelloVerifyRequests the client can match and no sequence number repeats.
     */
    private void writeHelloVerifyRequest(byte[] out, int o) {
        int bodyLength = HVR_BODY_OVERHEAD + cookieLength;
        int recordLength = ClientHelloPeek.HANDSHAKE_HEADER_LENGTH + bodyLength;
        RecordPeek.writeHeader(out, o, ClientHelloPeek.CONTENT_TYPE_HANDSHAKE, RecordPeek.DTLS_1_0, 0,
                scan.recordSequenceNumber(), null, recordLength);
        int h = o + RecordPeek.HEADER_LENGTH;
        ClientHelloPeek.writeHandshakeHeader(out, h, ClientHelloPeek.HELLO_VERIFY_REQUEST, bodyLength,
                scan.messageSeq());
        int body = h + ClientHelloPeek.HANDSHAKE_HEADER_LENGTH;
        out[body] = (byte) (RecordPeek.DTLS_1_0 >>> 8);
        out[body + 1] = (byte) RecordPeek.DTLS_1_0;
        out[body + 2] = (byte) cookieLength;
        System.arraycopy(currentOut, 0, out, body + 3, cookieLength);
    }

    @Override
    public String toString() {
        return "CookieVerifier[" + algorithm + ", cookie " + cookieLength + " bytes, rotation "
                + (rotationPeriodNanos > 0 ? Duration.ofNanos(rotationPeriodNanos) : "manual") + "]";
    }

    /** Configures a {@link CookieVerifier}. */
    public static final class Builder {
        private String algorithm = DEFAULT_ALGORITHM;
        private int cookieLength = DEFAULT_COOKIE_LENGTH;
        private Duration rotationPeriod;
        private SecureRandom random;
        private byte[] secret;
        private byte[] previousSecret;

        private Builder() {
        }

        /**
         * Sets the JDK {@code Mac} algorithm, HmacSHA256 by default; its MAC must be as long as the cookie.
         *
         * @param algorithm a JDK {@code Mac} algorithm name
         * @return this builder
         */
        public Builder algorithm(String algorithm) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /**
         * Sets the cookie length.
         *
         * @param cookieLength bytes, {@value #MIN_COOKIE_LENGTH} to {@value #MAX_COOKIE_LENGTH}; default 32
         * @return this builder
         */
        public Builder cookieLength(int cookieLength) {
            if (cookieLength < MIN_COOKIE_LENGTH || cookieLength > MAX_COOKIE_LENGTH) {
                throw new IllegalArgumentException("cookie length must be " + MIN_COOKIE_LENGTH + ".."
                        + MAX_COOKIE_LENGTH + ", got " + cookieLength);
            }
            this.cookieLength = cookieLength;
            return this;
        }

        /**
         * Automatic rotation period, measured on the callers' {@code nowNanos}; {@link Duration#ZERO}
         * turns it off. Default one hour for random secrets; not allowed with supplied secrets, which
         * every server must rotate together through {@link CookieVerifier#rotate(byte[])}.
         *
         * @param period the rotation period
         * @return this builder
         */
        public Builder rotationPeriod(Duration period) {
            if (period.isNegative()) {
                throw new IllegalArgumentException("negative rotation period");
            }
            this.rotationPeriod = period;
            return this;
        }

        /**
         * Sets the source of random secrets; a new {@link SecureRandom} by default.
         *
         * @param random the source
         * @return this builder
         */
        public Builder secureRandom(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Supplied secrets (each at least {@value #MIN_SECRET_LENGTH} bytes, copied), for several servers
         * behind one address; {@code previous} may be null. Cookies from either verify. The builder keeps
         * its copies so it can build one verifier per thread; drop it once built.
         *
         * @param current the secret new cookies are made with
         * @param previous the secret before it, still accepted, or null
         * @return this builder
         */
        public Builder secrets(byte[] current, byte[] previous) {
            if (current.length < MIN_SECRET_LENGTH || previous != null && previous.length < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("cookie secret shorter than " + MIN_SECRET_LENGTH + " bytes");
            }
            this.secret = current.clone();
            this.previousSecret = previous == null ? null : previous.clone();
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return a verifier with this builder's settings
         * @throws IllegalArgumentException for an unknown algorithm or one whose MAC is shorter than
         *     the cookie
         * @throws IllegalStateException for supplied secrets combined with automatic rotation
         */
        public CookieVerifier build() {
            if (secret != null && rotationPeriod != null && !rotationPeriod.isZero()) {
                throw new IllegalStateException("automatic rotation makes random secrets; servers sharing "
                        + "supplied secrets rotate them together with rotate(byte[])");
            }
            try {
                return new CookieVerifier(this);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalArgumentException("unknown MAC algorithm " + algorithm, e);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(algorithm + " refused a raw cookie secret", e);
            }
        }
    }
}
