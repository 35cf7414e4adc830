package org.dtls4j.bench;

import java.nio.charset.StandardCharsets;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.tls.TlsClient;
import org.bouncycastle.tls.TlsServer;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.dtls4j.DtlsConfig;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.NamedGroup;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.handshake.auth.PskStore;
import org.dtls4j.record.ContentType;
import org.dtls4j.testkit.BcPeers;
import org.dtls4j.testkit.JdkDtlsPeer;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.ClientHelloPeek;
import org.dtls4j.wire.RecordPeek;

/**
 * The peers the engine benchmarks compare, configured alike: dtls4j configs, Bouncy Castle DTLS 1.2
 * clients and servers on either of BC's crypto back ends, and JDK {@code SSLEngine}s, each limited to one
 * suite and (for ECDHE) one named group, so every implementation does the same key exchange.
 */
public final class BenchPeers {
    static final String HOST = "server.dtls4j.test";
    static final byte[] PSK_IDENTITY = "bench-client".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PSK_KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    /** Large enough that a descheduled thread on a busy machine does not trigger BC retransmissions. */
    static final int BC_RESEND_MILLIS = 2_000;
    /** RFC 4492 §5.4 ECCurveType named_curve(3), the first byte of a ServerKeyExchange's ECParameters. */
    private static final int NAMED_CURVE = 3;

    /** The key exchanges measured; ECDHE uses ECDSA P-256 certificates and differs only in the group. */
    public enum Kx {
        PSK, ECDHE_P256, ECDHE_X25519;

        boolean psk() {
            return this == PSK;
        }

        int bcGroup() {
            return this == ECDHE_X25519 ? org.bouncycastle.tls.NamedGroup.x25519 : org.bouncycastle.tls.NamedGroup.secp256r1;
        }

        /** The IANA group the ServerKeyExchange must name, or -1 for PSK. */
        int wireGroup() {
            return switch (this) {
                case PSK -> -1;
                case ECDHE_P256 -> 23;
                case ECDHE_X25519 -> 29;
            };
        }
    }

    /** Which of Bouncy Castle's crypto back ends a BC peer uses. */
    public enum BcCrypto { BC, JCA }

    private static TestPki.Identity identity;

    private BenchPeers() {
    }

    /** The server's ECDSA P-256 leaf and its root, made once per JVM. */
    static synchronized TestPki.Identity identity() {
        if (identity == null) {
            identity = TestPki.chain(TestPki.KeyType.EC_P256, HOST, 2, 0);
        }
        return identity;
    }

    // ---------------------------------------------------------------- dtls4j

    static DtlsConfig dtlsClient(Kx kx) {
        return dtlsClient(kx, null);
    }

    static DtlsConfig dtlsServer(Kx kx) {
        return dtlsServer(kx, null);
    }

    /** A dtls4j client whose ECDHE and signatures run on {@code provider} (null: the JDK's). */
    static DtlsConfig dtlsClient(Kx kx, Provider provider) {
        if (kx.psk()) {
            return DtlsConfig.builder().pskIdentity(PSK_IDENTITY, PSK_KEY)
                    .cipherSuites(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).build();
        }
        return DtlsConfig.builder().trustedCertificates(identity().root()).serverName(HOST)
                .keyExchangeProvider(provider).signatureProvider(provider)
                .cipherSuites(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256).namedGroups(group(kx)).build();
    }

    /** A dtls4j server whose ECDHE and signatures run on {@code provider} (null: the JDK's). */
    static DtlsConfig dtlsServer(Kx kx, Provider provider) {
        if (kx.psk()) {
            PskStore store = id -> Arrays.equals(id, PSK_IDENTITY) ? PSK_KEY.clone() : null;
            return DtlsConfig.builder().pskStore(store)
                    .cipherSuites(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256).build();
        }
        return DtlsConfig.builder().certificate(identity().key(), identity().chainWithoutRoot())
                .keyExchangeProvider(provider).signatureProvider(provider)
                .cipherSuites(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256).namedGroups(group(kx)).build();
    }

    private static NamedGroup group(Kx kx) {
        return kx == Kx.ECDHE_X25519 ? NamedGroup.X25519 : NamedGroup.SECP256R1;
    }

    // ---------------------------------------------------------------- Bouncy Castle

    static TlsCrypto bcCrypto(BcCrypto which) {
        return which == BcCrypto.BC ? new BcTlsCrypto(new SecureRandom())
                : new JcaTlsCryptoProvider().create(new SecureRandom());
    }

    static TlsServer bcServer(TlsCrypto crypto, Kx kx) {
        return BcPeers.server(bcSetup(crypto, kx), null);
    }

    static TlsClient bcClient(TlsCrypto crypto, Kx kx) {
        return BcPeers.client(bcSetup(crypto, kx), null);
    }

