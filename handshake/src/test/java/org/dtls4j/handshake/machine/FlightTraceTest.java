package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dtls4j.handshake.FlightMessage;
import org.dtls4j.handshake.RawMessage;
import org.dtls4j.handshake.message.HandshakeType;
import org.junit.jupiter.api.Test;

class FlightTraceTest {
    private static FlightMessage handshake(int type, int seq) {
        return new FlightMessage.Handshake(1, new RawMessage(type, seq, new byte[0]));
    }

    @Test
    void namesTheMessagesInOrderAndSharesTheLineOfAShapeSeenBefore() {
        List<FlightMessage> first = List.of(new FlightMessage.ChangeCipherSpec(0), handshake(HandshakeType.FINISHED, 4));
        List<FlightMessage> again = List.of(new FlightMessage.ChangeCipherSpec(0), handshake(HandshakeType.FINISHED, 9));
        String line = FlightTrace.sending(first);
        assertEquals("sending flight: change_cipher_spec, finished", line);
        assertSame(line, FlightTrace.sending(again));
    }

    @Test
    void shapesDifferByTypeOrderAndLength() {
        FlightMessage hello = handshake(HandshakeType.SERVER_HELLO, 1);
        FlightMessage done = handshake(HandshakeType.SERVER_HELLO_DONE, 2);
        FlightMessage ccs = new FlightMessage.ChangeCipherSpec(0);
        assertNotEquals(FlightTrace.key(List.of(hello, done)), FlightTrace.key(List.of(done, hello)));
        assertNotEquals(FlightTrace.key(List.of(hello)), FlightTrace.key(List.of(hello, hello)));
        // Type 255 and the ChangeCipherSpec must not share a code.
        assertNotEquals(FlightTrace.key(List.of(handshake(255, 1))), FlightTrace.key(List.of(ccs)));
        assertEquals("sending flight: server_hello_done, server_hello", FlightTrace.sending(List.of(done, hello)));
    }

    @Test
    void aFlightTooLongToEncodeIsStillDescribed() {
        List<FlightMessage> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(handshake(HandshakeType.CERTIFICATE, i));
        }
        assertEquals(-1, FlightTrace.key(eight));
        assertTrue(FlightTrace.key(eight.subList(0, 7)) > 0);
        assertEquals("sending flight: " + String.join(", ", java.util.Collections.nCopies(8, "certificate")),
                FlightTrace.sending(eight));
    }
}
