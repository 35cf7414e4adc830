package org.dtls4j.handshake.message;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Vector;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;

/**
 * Makes Bouncy Castle's DTLS client send its first ClientHello into a transport that keeps the
 * datagram and then fails the receive, so the handshake stops there.
 */
final class BouncyCastleHelloCapture {
    static final String HOST = "example.com";

    /** The BC client: DTLS 1.2 only, with SNI and ALPN so those extensions appear too. */
    static final class Client extends DefaultTlsClient {
        Client() {
            super(new BcTlsCrypto(new SecureRandom()));
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected Vector getSNIServerNames() {
            Vector names = new Vector();
            names.add(new org.bouncycastle.tls.ServerName(NameType.host_name, HOST.getBytes()));
            return names;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected Vector getProtocolNames() {
            Vector names = new Vector();
            names.add(ProtocolName.asUtf8Encoding("coap"));
            return names;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new ServerOnlyTlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    throw new IOException("the capture never gets this far");
                }
            };
        }

        int[] offeredSuites() {
            return getCipherSuites();
        }
    }

    /** Keeps the first datagram sent; every receive fails. */
    static final class CapturingTransport implements DatagramTransport {
        byte[] first;

        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1400;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            throw new IOException("capture done");
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            if (first == null) {
                first = Arrays.copyOfRange(buf, off, off + len);
            }
        }

        @Override
        public void close() {
        }
    }

    private BouncyCastleHelloCapture() {
    }

    /** Runs the client until its first receive; returns the datagram it sent. */
    static byte[] captureDatagram(Client client) {
        CapturingTransport transport = new CapturingTransport();
        try {
            new DTLSClientProtocol().connect(client, transport);
            throw new AssertionError("BC completed a handshake with nobody");
        } catch (IOException expected) {
            // the transport's receive ends the handshake after the first flight
        }
        if (transport.first == null) {
            throw new AssertionError("BC sent nothing");
        }
        return transport.first;
    }

    /**
     * The ClientHello body inside a datagram holding one unfragmented handshake record: skips the
     * 13-byte record header and the 12-byte handshake header after checking them.
     */
    static byte[] helloBody(byte[] datagram) throws DtlsException {
        Reader r = new Reader(datagram);
        if (r.u8() != 22) {
            throw new AssertionError("not a handshake record");
        }
        r.skip(2 + 2 + 6);
        Reader record = r.sub16();
        if (record.u8() != 1) {
            throw new AssertionError("not a ClientHello");
        }
        int length = record.u24();
        record.skip(2);
        if (record.u24() != 0 || record.u24() != length) {
            throw new AssertionError("fragmented ClientHello");
        }
        return record.bytes(length);
    }
}