    /** testkit's BC peer for {@code kx}: AES-128-GCM, P-256 ECDSA certificates or PSK, on {@code crypto}. */
    static BcPeers.Setup bcSetup(TlsCrypto crypto, Kx kx) {
        BcPeers.Setup s = kx.psk()
                ? BcPeers.Setup.psk(org.bouncycastle.tls.CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, PSK_IDENTITY,
                        PSK_KEY)
                : BcPeers.Setup.certificates(org.bouncycastle.tls.CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                        identity(), identity().root(), BcPeers.ClientAuth.NONE).withGroups(kx.bcGroup());
        return s.withCrypto(crypto).withResendMillis(BC_RESEND_MILLIS);
    }

    // ---------------------------------------------------------------- the JDK's SSLEngine

    /** A client context (trusting the root) or a server context (holding the identity). */
    static SSLContext jdkContext(boolean client) {
        return client ? JdkDtlsPeer.context(null, identity().root()) : JdkDtlsPeer.context(identity(), null);
    }

    /**
     * A DTLS 1.2 engine for TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 and only the group of {@code kx}. No peer
     * host or port is given, so a client never offers a cached session: every handshake is a full one. JDK 17
     * has no {@code SSLParameters.setNamedGroups}, so the other groups are refused through algorithm constraints.
     */
    static SSLEngine jdkEngine(SSLContext ctx, boolean client, Kx kx) {
        SSLEngine e = ctx.createSSLEngine();
        e.setUseClientMode(client);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(new String[] {"DTLSv1.2"});
        p.setCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
        p.setMaximumPacketSize(1400);
        p.setEnableRetransmissions(true);
        // The JDK (RFC 8422 §5.1.1 read strictly) wants the ECDSA certificate's curve among the client's groups,
        // so the x25519 case keeps secp256r1 too; the JDK's default order puts x25519 first, and the server
        // follows the client's order. check() proves the group the ServerKeyExchange names.
        p.setAlgorithmConstraints(kx == Kx.ECDHE_X25519 ? new OnlyGroup("x25519", "secp256r1")
                : new OnlyGroup("secp256r1", "secp256r1"));
        e.setSSLParameters(p);
        return e;
    }

    /** Permits every algorithm except the named groups (key agreement) other than {@code allowed}. */
    private record OnlyGroup(String allowed, String alsoAllowed) implements AlgorithmConstraints {
        private static final Set<String> GROUPS = Set.of("secp256r1", "secp384r1", "secp521r1", "x25519", "x448",
                "ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192");

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
            return !(primitives.contains(CryptoPrimitive.KEY_AGREEMENT) && GROUPS.contains(algorithm)
                    && !algorithm.equals(allowed) && !algorithm.equals(alsoAllowed));
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
            return true;
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key,
                               AlgorithmParameters parameters) {
            return permits(primitives, algorithm, parameters);
        }
    }

    // ---------------------------------------------------------------- checking what was measured

    /**
     * Looks through one datagram's epoch-0 handshake records: bit 0 of the result is set when it carries a
     * HelloVerifyRequest, and bits 8.. hold the named group of a ServerKeyExchange (ECParameters named_curve).
     * Benchmarks call it on the server's datagrams during setup, to prove the cookie exchange and the group.
     */
    static int inspect(byte[] d, int off, int len) {
        int found = 0;
        int p = off;
        int end = off + len;
        int record;
        while ((record = RecordPeek.recordLength(d, p, end - p, 0)) >= 0) {
            int length = record - RecordPeek.HEADER_LENGTH;
            int body = p + RecordPeek.HEADER_LENGTH;
            int header = ClientHelloPeek.HANDSHAKE_HEADER_LENGTH;
            if (RecordPeek.type(d, p, end - p) == ContentType.HANDSHAKE && RecordPeek.epoch(d, p, end - p) == 0
                    && length >= header) {
                int msg = d[body] & 0xff;
                if (msg == HandshakeType.HELLO_VERIFY_REQUEST) {
                    found |= 1;
                } else if (msg == HandshakeType.SERVER_KEY_EXCHANGE && length >= header + 3
                        && (d[body + header] & 0xff) == NAMED_CURVE) {
                    found |= ((d[body + header + 1] & 0xff) << 8 | (d[body + header + 2] & 0xff)) << 8;
                }
            }
            p += record;
        }
        return found;
    }

    /** Fails the setup unless the server's datagrams showed a HelloVerifyRequest and, for ECDHE, the group. */
    static void check(String who, Kx kx, int inspected) {
        if ((inspected & 1) == 0) {
            throw new IllegalStateException(who + ": no HelloVerifyRequest seen: the cookie exchange did not run");
        }
        int group = inspected >>> 8;
        if (kx.wireGroup() >= 0 && group != kx.wireGroup()) {
            throw new IllegalStateException(who + ": ServerKeyExchange group " + group + ", wanted " + kx.wireGroup());
        }
    }
}
