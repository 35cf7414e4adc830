package org.dtls4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.dtls4j.cookie.CookieResult;
import org.dtls4j.cookie.CookieVerifier;
import org.dtls4j.handshake.config.RetransmitConfig;
import org.dtls4j.wire.AlertDescription;
import org.junit.jupiter.api.Test;

/** The client engine alone, against a cookie verifier and a manual clock. */
class ClientConnectionTest {
    private static final long SECOND = 1_000_000_000L;
    private static final InetSocketAddress ME = Harness.CLIENT_ADDRESS;

    private final List<byte[]> out = new ArrayList<>();
    private final Recorder events = new Recorder();

    private DtlsConnection client(DtlsConfig config) {
        return DtlsConnection.client(config, Harness.SERVER_ADDRESS,
                (buf, off, len) -> out.add(java.util.Arrays.copyOfRange(buf, off, off + len)), events);
    }

    @Test
    void firstFlightIsAClientHelloThatTheCookieExchangeAccepts() {
        DtlsConnection c = client(TestConfigs.pskClient().build());
        c.start(0);
        assertEquals(1, out.size());
        CookieVerifier verifier = CookieVerifier.create();
        CookieResult first = verifier.verify(out.get(0), 0, out.get(0).length, ME, 0);
        CookieResult.SendHelloVerifyRequest hvr = assertInstanceOf(CookieResult.SendHelloVerifyRequest.class, first);

        c.receive(ByteBuffer.wrap(hvr.toByteArray()), 0);
        assertEquals(2, out.size(), "the HelloVerifyRequest is answered at once with a second ClientHello");
        CookieResult second = verifier.verify(out.get(1), 0, out.get(1).length, ME, 0);
        CookieResult.Verified verified = assertInstanceOf(CookieResult.Verified.class, second);
        assertEquals(1, verified.messageSeq());
        assertEquals(ConnectionState.HANDSHAKING, c.state());
    }

    @Test
    void directByteBufferDatagramsAreReceivedThroughTheScratchBuffer() {
        DtlsConnection c = client(TestConfigs.pskClient().build());
        c.start(0);
        byte[] hvr = ((CookieResult.SendHelloVerifyRequest) CookieVerifier.create()
                .verify(out.get(0), 0, out.get(0).length, ME, 0)).toByteArray();
        ByteBuffer direct = ByteBuffer.allocateDirect(hvr.length);
        direct.put(hvr).flip();
        c.receive(direct, 0);
        assertEquals(2, out.size());
        assertEquals(0, direct.remaining());
    }

    @Test
    void retransmissionTimerDoublesUpToSixtySecondsThenFailsWithHandshakeFailure() {
        DtlsConnection c = client(TestConfigs.pskClient().build());
        long now = 5 * SECOND;
        c.start(now);
        List<Long> intervals = new ArrayList<>();
        long last = now;
        while (c.nextTimeoutNanos() != Long.MAX_VALUE) {
            long t = c.nextTimeoutNanos();
            c.onTimeout(t - 1);
            intervals.add((t - last) / SECOND);
            c.onTimeout(t);
            last = t;
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L), intervals);
        assertEquals(9, out.size(), "the first ClientHello, 7 retransmissions (none early), then the alert");
        assertEquals(22, out.get(7)[0]);
        assertEquals(21, out.get(8)[0], "a handshake_failure alert, in case the peer is there but mute");
        assertEquals(40, out.get(8)[14]);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, events.closedCause.alert());
        assertTrue(c.isClosed());
    }

    @Test
    void retransmissionLimitComesFromTheConfig() {
        DtlsConnection c = client(TestConfigs.pskClient()
                .retransmit(RetransmitConfig.defaults().withMaxRetransmissions(2)).build());
        c.start(0);
        while (c.nextTimeoutNanos() != Long.MAX_VALUE) {
            c.onTimeout(c.nextTimeoutNanos());
        }
        assertEquals(4, out.size(), "the ClientHello, 2 retransmissions, the alert");
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, events.closedCause.alert());
    }

    @Test
    void receiveBeforeStartIsACallerError() {
        DtlsConnection c = client(TestConfigs.pskClient().build());
        assertThrows(IllegalStateException.class, () -> c.receive(new byte[13], 0, 13, 0));
        assertEquals(Long.MAX_VALUE, c.nextTimeoutNanos());
    }

    @Test
    void closeDuringTheHandshakeSendsCloseNotifyAndEndsCleanly() {
        DtlsConnection c = client(TestConfigs.pskClient().build());
        c.start(0);
        c.close(0);
        assertEquals(2, out.size());
        assertEquals(21, out.get(1)[0], "an alert record");
        assertEquals(0, out.get(1)[14], "close_notify");
        assertTrue(c.isClosed());
        assertEquals(1, events.closedCount);
        assertEquals(null, events.closedCause);
        assertEquals(Long.MAX_VALUE, c.nextTimeoutNanos());
    }

    @Test
    void startTwiceIsACallerError() {
        DtlsConnection c = client(TestConfigs.pskClient().build());
        c.start(0);
        assertThrows(IllegalStateException.class, () -> c.start(0));
    }
}
