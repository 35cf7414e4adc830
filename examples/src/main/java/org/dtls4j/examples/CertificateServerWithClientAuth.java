package org.dtls4j.examples;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dtls4j.DtlsConfig;
import org.dtls4j.DtlsServer;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.DtlsException;

/**
 * A DTLS server with an X.509 certificate that requires each client to present a certificate issued by a
 * CA it trusts, and greets each client by its certificate's subject.
 *
 * <pre>
 *   java -cp ... org.dtls4j.examples.CertificateServerWithClientAuth 4433 server.p12 changeit client-ca.p12 changeit
 * </pre>
 * The server keystore holds one private key entry (key and chain); the CA keystore holds trusted certificates.
 */
public final class CertificateServerWithClientAuth {
    private CertificateServerWithClientAuth() {
    }

    /**
     * Binds {@code address}; each datagram from a client is answered with "hello, SUBJECT: " and the datagram.
     *
     * @param chain the server's chain, leaf first (the root may be left out)
     * @param clientCa the CA whose certificates clients must present
     */
    public static DtlsServer start(InetSocketAddress address, PrivateKey key, List<X509Certificate> chain,
                                   X509Certificate clientCa) throws IOException {
        DtlsConfig config = DtlsConfig.builder()
                .certificate(key, chain)
                .clientAuth(ClientAuth.REQUIRED)          // no certificate, or an untrusted one: the handshake fails
                .trustedCertificates(clientCa)
                .build();
        return DtlsServer.builder(config)
                .bind(address)
                .handler(new DtlsServer.Handler() {
                    private final Map<InetSocketAddress, String> names = new HashMap<>();

                    @Override
                    public void onConnected(DtlsServer server, InetSocketAddress peer,
                                            HandshakeResult result) {
                        names.put(peer, result.peerCertificates().get(0).getSubjectX500Principal().getName());
                    }

                    @Override
                    public void onData(DtlsServer server, InetSocketAddress peer, byte[] data) {
                        byte[] greeting = ("hello, " + names.get(peer) + ": ").getBytes(StandardCharsets.UTF_8);
                        byte[] reply = Arrays.copyOf(greeting, greeting.length + data.length);
                        System.arraycopy(data, 0, reply, greeting.length, data.length);
                        server.send(peer, reply);
                    }

                    @Override
                    public void onClosed(DtlsServer server, InetSocketAddress peer,
                                         DtlsException cause) {
                        names.remove(peer);
                    }
                })
                .start();
    }

    /** Arguments: port, server PKCS#12 file, its password, client CA PKCS#12 file, its password. */
    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: PORT SERVER.p12 PASSWORD CLIENT-CA.p12 PASSWORD");
            System.exit(2);
        }
        KeyStore server = load(args[1], args[2]);
        String alias = server.aliases().nextElement();
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : server.getCertificateChain(alias)) {
            chain.add((X509Certificate) c);
        }
        PrivateKey key = (PrivateKey) server.getKey(alias, args[2].toCharArray());
        KeyStore ca = load(args[3], args[4]);
        X509Certificate clientCa = (X509Certificate) ca.getCertificate(ca.aliases().nextElement());
        DtlsServer s = start(new InetSocketAddress(Integer.parseInt(args[0])), key, chain, clientCa);
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        System.out.println("serving on " + s.localAddress());
        Thread.currentThread().join();
    }

    private static KeyStore load(String file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }
}
