package org.dtls4j;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.ExporterSecret;
import org.dtls4j.crypto.KeySchedule;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.session.AgreedConnectionId;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * An established connection as bytes, so it can outlive the process that holds it (a server restart, or a
 * move to another node) without a new handshake: what its records need — suite, master secret and
 * randoms (the keys are derived again), epochs, write sequence number, replay window, Connection IDs, peer
 * address — sealed with AES-GCM under a key the application supplies, so a snapshot is safe to store.
 *
 * <p><b>Never one nonce twice.</b> Every AEAD record nonce comes from its epoch and sequence number, so a
 * restored connection must never write a sequence number the original wrote. {@link #take} therefore
 * <em>reserves</em> a block: the snapshot continues at {@code next + reserve}, and the live connection is
 * capped below that (past it, {@link DtlsConnection#send} fails the connection; take a new snapshot before,
 * which moves the cap). The read side is conservative: a restored connection counts every sequence number
 * up to the newest the original authenticated as received, so a late record is lost, never a replay taken.
 *
 * <p><b>Restore a snapshot at most once, and only the newest.</b> Two restores of one snapshot write the
 * same sequence numbers under the same key; an older snapshot's block may have been written by the live
 * connection after a newer snapshot moved its cap. The application must make restoring consume the
 * snapshot: keep it in a store with an atomic take (delete-if-present, or compare-and-set on
 * {@link #generation}), delete it before the restored connection sends, and after a restore take a new
 * snapshot before storing anything again. A restored connection cannot tell a replayed snapshot.
 *
 * <p>The restored {@link HandshakeResult} reports what the original did — suite, PSK identity, ALPN, server
 * name, CIDs, the peer's record_size_limit, SRTP profile and MKI, the session ID, and the peer's certificate
 * chain or raw public key (RFC 7250) — so an application that authorises requests by who the peer is goes on
 * doing so after a restart. (A snapshot of version 1, from before that, restores without the SRTP profile,
 * session ID and peer credential.) What is not kept: whether the handshake was a resumption, the session cache
 * entry itself (the restored session is the cache's while the cache holds its ID), traffic counters, and any
 * unsent or buffered data.
 */
public final class ConnectionSnapshot {
    /** A default reservation: about a million records before the live connection needs a new snapshot. */
    public static final long DEFAULT_RESERVE = 1L << 20;

    private static final byte[] MAGIC = "d4jS".getBytes(StandardCharsets.US_ASCII);
    /** 2 added the SRTP profile and MKI, and the identity section (session ID, peer credential); 1 still opens. */
    private static final int VERSION = 2;
    private static final int OLDEST_VERSION = 1;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom NONCES = new SecureRandom();
    private static final long SEQUENCE_LIMIT = (1L << 48) - 1;

    private ConnectionSnapshot() {
    }

    /**
     * Snapshots an established connection and caps its write sequence numbers below the block the snapshot
     * reserves for whoever restores it.
     *
     * @param connection an established connection; it may go on after the call, up to the reservation
     * @param sealingKey an AES key (128 or 256 bits) the application keeps secret
     * @param reserve how many write sequence numbers the live connection may still use, at least 1
     * @param generation a number the application increases per snapshot of this connection, stored inside
     *     (see {@link #generation})
     * @return the sealed snapshot
     * @throws IllegalStateException when the connection is not established, its epochs are not those of a
     *     completed first handshake, or the peer's credential is larger than a snapshot keeps (16 KiB)
     * @throws IllegalArgumentException for a bad key or reservation
     */
    public static byte[] take(DtlsConnection connection, SecretKey sealingKey, long reserve, long generation) {
        if (!connection.isEstablished() || connection.exporterSecret() == null) {
            throw new IllegalStateException("only an established connection can be snapshot");
        }
        RecordLayer records = connection.recordLayer();
        if (records.readEpoch() != 1 || records.writeEpoch() != 1) {
            throw new IllegalStateException("epochs " + records.readEpoch() + "/" + records.writeEpoch());
        }
        long next = records.nextWriteSequence();
        if (reserve < 1 || next + reserve >= SEQUENCE_LIMIT) {
            throw new IllegalArgumentException("reserve " + reserve);
        }
        HandshakeResult r = connection.handshakeResult();
        byte[] identity = ConnectionAtRest.identityOf(r);
        if (identity != null && identity.length > ConnectionAtRest.MAX_IDENTITY_BYTES) {
            throw new IllegalStateException("a peer credential of " + identity.length + " bytes: more than a snapshot keeps");
        }
        ExporterSecret secret = connection.exporterSecret();
        Writer w = new Writer(512 + (identity != null ? identity.length : 0));
        w.u32(generation >>> 32).u32(generation & 0xffffffffL);
        w.u8(connection.isClient() ? 1 : 0).u16(r.suite().code());
        w.u8(r.session().encryptThenMac() ? 1 : 0).u8(r.extendedMasterSecret() ? 1 : 0);
        byte[] master = secret.masterSecret();
        w.bytes(master).bytes(secret.clientRandom()).bytes(secret.serverRandom());
        Arrays.fill(master, (byte) 0);
        w.u48(next + reserve);
        long edge = records.readRightEdge();
        w.u8(edge >= 0 ? 1 : 0).u48(Math.max(edge, 0));
        AgreedConnectionId cid = r.connectionId();
        w.u8(cid != null ? 1 : 0).opaque8(cid != null ? cid.read() : new byte[0])
                .opaque8(cid != null ? cid.write() : new byte[0]);
        InetSocketAddress peer = connection.peer();
        w.opaque8(peer != null ? peer.getAddress().getAddress() : new byte[0]).u16(peer != null ? peer.getPort() : 0);
        w.u16(r.peerRecordSizeLimit());
        w.opaque16(r.pskIdentity() != null ? r.pskIdentity() : new byte[0]).u8(r.pskIdentity() != null ? 1 : 0);
        w.opaque8(ConnectionAtRest.utf8(r.applicationProtocol())).opaque8(ConnectionAtRest.utf8(r.serverName()));
        w.u16(r.srtpProfile() != null ? r.srtpProfile().code() : 0).u8(r.srtpMki() != null ? 1 : 0)
                .opaque8(r.srtpMki() != null ? r.srtpMki() : new byte[0]);
        w.opaque24(identity != null ? identity : new byte[0]);
        byte[] plain = w.toByteArray();
        Arrays.fill(w.array(), (byte) 0); // the writer's buffer held the master secret too
        records.limitWriteSequence(next + reserve);
        try {
            return seal(plain, sealingKey);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The generation the application stored in a snapshot, so a store can refuse all but the newest.
     *
     * @param sealed a snapshot from {@link #take}
     * @param sealingKey the key it was sealed with
     * @return its generation
     * @throws IllegalArgumentException when the bytes are not a snapshot
     */
    public static long generation(byte[] sealed, SecretKey sealingKey) {
        byte[] plain = open(sealed, sealingKey);
        try {
            Reader r = new Reader(plain);
            return r.u32() << 32 | r.u32();
        } catch (DtlsException e) {
            throw new IllegalArgumentException("not a dtls4j connection snapshot", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Rebuilds an established connection from a snapshot: keys derived again, write sequence numbers from
     * the reservation on, the replay window closed up to where the original was. It sends nothing until
     * asked; records from the peer go to {@link DtlsConnection#receive} as usual.
     *
     * @param sealed a snapshot from {@link #take}, restored at most once (see the class comment)
     * @param sealingKey the key it was sealed with
     * @param config the configuration (record-layer bounds, random source); its suites are not consulted
     * @param sink where the connection's datagrams go
     * @param listener hears the connection's events
     * @param nowNanos the caller's clock
     * @return the connection, established
     * @throws IllegalArgumentException when the snapshot does not open under the key or does not parse
     */
    public static DtlsConnection restore(byte[] sealed, SecretKey sealingKey, DtlsConfig config, DatagramSink sink,
                                         DtlsListener listener, long nowNanos) {
        byte[] plain = open(sealed, sealingKey);
        try {
            return rebuild(new Reader(plain), sealed[MAGIC.length], config, sink, listener, nowNanos);
        } catch (DtlsException | IllegalStateException e) { // IllegalStateException: a credential that does not decode
            throw new IllegalArgumentException("not a dtls4j connection snapshot", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The peer address a snapshot holds, or null (a client that was given none). */
    static InetSocketAddress peerOf(byte[] sealed, SecretKey sealingKey) {
        byte[] plain = open(sealed, sealingKey);
        try {
            Reader r = new Reader(plain);
            r.skip(8 + 1 + 2 + 2 + 48 + 64 + 6 + 7);
            r.u8();
            r.opaque8();
            r.opaque8();
            return address(r.opaque8(), r.u16());
        } catch (DtlsException e) {
            throw new IllegalArgumentException("not a dtls4j connection snapshot", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static DtlsConnection rebuild(Reader r, int version, DtlsConfig config, DatagramSink sink,
                                          DtlsListener listener, long nowNanos) throws DtlsException {
        r.u32();
        r.u32();
        boolean client = r.u8() == 1;
        CipherSuite suite = CipherSuite.of(r.u16());
        if (!suite.isNegotiable()) {
            throw DtlsException.decodeError("suite " + suite);
        }
        boolean etm = r.u8() == 1;
        boolean ems = r.u8() == 1;
        byte[] master = r.bytes(KeySchedule.MASTER_SECRET_LENGTH);
        byte[] clientRandom = r.bytes(KeySchedule.RANDOM_LENGTH);
        byte[] serverRandom = r.bytes(KeySchedule.RANDOM_LENGTH);
        long nextWrite = r.u48();
        boolean hasEdge = r.u8() == 1;
        long edge = r.u48();
        boolean hasCid = r.u8() == 1;
        byte[] readCid = r.opaque8();
        byte[] writeCid = r.opaque8();
        InetSocketAddress peer = address(r.opaque8(), r.u16());
        int peerLimit = r.u16();
        byte[] psk = r.opaque16();
        boolean hasPsk = r.u8() == 1;
        String alpn = ConnectionAtRest.string(r.opaque8());
        String serverName = ConnectionAtRest.string(r.opaque8());
        SrtpProtectionProfile srtp = null;
        byte[] mki = null;
        byte[] identity = null;
        if (version >= 2) {
            int profile = r.u16();
            srtp = profile == 0 ? null : SrtpProtectionProfile.of(profile)
                    .orElseThrow(() -> DtlsException.decodeError("SRTP profile " + profile));
            boolean hasMki = r.u8() == 1;
            mki = r.opaque8();
            mki = srtp != null ? (hasMki ? mki : new byte[0]) : null;
            // Bound: the section take() wrote, at most MAX_IDENTITY_BYTES; ConnectionAtRest walks it before use.
            byte[] section = r.opaque24();
            if (section.length > ConnectionAtRest.MAX_IDENTITY_BYTES) {
                throw DtlsException.decodeError("identity section of " + section.length + " bytes");
            }
            identity = section.length == 0 ? null : section;
        }
        r.expectEnd();

        DtlsConnection c = DtlsConnection.forRestore(config, peer, sink, listener, client);
        RecordLayer records = c.recordLayer();
        ConnectionAtRest.installEpoch1(records, config, suite, etm, master, clientRandom, serverRandom, client, nowNanos);
        records.restoreWriteSequence(nextWrite);
        records.restoreReadWindow(hasEdge ? edge : -1);
        HandshakeResult result = ConnectionAtRest.result(config, suite, master, etm, ems, hasPsk ? psk : null, alpn,
                serverName, peerLimit, srtp, mki, hasCid ? new AgreedConnectionId(readCid, writeCid) : null, identity,
                records);
        ExporterSecret secret = new ExporterSecret(suite.prf(), master, clientRandom, serverRandom);
        Arrays.fill(master, (byte) 0);
        c.restoreEstablished(result, secret, nowNanos);
        return c;
    }

    private static InetSocketAddress address(byte[] ip, int port) throws DtlsException {
        return ip.length == 0 ? null : ConnectionAtRest.address(ip, port); // a client may have been given none
    }

    /** MAGIC || version || nonce || AES-GCM(plain), the header as additional data. */
    private static byte[] seal(byte[] plain, SecretKey key) {
        byte[] nonce = new byte[NONCE_LENGTH];
        NONCES.nextBytes(nonce);
        byte[] header = header(nonce);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, checkKey(key), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(header);
            byte[] sealed = gcm.doFinal(plain);
            byte[] out = Arrays.copyOf(header, header.length + sealed.length);
            System.arraycopy(sealed, 0, out, header.length, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot seal with this key: " + e.getMessage(), e);
        }
    }

    private static byte[] open(byte[] sealed, SecretKey key) {
        Objects.requireNonNull(sealed, "sealed");
        int headerLength = MAGIC.length + 1 + NONCE_LENGTH;
        if (sealed.length < headerLength + TAG_BITS / 8
                || !Arrays.equals(sealed, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || sealed[MAGIC.length] < OLDEST_VERSION || sealed[MAGIC.length] > VERSION) {
            throw new IllegalArgumentException("not a dtls4j connection snapshot (versions " + OLDEST_VERSION + " to "
                    + VERSION + ")");
        }
        byte[] nonce = Arrays.copyOfRange(sealed, MAGIC.length + 1, headerLength);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, checkKey(key), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(sealed, 0, headerLength);
            return gcm.doFinal(sealed, headerLength, sealed.length - headerLength);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("snapshot does not open under this key (or was altered)", e);
        }
    }

    private static SecretKey checkKey(SecretKey key) {
        Objects.requireNonNull(key, "sealingKey");
        int n = key.getEncoded() == null ? -1 : key.getEncoded().length;
        if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || (n != 16 && n != 32)) {
            throw new IllegalArgumentException("the sealing key must be AES-128 or AES-256");
        }
        return key;
    }

    private static byte[] header(byte[] nonce) {
        byte[] h = Arrays.copyOf(MAGIC, MAGIC.length + 1 + NONCE_LENGTH);
        h[MAGIC.length] = VERSION;
        System.arraycopy(nonce, 0, h, MAGIC.length + 1, NONCE_LENGTH);
        return h;
    }
}
