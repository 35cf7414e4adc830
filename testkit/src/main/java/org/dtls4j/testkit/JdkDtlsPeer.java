package org.dtls4j.testkit;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Drives the JDK's DTLS 1.2 {@link SSLEngine} one datagram at a time, the way dtls4j's own engine is
 * driven: datagrams in, datagrams out through a consumer, and a timeout call that retransmits. Used as
 * an interop peer and as the benchmark baseline; it follows the JDK's own DTLS usage pattern
 * (wrap while NEED_WRAP, run delegated tasks, wrap again on a receive timeout to retransmit).
 */
public final class JdkDtlsPeer {
    private final SSLEngine engine;
    private final Consumer<byte[]> out;
    private final ByteBuffer netOut;
    private final ByteBuffer appIn;
    private final ArrayDeque<byte[]> received = new ArrayDeque<>();
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    public JdkDtlsPeer(SSLEngine engine, Consumer<byte[]> out) {
        this.engine = engine;
        this.out = out;
        this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(Math.max(engine.getSession().getApplicationBufferSize(), 1 << 14));
    }

    /** An SSLContext for DTLSv1.2 with the identity (may be null) and trust anchor (may be null). */
    public static SSLContext context(TestPki.Identity identity, X509Certificate trustedRoot) {
        try {
            SSLContext ctx = SSLContext.getInstance("DTLSv1.2");
            KeyManagerFactory kmf = null;
            if (identity != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                List<X509Certificate> chain = identity.chainWithoutRoot();
                ks.setKeyEntry("id", identity.key(), new char[0], chain.toArray(new Certificate[0]));
                kmf = KeyManagerFactory.getInstance("SunX509");
                kmf.init(ks, new char[0]);
            }
            TrustManagerFactory tmf = null;
            if (trustedRoot != null) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                ts.setCertificateEntry("root", trustedRoot);
                tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(ts);
            }
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(),
                    new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client or server engine limited to {@code suites} (IANA names) with the given maximum packet size. */
    public static SSLEngine engine(SSLContext ctx, boolean client, String[] suites, int maxPacket,
                                   boolean needClientAuth) {
        SSLEngine e = client ? ctx.createSSLEngine("localhost", 4433) : ctx.createSSLEngine();
        e.setUseClientMode(client);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(new String[] {"DTLSv1.2"});
        if (suites != null) {
            p.setCipherSuites(suites);
        }
        p.setMaximumPacketSize(maxPacket);
        p.setEnableRetransmissions(true);
        if (!client) {
            p.setNeedClientAuth(needClientAuth);
        }
        e.setSSLParameters(p);
        return e;
    }

    public SSLEngine engine() {
        return engine;
    }

    /** Starts the handshake; a client sends its first flight. */
    public void begin() throws SSLException {
        engine.beginHandshake();
        drive();
    }

    public boolean handshakeDone() {
        SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        return hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || hs == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** Feeds one datagram from the peer. */
    public void receive(byte[] datagram) throws SSLException {
        ByteBuffer in = ByteBuffer.wrap(datagram);
        while (in.hasRemaining()) {
            appIn.clear();
            SSLEngineResult r = engine.unwrap(in, appIn);
            if (r.bytesProduced() > 0) {
                appIn.flip();
                byte[] data = new byte[appIn.remaining()];
                appIn.get(data);
                received.add(data);
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                break;
            }
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                break;
            }
        }
        drive();
    }

    /** Called when the application's receive timer expires: the JDK retransmits on a wrap. */
    public void onTimeout() throws SSLException {
        if (!handshakeDone()) {
            wrapOnce(EMPTY);
            drive();
        }
    }

    /** Sends one application datagram. */
    public void send(byte[] data) throws SSLException {
        wrapOnce(ByteBuffer.wrap(data));
    }

    /** The next application datagram received, or null. */
    public byte[] poll() {
        return received.poll();
    }

    public void closeOutbound() throws SSLException {
        engine.closeOutbound();
        wrapOnce(EMPTY);
    }

    private void drive() throws SSLException {
        for (int guard = 0; guard < 64; guard++) {
            SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_WRAP -> wrapOnce(EMPTY);
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_UNWRAP_AGAIN -> {
                    appIn.clear();
                    engine.unwrap(EMPTY, appIn);
                }
                default -> {
                    return;
                }
            }
        }
    }

    private void wrapOnce(ByteBuffer app) throws SSLException {
        netOut.clear();
        SSLEngineResult r = engine.wrap(app, netOut);
        netOut.flip();
        if (netOut.hasRemaining()) {
            byte[] d = new byte[netOut.remaining()];
            netOut.get(d);
            out.accept(d);
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("packet buffer too small");
        }
    }
}
