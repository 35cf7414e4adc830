package org.dtls4j;

import java.io.ByteArrayInputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.ExporterSecret;
import org.dtls4j.crypto.KeyBlock;
import org.dtls4j.crypto.KeySchedule;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.session.AgreedConnectionId;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * An established server connection put away as one byte array while it is quiet (issue 14: a server of
 * 100,000 mostly idle devices), and woken into a {@link DtlsConnection} again at its next datagram. The form
 * holds what the connection's records and its application need — peer address, idle clock, suite, master
 * secret and randoms (keys are derived again, and exporters keep working), the exact write sequence number
 * and its cap, the exact replay window, the records that failed authentication (the bad-MAC limit spans rests),
 * Connection IDs, the peer's record_size_limit, PSK identity, ALPN, server name, SRTP profile and MKI, and, when
 * there is one, the session ID and the peer's credential: its certificate chain (DER) or raw public key
 * (SubjectPublicKeyInfo, RFC 7250) — in about 190 bytes for PSK, ~280 for a raw P-256 key, ~190 plus the
 * chain's DER for X.509, instead of the ~1.9-8 KB of a live connection's objects.
 *
 * <p><b>The same connection to its application.</b> The woken {@link DtlsConnection#handshakeResult()} equals the
 * original's in every component (an LwM2M server authorises each request by the peer's key or certificate). Its
 * session is the very object the server's session cache holds under its ID while the cache does (so a resumption
 * and an invalidation after the wake work as before), else one made again with the same ID, secret and peer.
 * The chain or key is decoded only when the application first asks for the result after a wake
 * ({@link #withPeer}): a wake for a datagram that authenticates nothing parses no certificate, and a connection
 * that rests again unasked keeps the same bytes. Bound: a peer chooses its chain's size (up to the handshake's
 * reassembly limit); a connection whose credential is over {@link #MAX_IDENTITY_BYTES} stays live.
 *
 * <p><b>One nonce, one record.</b> Unlike a {@link ConnectionSnapshot}, the form continues at the exact next
 * sequence number: {@link DtlsAcceptor} makes it and retires the live object in one step on its own thread
 * ({@link DtlsConnection#retireForRest}: keys wiped, closed), keeps the form in exactly one table slot, and
 * wipes and forgets it when it wakes. So at every moment one object, live or at rest, owns the sequence numbers.
 *
 * <p>What is not kept: the traffic, drop and retransmission counters ({@link DtlsConnection#datagramsReceived()}
 * and the like count from the wake: the acceptor's owner folds them into its totals before the connection
 * rests, and carrying them on would count them twice there), the {@link DtlsConnection} object itself (a
 * reference kept from before the rest reads as closed; a woken connection is a new object, found by
 * {@link DtlsAcceptor#connection}), a host name the peer's {@link java.net.InetAddress} carried (the address
 * and port are kept), and the ClientHello random (a late duplicate of the original ClientHello is answered as
 * a new handshake, which the client ignores).
 *
 * <p>Layout: the key first, so the acceptor's table reads it without parsing — u8 address length (4 or 16),
 * address, u16 port — then u64 last progress, then the rest in TLS presentation order.
 */
final class ConnectionAtRest {
    private static final int ETM = 1;
    private static final int EMS = 1 << 1;
    private static final int RESUMED = 1 << 2;
    private static final int CID = 1 << 3;
    private static final int PSK = 1 << 4;
    private static final int FROM_SNAPSHOT = 1 << 5;
    private static final int MKI = 1 << 6;
    /** The form goes on with the session ID and the peer's identity (certificate chain or raw public key). */
    private static final int IDENTITY = 1 << 7;
    private static final int NO_KEY = 0;
    private static final int RAW_KEY = 1;
    private static final int CHAIN = 2;
    /**
     * The most bytes of peer identity (encoded chain, or SubjectPublicKeyInfo and its algorithm name) a form
     * keeps. A peer chooses its chain's size, up to what the handshake's reassembly limit let through; a
     * connection whose identity is larger never rests ({@link #identityFits}), so a form is at most about
     * 16.5 KB. A device's chain of one to three certificates is 0.5 to 4 KB, a raw P-256 key 91 bytes.
     */
    static final int MAX_IDENTITY_BYTES = 16 * 1024;
    /** No cap: the record layer's own limit, 2^48 - 1. */
    private static final long SEQUENCE_LIMIT = (1L << 48) - 1;

    private ConnectionAtRest() {
    }

    /**
     * Copies a connection that {@link DtlsConnection#canRest} allowed into its at-rest form; the caller
     * retires the connection next, before anything else can drive it.
     *
     * @param c the connection
     * @return the form; it holds the master secret, so whoever drops it wipes it
     */
    static byte[] freeze(DtlsConnection c) {
        RecordLayer records = c.recordLayer();
        HandshakeResult r = c.resultSoFar(); // not handshakeResult(): a woken chain not yet decoded stays bytes
        ExporterSecret secret = c.exporterSecret();
        InetSocketAddress peer = c.peer();
        byte[] ip = peer.getAddress().getAddress();
        long[] words = records.readWindowWords();
        byte[] identity = c.identityAtRest() != null ? c.identityAtRest() : hasIdentity(r) ? identity(r) : null;
        byte[] psk = r.pskIdentity();
        // Sized so that the writer never grows: a grown-out buffer would keep a copy of the master secret unwiped.
        Writer w = new Writer(224 + 8 * words.length + (identity != null ? identity.length : 0)
                + (psk != null ? psk.length : 0) + 4 * 255);
        w.u8(ip.length).bytes(ip).u16(peer.getPort()).u64(c.lastProgressNanos());
        AgreedConnectionId cid = r.connectionId();
        int flags = (r.session().encryptThenMac() ? ETM : 0) | (r.extendedMasterSecret() ? EMS : 0)
                | (r.resumed() ? RESUMED : 0) | (cid != null ? CID : 0) | (r.pskIdentity() != null ? PSK : 0)
                | (c.restoredFromSnapshot() ? FROM_SNAPSHOT : 0) | (r.srtpMki() != null ? MKI : 0)
                | (identity != null ? IDENTITY : 0);
        w.u8(flags).u16(r.suite().code());
        byte[] master = secret.masterSecret();
        w.bytes(master).bytes(secret.clientRandom()).bytes(secret.serverRandom());
        Arrays.fill(master, (byte) 0);
        long edge = records.readRightEdge();
        w.u48(records.nextWriteSequence()).u48(records.writeSequenceLimit()).u8(edge >= 0 ? 1 : 0).u48(Math.max(edge, 0));
        w.u16(words.length);
        for (long word : words) {
            w.u64(word);
        }
        w.u32(Math.min(records.authenticationFailures(), 0xffffffffL));
        w.u16(c.nextPeerMessageSeq()).u16(r.peerRecordSizeLimit());
        w.opaque8(cid != null ? cid.read() : new byte[0]).opaque8(cid != null ? cid.write() : new byte[0]);
        w.opaque16(psk != null ? psk : new byte[0]);
        w.opaque8(utf8(r.applicationProtocol())).opaque8(utf8(r.serverName()));
        w.u16(r.srtpProfile() != null ? r.srtpProfile().code() : 0).opaque8(r.srtpMki() != null ? r.srtpMki() : new byte[0]);
        if (identity != null) {
            w.bytes(identity);
        }
        byte[] form = w.toByteArray();
        Arrays.fill(w.array(), (byte) 0); // the writer's buffer held the master secret too
        return form;
    }

    /**
     * Rebuilds the live connection from its form, exactly where it was put away; the caller wipes the form.
     *
     * @param form a form from {@link #freeze}
     * @param config the acceptor's configuration (the one the connection ran with)
     * @param sink where its datagrams go
     * @param listener hears its events
     * @param nowNanos the caller's clock
     * @return the connection, established
     * @throws IllegalStateException when the form does not parse (a dtls4j bug: only this class writes forms)
     */
    static DtlsConnection wake(byte[] form, DtlsConfig config, DatagramSink sink, DtlsListener listener,
                               long nowNanos) {
        Fields f = parse(form);
        DtlsConnection c = DtlsConnection.forRestore(config, f.peer, sink, listener, false);
        RecordLayer records = c.recordLayer();
        boolean etm = (f.flags & ETM) != 0;
        installEpoch1(records, config, f.suite, etm, f.master, f.clientRandom, f.serverRandom, false, nowNanos);
        records.restoreWriteSequence(f.nextWrite);
        if (f.writeLimit < SEQUENCE_LIMIT) {
            records.limitWriteSequence(f.writeLimit);
        }
        records.restoreReadWindow(f.edge, f.words);
        records.restoreAuthenticationFailures(f.authFailures);
        HandshakeResult result = result(config, f);
        applyTo(records, result.connectionId(), f.peerLimit);
        ExporterSecret secret = new ExporterSecret(f.suite.prf(), f.master, f.clientRandom, f.serverRandom);
        Arrays.fill(f.master, (byte) 0);
        c.wakeEstablished(result, secret, f.nextPeerSeq, (f.flags & FROM_SNAPSHOT) != 0, f.progress, nowNanos,
                f.peerKnown() ? f.identity : null);
        return c;
    }

    /**
     * What a connection at rest would report as its {@link DtlsConnection#handshakeResult()} once woken, read
     * from its form without waking it: no keys derived, no connection made, nothing filed; the peer's chain or
     * raw key is decoded on every call (a woken connection decodes it once). The caller keeps and wipes the form.
     *
     * @param form a form from {@link #freeze}
     * @param config the acceptor's configuration
     * @return the result, with the peer's credential
     * @throws IllegalStateException when the form does not parse (a dtls4j bug: only this class writes forms)
     */
    static HandshakeResult result(byte[] form, DtlsConfig config) {
        Fields f = parse(form);
        try {
            HandshakeResult partial = result(config, f);
            return f.peerKnown() ? withPeer(partial, f.identity) : partial;
        } finally {
            Arrays.fill(f.master, (byte) 0);
        }
    }

    /**
     * RFC 5705 keying material of a connection at rest, read from its form without waking it: the exporter
     * needs only the suite's PRF, the master secret and the randoms, which the form keeps, so the bytes are
     * those the woken connection would export. No record keys are derived and nothing is filed; the secret
     * copies made here are wiped before returning. The caller keeps and wipes the form.
     *
     * @param form a form from {@link #freeze}
     * @param label the exporter label, not a reserved one
     * @param context the context, at most 65535 bytes, or null for none
     * @param length how many bytes to export, at least 0
     * @return a fresh array of {@code length} bytes
     * @throws IllegalArgumentException as {@link DtlsConnection#exportKeyingMaterial} does
     * @throws IllegalStateException when the form does not parse (a dtls4j bug: only this class writes forms)
     */
    static byte[] exportKeyingMaterial(byte[] form, String label, byte[] context, int length) {
        Fields f = parse(form);
        ExporterSecret secret = new ExporterSecret(f.suite.prf(), f.master, f.clientRandom, f.serverRandom);
        Arrays.fill(f.master, (byte) 0);
        try {
            return secret.exportKeyingMaterial(label, context, length);
        } finally {
            secret.destroy();
        }
    }

    /** A form's fields, in its order (see the class comment); {@code master} is a copy the reader wipes. */
    private record Fields(InetSocketAddress peer, long progress, int flags, CipherSuite suite, byte[] master,
                          byte[] clientRandom, byte[] serverRandom, long nextWrite, long writeLimit, long edge,
                          long[] words, long authFailures, int nextPeerSeq, int peerLimit, byte[] readCid,
                          byte[] writeCid, byte[] psk, String alpn, String serverName, SrtpProtectionProfile srtp,
                          byte[] mki, byte[] identity, byte[] sessionId) {
        /** {@return whether the identity section names the peer (a chain or a raw key), not only a session ID} */
        boolean peerKnown() {
            return namesPeer(identity);
        }
    }

    private static Fields parse(byte[] form) {
        try {
            Reader r = new Reader(form);
            InetSocketAddress peer = address(r.opaque8(), r.u16());
            long progress = r.u64();
            int flags = r.u8();
            CipherSuite suite = CipherSuite.of(r.u16());
            byte[] master = r.bytes(KeySchedule.MASTER_SECRET_LENGTH);
            byte[] clientRandom = r.bytes(KeySchedule.RANDOM_LENGTH);
            byte[] serverRandom = r.bytes(KeySchedule.RANDOM_LENGTH);
            long nextWrite = r.u48();
            long writeLimit = r.u48();
            boolean hasEdge = r.u8() == 1;
            long edgeField = r.u48();
            long[] words = new long[r.u16()];
            for (int i = 0; i < words.length; i++) {
                words[i] = r.u64();
            }
            long authFailures = r.u32();
            int nextPeerSeq = r.u16();
            int peerLimit = r.u16();
            byte[] readCid = r.opaque8();
            byte[] writeCid = r.opaque8();
            byte[] psk = r.opaque16();
            String alpn = string(r.opaque8());
            String serverName = string(r.opaque8());
            SrtpProtectionProfile srtp = SrtpProtectionProfile.of(r.u16()).orElse(null);
            byte[] mki = r.opaque8();
            byte[] identity = (flags & IDENTITY) != 0 ? r.bytes(r.remaining()) : null;
            byte[] sessionId = identity != null ? checkIdentity(identity) : new byte[0];
            return new Fields(peer, progress, flags, suite, master, clientRandom, serverRandom, nextWrite, writeLimit,
                    hasEdge ? edgeField : -1, words, authFailures, nextPeerSeq, peerLimit, readCid, writeCid, psk,
                    alpn, serverName, srtp, mki, identity, sessionId);
        } catch (DtlsException e) {
            throw new IllegalStateException("an at-rest form that does not parse", e);
        }
    }

    /** The result a form's fields make, without the peer's credential ({@link #withPeer} adds it). */
    private static HandshakeResult result(DtlsConfig config, Fields f) {
        boolean etm = (f.flags & ETM) != 0;
        boolean ems = (f.flags & EMS) != 0;
        AgreedConnectionId cid = (f.flags & CID) != 0 ? new AgreedConnectionId(f.readCid, f.writeCid) : null;
        byte[] pskIdentity = (f.flags & PSK) != 0 ? f.psk : null;
        Session session = session(config, f.sessionId, f.suite, f.master, ems, pskIdentity, f.serverName, etm);
        return result(f.suite, session, (f.flags & RESUMED) != 0, ems, pskIdentity, f.alpn, f.serverName,
                f.peerLimit, f.srtp, (f.flags & MKI) != 0 ? f.mki : null, cid);
    }

    /** Installs epoch 1's keys, derived from the master secret, as both the read and the write epoch. */
    static void installEpoch1(RecordLayer records, DtlsConfig config, CipherSuite suite, boolean etm, byte[] master,
                              byte[] clientRandom, byte[] serverRandom, boolean client, long nowNanos) {
        KeyBlock kb = KeySchedule.keyBlock(suite, master, clientRandom, serverRandom);
        try {
            RecordCipher fromClient = RecordCipher.forSuite(suite, kb, true, etm, config.secureRandom());
            RecordCipher fromServer = RecordCipher.forSuite(suite, kb, false, etm, config.secureRandom());
            records.installWriteEpoch(1, client ? fromClient : fromServer);
            records.installReadEpoch(1, client ? fromServer : fromClient, nowNanos);
        } finally {
            kb.destroy();
        }
        records.retirePreviousWriteEpoch();
    }

    /**
     * The result a connection rebuilt from a {@link ConnectionSnapshot} reports: what was agreed, and, from the
     * identity section the snapshot kept ({@link #identityOf}), the session ID and the peer's certificates or raw
     * public key, decoded now (a restore is rare; a wake is not). Applies the CIDs and the peer's record limit to
     * {@code records}.
     *
     * @param identity the identity section, or null (a snapshot of version 1, or a peer with nothing to keep)
     * @throws DtlsException when the identity section does not parse
     */
    static HandshakeResult result(DtlsConfig config, CipherSuite suite, byte[] master, boolean etm, boolean ems,
                                  byte[] pskIdentity, String alpn, String serverName, int peerLimit,
                                  SrtpProtectionProfile srtp, byte[] mki, AgreedConnectionId cid, byte[] identity,
                                  RecordLayer records) throws DtlsException {
        byte[] sessionId = identity != null ? checkIdentity(identity) : new byte[0];
        Session session = session(config, sessionId, suite, master, ems, pskIdentity, serverName, etm);
        applyTo(records, cid, peerLimit);
        HandshakeResult partial = result(suite, session, false, ems, pskIdentity, alpn, serverName, peerLimit, srtp,
                mki, cid);
        return namesPeer(identity) ? withPeer(partial, identity) : partial;
    }

    /** {@return whether an identity section (or null) names the peer — a chain or a raw key — not only a session ID} */
    private static boolean namesPeer(byte[] identity) {
        return identity != null && identity[1 + identity[0]] != NO_KEY;
    }

    /**
     * {@return the identity section for {@code r} — session ID and the peer's chain or raw key — or null when
     * there is nothing to keep} ({@link #identity} gives the layout).
     */
    static byte[] identityOf(HandshakeResult r) {
        return hasIdentity(r) ? identity(r) : null;
    }

    /** Applies a rebuilt connection's CIDs and the peer's record limit to its {@code records}. */
    private static void applyTo(RecordLayer records, AgreedConnectionId cid, int peerLimit) {
        if (cid != null) {
            records.setReadConnectionId(cid.read());
            records.setWriteConnectionId(cid.write());
        }
        if (peerLimit > 0) {
            records.setPeerRecordSizeLimit(peerLimit);
        }
    }

    /**
     * The result of a rebuilt connection with {@code session}, and without the peer's certificates or raw key
     * ({@link #withPeer} adds them).
     */
    private static HandshakeResult result(CipherSuite suite, Session session, boolean resumed, boolean ems,
                                          byte[] pskIdentity, String alpn, String serverName, int peerLimit,
                                          SrtpProtectionProfile srtp, byte[] mki, AgreedConnectionId cid) {
        return new HandshakeResult(suite, List.of(), pskIdentity, alpn, serverName, session, resumed, ems, peerLimit,
                null, srtp, srtp != null ? (mki != null ? mki : new byte[0]) : null, cid);
    }

    // ---------------------------------------------------------------- who the peer is, and its session

    /** {@return whether the form must carry a session ID or a peer identity for {@code r}} */
    private static boolean hasIdentity(HandshakeResult r) {
        return r.session().sessionId().length > 0 || r.peerRawPublicKey() != null || !r.peerCertificates().isEmpty();
    }

    /**
     * {@return whether the peer's identity fits a form ({@link #MAX_IDENTITY_BYTES})}; a connection whose does
     * not stays live. It allocates copies of the encodings (the JDK hands out copies), once per try to rest.
     *
     * @param r the connection's result so far ({@link DtlsConnection#resultSoFar})
     * @param atRest the identity a woken connection has not decoded yet, or null
     */
    static boolean identityFits(HandshakeResult r, byte[] atRest) {
        if (atRest != null) {
            return true; // it fitted when it was put away, and it is the same bytes
        }
        if (r.peerRawPublicKey() != null) {
            return encodedKey(r.peerRawPublicKey()).length + r.peerRawPublicKey().getAlgorithm().length()
                    <= MAX_IDENTITY_BYTES;
        }
        long total = 0;
        for (X509Certificate cert : r.peerCertificates()) {
            total += encodedCertificate(cert).length;
        }
        return total <= MAX_IDENTITY_BYTES;
    }

    /**
     * Layout: opaque session_id&lt;0..32&gt;, u8 kind, then for a raw key (RFC 7250) opaque algorithm&lt;1..255&gt;
     * and opaque SubjectPublicKeyInfo&lt;1..2^16-1&gt;, for a chain opaque certificates&lt;1..2^24-1&gt;: the
     * DER certificates one after the other, leaf first, as {@link CertificateFactory#generateCertificates} reads
     * them back.
     */
    private static byte[] identity(HandshakeResult r) {
        byte[] sessionId = r.session().sessionId();
        PublicKey rawKey = r.peerRawPublicKey();
        if (rawKey != null) {
            byte[] algorithm = rawKey.getAlgorithm().getBytes(StandardCharsets.US_ASCII);
            byte[] spki = encodedKey(rawKey);
            return new Writer(4 + sessionId.length + algorithm.length + 2 + spki.length)
                    .opaque8(sessionId).u8(RAW_KEY).opaque8(algorithm).opaque16(spki).toByteArray();
        }
        List<byte[]> certs = new ArrayList<>(r.peerCertificates().size());
        int total = 0;
        for (X509Certificate cert : r.peerCertificates()) {
            certs.add(encodedCertificate(cert));
            total += certs.get(certs.size() - 1).length;
        }
        Writer w = new Writer(5 + sessionId.length + total).opaque8(sessionId);
        if (certs.isEmpty()) {
            return w.u8(NO_KEY).toByteArray();
        }
        w.u8(CHAIN).u24(total);
        for (byte[] cert : certs) {
            w.bytes(cert);
        }
        return w.toByteArray();
    }

    /**
     * Walks an identity section without decoding what it holds (a wake that authenticates nothing must stay
     * cheap), so a form that does not parse fails at the wake, not later.
     *
     * @return the session ID it starts with
     */
    private static byte[] checkIdentity(byte[] identity) throws DtlsException {
        Reader r = new Reader(identity);
        byte[] sessionId = r.opaque8();
        int kind = r.u8();
        if (kind == RAW_KEY) {
            r.skip(r.u8());
            r.skip(r.u16());
        } else if (kind == CHAIN) {
            r.skip(r.u24());
        } else if (kind != NO_KEY) {
            throw DtlsException.decodeError("identity kind " + kind);
        }
        r.expectEnd();
        return sessionId;
    }

    /**
     * The session of a woken connection: the very object the server's session cache holds under its ID when
     * it still does (so an invalidation reaches the cache, and {@code ==} holds), else one made again with the
     * same ID and secret (without the peer's credential until {@link #withPeer}). A session the cache let go
     * is not put back.
     */
    private static Session session(DtlsConfig config, byte[] sessionId, CipherSuite suite, byte[] master, boolean ems,
                                   byte[] pskIdentity, String serverName, boolean etm) {
        SessionCache cache = config.sessionCache();
        Session cached = cache != null && sessionId.length > 0 ? cache.get(sessionId) : null;
        if (cached != null && cached.suite().equals(suite)) {
            return cached;
        }
        return new Session(sessionId, suite, master, ems, List.of(), pskIdentity, serverName, null, etm);
    }

    /**
     * The full result of a woken connection: {@code partial} with the peer's chain or raw public key decoded from
     * the identity section its form kept (only when the application first asks, see
     * {@link DtlsConnection#handshakeResult}), and a session that carries them too.
     *
     * @param partial the result the wake made
     * @param identity the identity section of its form, holding a chain or a raw key
     * @return the result as the original connection reported it
     */
    static HandshakeResult withPeer(HandshakeResult partial, byte[] identity) {
        List<X509Certificate> chain = List.of();
        PublicKey rawKey = null;
        try {
            Reader r = new Reader(identity);
            r.opaque8();
            if (r.u8() == RAW_KEY) {
                String algorithm = new String(r.opaque8(), StandardCharsets.US_ASCII);
                rawKey = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(r.opaque16()));
            } else {
                chain = decodeChain(r.opaque24());
            }
        } catch (DtlsException | GeneralSecurityException e) {
            throw new IllegalStateException("a peer identity at rest that does not decode", e);
        }
        Session s = partial.session();
        if (s.peerCertificates().isEmpty() && s.peerRawPublicKey() == null) {
            // Not the cache's own session (that one knows the peer): the one the wake made, now with the peer.
            byte[] master = s.masterSecret();
            s = new Session(s.sessionId(), s.suite(), master, s.extendedMasterSecret(), chain, s.pskIdentity(),
                    s.serverName(), rawKey, s.encryptThenMac());
            Arrays.fill(master, (byte) 0);
        }
        return new HandshakeResult(partial.suite(), chain, partial.pskIdentity(), partial.applicationProtocol(),
                partial.serverName(), s, partial.resumed(), partial.extendedMasterSecret(), partial.peerRecordSizeLimit(),
                rawKey, partial.srtpProfile(), partial.srtpMki(), partial.connectionId());
    }

    private static List<X509Certificate> decodeChain(byte[] der) throws GeneralSecurityException {
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(der));
        List<X509Certificate> chain = new ArrayList<>(certs.size());
        for (Certificate cert : certs) {
            chain.add((X509Certificate) cert);
        }
        return List.copyOf(chain);
    }

    private static byte[] encodedKey(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new IllegalStateException("a peer raw public key without an X.509 encoding: " + key.getAlgorithm());
        }
        return encoded;
    }

    private static byte[] encodedCertificate(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a validated peer certificate that cannot be encoded again", e);
        }
    }

    // ---------------------------------------------------------------- the key, for DtlsAcceptor's table

    /** {@return the hash of a peer address, the same as {@link #hash(byte[])} of its form} */
    static int hash(InetSocketAddress peer) {
        InetAddress a = peer.getAddress();
        int h = a instanceof Inet4Address ? a.hashCode() : Arrays.hashCode(a.getAddress());
        return mix(h, peer.getPort());
    }

    /** {@return the hash of the address a form is kept under} */
    static int hash(byte[] form) {
        int len = form[0];
        int h = len == 4 ? (form[1] & 0xff) << 24 | (form[2] & 0xff) << 16 | (form[3] & 0xff) << 8 | (form[4] & 0xff)
                : Arrays.hashCode(Arrays.copyOfRange(form, 1, 1 + len));
        return mix(h, port(form));
    }

    private static int mix(int addressHash, int port) {
        int h = (addressHash * 31 + port) * 0x9E3779B9;
        return h ^ h >>> 16;
    }

    /** {@return true when {@code form} is kept under {@code peer}}; allocates nothing for IPv4 */
    static boolean isFor(byte[] form, InetSocketAddress peer) {
        InetAddress a = peer.getAddress();
        int len = form[0];
        if (port(form) != peer.getPort()) {
            return false;
        }
        if (a instanceof Inet4Address) {
            // Inet4Address.hashCode() is the address itself, big-endian, as the form stores it.
            int v = a.hashCode();
            return len == 4 && form[1] == (byte) (v >>> 24) && form[2] == (byte) (v >>> 16)
                    && form[3] == (byte) (v >>> 8) && form[4] == (byte) v;
        }
        byte[] ip = a.getAddress();
        return len == ip.length && Arrays.equals(form, 1, 1 + len, ip, 0, len);
    }

    private static int port(byte[] form) {
        int at = 1 + form[0];
        return (form[at] & 0xff) << 8 | (form[at + 1] & 0xff);
    }

    /** {@return the peer address a form is kept under} */
    static InetSocketAddress peer(byte[] form) {
        try {
            return address(Arrays.copyOfRange(form, 1, 1 + form[0]), port(form));
        } catch (DtlsException e) {
            throw new IllegalStateException("an at-rest form without an address", e);
        }
    }

    /** {@return the connection's last progress ({@link DtlsConnection#lastProgressNanos}) when it was put away} */
    static long lastProgress(byte[] form) {
        int at = 3 + form[0];
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (form[at + i] & 0xff);
        }
        return v;
    }

    /** An address from its 4 or 16 bytes and port; anything else is a decode_error. */
    static InetSocketAddress address(byte[] ip, int port) throws DtlsException {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw DtlsException.decodeError("address of " + ip.length + " bytes");
        }
    }

    static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] b) {
        return b.length == 0 ? null : new String(b, StandardCharsets.UTF_8);
    }
}
