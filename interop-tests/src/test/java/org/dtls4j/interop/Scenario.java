package org.dtls4j.interop;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtls4j.DtlsConfig;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.handshake.config.RetransmitConfig;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.SessionCache;
import org.dtls4j.testkit.BcPeers;
import org.dtls4j.testkit.TestPki;

/**
 * What one interop run uses: the suite, the network seed, the datagram limit of both sides, the server's
 * identity (null for PSK) and the client's (non-null means the server requires client authentication),
 * whether chains are sent whole (root included) rather than without the root, and whether the BC peer
 * refuses encrypt_then_mac (so a CBC suite runs MAC-then-encrypt).
 */
record Scenario(CipherSuite suite, long seed, int datagramSize, TestPki.Identity server, TestPki.Identity client,
                boolean wholeChains, boolean macThenEncrypt) {
    /** BC's resend timer is 100 ms ({@link BcPeers.Setup}); ours starts there too, capped low to keep runs quick. */
    static final RetransmitConfig TIMERS = new RetransmitConfig(TimeUnit.MILLISECONDS.toNanos(100),
            TimeUnit.MILLISECONDS.toNanos(1600), 12, 2, RetransmitConfig.MIN_DATAGRAM_BUDGET,
            TimeUnit.MILLISECONDS.toNanos(100), true, false, TimeUnit.MILLISECONDS.toNanos(100),
            TimeUnit.SECONDS.toNanos(1), 3);
    static final int DEFAULT_DATAGRAM_SIZE = 1400;

    static Scenario of(CipherSuite suite, long seed) {
        return new Scenario(suite, seed, DEFAULT_DATAGRAM_SIZE, Credentials.serverFor(suite), null, false, false);
    }

    /** This scenario with a client certificate that the server requires. */
    Scenario withClientCertificate(TestPki.Identity clientIdentity) {
        return new Scenario(suite, seed, datagramSize, server, clientIdentity, wholeChains, macThenEncrypt);
    }

    /** This scenario with the given chains sent whole, over datagrams of at most {@code bytes}. */
    Scenario withWholeChains(TestPki.Identity serverIdentity, TestPki.Identity clientIdentity, int bytes) {
        return new Scenario(suite, seed, bytes, serverIdentity, clientIdentity, true, macThenEncrypt);
    }

    /** The same scenario on another network seed (a second handshake). */
    Scenario withSeed(long newSeed) {
        return new Scenario(suite, newSeed, datagramSize, server, client, wholeChains, macThenEncrypt);
    }

    /** This scenario with a BC peer that refuses encrypt_then_mac. */
    Scenario withMacThenEncrypt() {
        return new Scenario(suite, seed, datagramSize, server, client, wholeChains, true);
    }

    boolean psk() {
        return suite.keyExchange().usesPsk();
    }

    List<X509Certificate> sentChain(TestPki.Identity id) {
        return wholeChains ? id.chain() : id.chainWithoutRoot();
    }

    DtlsConfig.Builder dtls4jClient() {
        DtlsConfig.Builder b = DtlsConfig.builder().cipherSuites(suite).retransmit(TIMERS).maxDatagramSize(datagramSize);
        if (psk()) {
            return b.pskIdentity(Credentials.PSK_IDENTITY, Credentials.PSK_KEY);
        }
        b.trustedCertificates(server.root()).serverName(Credentials.HOST);
        if (client != null) {
            b.certificate(client.key(), sentChain(client));
        }
        return b;
    }

    DtlsConfig.Builder dtls4jServer(SessionCache cache) {
        DtlsConfig.Builder b = DtlsConfig.builder().cipherSuites(suite).retransmit(TIMERS).maxDatagramSize(datagramSize)
                .sessionCache(cache);
        if (psk()) {
            return b.pskStore(Credentials.PSK_STORE);
        }
        b.certificate(server.key(), sentChain(server));
        if (client != null) {
            b.clientAuth(ClientAuth.REQUIRED).trustedCertificates(client.root());
        }
        return b;
    }

    BcPeers.Setup bcServer() {
        if (psk()) {
            return etm(BcPeers.Setup.psk(suite.code(), Credentials.PSK_IDENTITY, Credentials.PSK_KEY));
        }
        BcPeers.Setup s = BcPeers.Setup.certificates(suite.code(), server, null,
                client != null ? BcPeers.ClientAuth.REQUIRED : BcPeers.ClientAuth.NONE);
        return etm(wholeChains ? s.withWholeChain() : s);
    }

    BcPeers.Setup bcClient() {
        if (psk()) {
            return etm(BcPeers.Setup.psk(suite.code(), Credentials.PSK_IDENTITY, Credentials.PSK_KEY));
        }
        BcPeers.Setup s = BcPeers.Setup.certificates(suite.code(), client, server.root(), BcPeers.ClientAuth.NONE);
        return etm(wholeChains ? s.withWholeChain() : s);
    }

    private BcPeers.Setup etm(BcPeers.Setup s) {
        return macThenEncrypt ? s.withMacThenEncrypt() : s;
    }

    @Override
    public String toString() {
        return suite.name() + " seed=" + seed + (client != null ? " client-auth" : "") + (macThenEncrypt ? " MtE" : "") + " datagram<=" + datagramSize;
    }
}
