package org.dtls4j.handshake.machine;

import java.util.Arrays;
import java.util.List;
import org.dtls4j.handshake.FlightMessage;
import org.dtls4j.handshake.message.HandshakeType;

/**
 * The trace line of a flight sent ("sending flight: server_hello, server_hello_done"), built once per flight
 * shape and then shared. Every handshake sends the same few shapes and each trace line used to be a new
 * string (about 2% of a PSK handshake's bytes and CPU, bench/RESULTS.md), whether or not a listener reads it.
 */
final class FlightTrace {
    /** Shapes remembered; a handshake uses a handful, so more means something unusual: built each time. */
    private static final int MAX_SHAPES = 32;
    /** Messages a shape can encode: 9 bits each in a non-negative long. */
    private static final int MAX_MESSAGES = 7;
    private static final int CHANGE_CIPHER_SPEC = 0x100;

    private record Shape(long key, String line) {
    }

    /** Copied on write; a lost race only costs one shape being built again. */
    private static volatile Shape[] shapes = new Shape[0];

    private FlightTrace() {
    }

    /** {@return "sending flight: " and the flight's message names, in order} */
    static String sending(List<FlightMessage> messages) {
        long key = key(messages);
        if (key < 0) {
            return build(messages);
        }
        Shape[] known = shapes;
        for (Shape s : known) {
            if (s.key() == key) {
                return s.line();
            }
        }
        String line = build(messages);
        if (known.length < MAX_SHAPES) {
            Shape[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = new Shape(key, line);
            shapes = more;
        }
        return line;
    }

    /** {@return the flight's message types, one code of 1..257 per 9 bits, or -1 if too many to encode} */
    static long key(List<FlightMessage> messages) {
        if (messages.size() > MAX_MESSAGES) {
            return -1;
        }
        long key = 0;
        for (FlightMessage m : messages) {
            int code = m instanceof FlightMessage.Handshake h ? h.message().msgType() & 0xff : CHANGE_CIPHER_SPEC;
            key = (key << 9) | (code + 1);
        }
        return key;
    }

    private static String build(List<FlightMessage> messages) {
        StringBuilder sb = new StringBuilder("sending flight: ");
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (messages.get(i) instanceof FlightMessage.Handshake h) {
                sb.append(HandshakeType.name(h.message().msgType()));
            } else {
                sb.append("change_cipher_spec");
            }
        }
        return sb.toString();
    }
}
