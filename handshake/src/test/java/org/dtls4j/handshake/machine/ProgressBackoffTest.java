package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.record.ContentType;
import org.dtls4j.wire.DtlsException;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 6, driven by {@code nowNanos} alone: when part of the peer's next flight arrives (its
 * ChangeCipherSpec without the Finished behind it), this side retransmits after the initial timeout instead
 * of waiting out the backed-off one.
 */
class ProgressBackoffTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final byte[] ID = "client-1".getBytes();
    private static final byte[] KEY = new byte[16];
    private static final CipherSuite SUITE = CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256;

    @Test
    void theServersChangeCipherSpecAloneBringsTheClientsRetransmissionForward() throws DtlsException {
        TestConductor client = new TestConductor();
        TestConductor server = new TestConductor();
        client.handshaker = new ClientHandshaker(TestSettings.psk(SUITE, ID, KEY, true),
                client.records::maxRecordOverhead, null);
        server.handshaker = new ServerHandshaker(TestSettings.psk(SUITE, ID, KEY, false),
                server.records::maxRecordOverhead);
        long now = 0;
        client.start(now);
        deliverAll(client, server, now);           // ClientHello
        deliverAll(server, client, now);           // ServerHello .. ServerHelloDone
        deliverAll(client, server, now);           // ClientKeyExchange, CCS, Finished
        List<byte[]> last = new ArrayList<>(server.sent); // the server's CCS, Finished: held back
        server.sent.clear();
        for (int i = 0; i < 3; i++) {              // the client's flight times out three times, all lost
            now = client.handshaker.nextTimeoutNanos();
            client.timeout(now);
            client.sent.clear();
        }
        long backedOff = client.handshaker.nextTimeoutNanos() - now;
        assertEquals(8 * SECOND, backedOff);

        now += SECOND;
        byte[] ccsOnly = firstRecordOfType(last, ContentType.CHANGE_CIPHER_SPEC);
        client.receive(ccsOnly, now);
        assertEquals(1, client.records.readEpoch(), "the CCS was taken");
        assertEquals(now + SECOND, client.handshaker.nextTimeoutNanos(),
                "retransmit one initial timeout after the progress, not 7 s later");

        now += SECOND;
        client.timeout(now);
        assertTrue(!client.sent.isEmpty(), "the client resent its flight");
        deliverAll(client, server, now);           // the server sees the retransmission and resends its last flight
        deliverAll(server, client, now);
        assertNotNull(client.established, "the handshake completes");
    }

    private static void deliverAll(TestConductor from, TestConductor to, long now) throws DtlsException {
        while (!from.sent.isEmpty()) {
            to.receive(from.sent.poll(), now);
        }
    }

    /** Cuts the first record of {@code type} out of the datagrams (13-byte header, no CID). */
    private static byte[] firstRecordOfType(List<byte[]> datagrams, int type) {
        for (byte[] d : datagrams) {
            for (int pos = 0; pos + 13 <= d.length; ) {
                int len = (d[pos + 11] & 0xff) << 8 | d[pos + 12] & 0xff;
                if ((d[pos] & 0xff) == type) {
                    return Arrays.copyOfRange(d, pos, pos + 13 + len);
                }
                pos += 13 + len;
            }
        }
        throw new AssertionError("no record of type " + type);
    }
}
