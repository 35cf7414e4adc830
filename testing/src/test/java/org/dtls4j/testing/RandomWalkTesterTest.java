package org.dtls4j.testing;

import static org.dtls4j.testing.AbstractInput.APPLICATION_DATA;
import static org.dtls4j.testing.AbstractInput.CHANGE_CIPHER_SPEC;
import static org.dtls4j.testing.AbstractInput.CLIENT_HELLO;
import static org.dtls4j.testing.AbstractInput.CLIENT_KEY_EXCHANGE;
import static org.dtls4j.testing.AbstractInput.FINISHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RandomWalkTesterTest {
    private static final AbstractOutput NOTHING = AbstractOutput.TIMEOUT;
    private static final AbstractOutput SERVER_FLIGHT = new AbstractOutput(List.of("SERVER_HELLO", "SERVER_HELLO_DONE"));
    private static final AbstractOutput SERVER_FINISHED = new AbstractOutput(List.of("CCS", "FINISHED"));
    private static final AbstractOutput ECHO = new AbstractOutput(List.of("APPLICATION_DATA"));

    private static Optional<String> judge(List<AbstractInput> in, List<AbstractOutput> out) {
        return Rfc6347Oracle.violation(in, out);
    }

    @Test
    void theRfcOrderIsAccepted() {
        assertEquals(Optional.empty(), judge(List.of(CLIENT_HELLO, CLIENT_KEY_EXCHANGE, CHANGE_CIPHER_SPEC, FINISHED, APPLICATION_DATA),
                List.of(SERVER_FLIGHT, NOTHING, NOTHING, SERVER_FINISHED, ECHO)));
    }

    @Test
    void finishedWithoutChangeCipherSpecSkippedKeyExchangeAndEarlyDataAreViolations() {
        assertEquals(Optional.of("Finished accepted without a ChangeCipherSpec before it"),
                judge(List.of(CLIENT_HELLO, CLIENT_KEY_EXCHANGE, FINISHED), List.of(SERVER_FLIGHT, NOTHING, SERVER_FINISHED)));
        assertEquals(Optional.of("handshake completed after a skipped ClientKeyExchange"),
                judge(List.of(CLIENT_HELLO, CHANGE_CIPHER_SPEC, FINISHED), List.of(SERVER_FLIGHT, NOTHING, SERVER_FINISHED)));
        assertEquals(Optional.of("application data accepted before the handshake completed"),
                judge(List.of(CLIENT_HELLO, APPLICATION_DATA), List.of(SERVER_FLIGHT, ECHO)));
    }

    /** A server that completes on any Finished: the walk finds the missing-CCS rule and replays it. */
    @Test
    void aRandomWalkFindsAServerThatIgnoresChangeCipherSpecAndTheTraceReplays() {
        Sul<AbstractInput, AbstractOutput> lax = new Sul<>() {
            private boolean hello;
            private boolean keyExchange;

            @Override
            public void pre() {
                hello = false;
                keyExchange = false;
            }

            @Override
            public void post() {
            }

            @Override
            public AbstractOutput step(AbstractInput input) {
                switch (input) {
                    case CLIENT_HELLO -> hello = true;
                    case CLIENT_KEY_EXCHANGE -> keyExchange = hello;
                    case FINISHED -> {
                        return keyExchange ? SERVER_FINISHED : NOTHING;
                    }
                    default -> {
                    }
                }
                return input == CLIENT_HELLO ? SERVER_FLIGHT : NOTHING;
            }
        };
        RandomWalkTester tester = new RandomWalkTester(lax, 7,
                List.of(CLIENT_HELLO, CLIENT_KEY_EXCHANGE, CHANGE_CIPHER_SPEC, FINISHED));
        List<RandomWalkTester.Violation> found = tester.run(200, 6);
        assertFalse(found.isEmpty());
        RandomWalkTester.Violation v = found.stream()
                .filter(x -> x.rule().startsWith("Finished accepted without")).findFirst().orElseThrow();
        assertEquals(v.outputs(), tester.replay(v.inputs()));
        assertTrue(v.toString().contains("FINISHED/CCS+FINISHED"), v.toString());
        List<String> rules = new ArrayList<>();
        found.forEach(x -> rules.add(x.rule()));
        assertFalse(rules.contains("application data accepted before the handshake completed"));
    }
}
