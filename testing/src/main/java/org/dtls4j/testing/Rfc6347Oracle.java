package org.dtls4j.testing;

import java.util.List;
import java.util.Optional;

/**
 * Judges a trace of {@link AbstractInput}s and the server's {@link AbstractOutput}s against what RFC
 * 6347 (and RFC 5246 §7.4, which it inherits) forbids a server to accept. It sees only abstract
 * symbols, so it judges what is observable: the server's Finished says it accepted our flight, an
 * echoed application-data record says it accepted our data (the server under test must echo).
 */
public final class Rfc6347Oracle {
    private Rfc6347Oracle() {
    }

    /**
     * The first rule the trace breaks, checked at its last step, or empty. Run it after each step:
     * earlier steps were judged then.
     *
     * @param inputs the inputs so far
     * @param outputs one output per input
     * @return what the server did wrong at the last step, in words, or empty when it kept the rules
     */
    public static Optional<String> violation(List<AbstractInput> inputs, List<AbstractOutput> outputs) {
        int last = inputs.size() - 1;
        if (last < 0) {
            return Optional.empty();
        }
        AbstractOutput out = outputs.get(last);
        int hello = lastIndexOf(inputs, AbstractInput.CLIENT_HELLO, last);
        List<AbstractInput> sinceHello = inputs.subList(Math.max(0, hello), last + 1);
        boolean serverFinishedBefore = outputs.subList(0, last).stream().anyMatch(o -> o.has("FINISHED"));
        if (out.has("FINISHED") && !serverFinishedBefore) {
            if (hello < 0) {
                return Optional.of("handshake completed without a ClientHello");
            }
            if (!sinceHello.contains(AbstractInput.CLIENT_KEY_EXCHANGE)) {
                return Optional.of("handshake completed after a skipped ClientKeyExchange");
            }
            int finished = lastIndexOf(inputs, AbstractInput.FINISHED, last);
            int ccs = lastIndexOf(inputs, AbstractInput.CHANGE_CIPHER_SPEC, last);
            if (finished < 0) {
                return Optional.of("handshake completed without the client's Finished");
            }
            if (ccs < hello || ccs > finished) {
                return Optional.of("Finished accepted without a ChangeCipherSpec before it");
            }
            int alert = lastIndexOf(inputs, AbstractInput.FATAL_ALERT, last);
            if (alert > hello) {
                return Optional.of("handshake completed after the client's fatal alert");
            }
        }
        if (inputs.get(last) == AbstractInput.APPLICATION_DATA && out.has("APPLICATION_DATA") && !serverFinishedBefore) {
            return Optional.of("application data accepted before the handshake completed");
        }
        return Optional.empty();
    }

    private static int lastIndexOf(List<AbstractInput> inputs, AbstractInput which, int upTo) {
        for (int i = upTo; i >= 0; i--) {
            if (inputs.get(i) == which) {
                return i;
            }
        }
        return -1;
    }
}
