package org.dtls4j.testing;

import java.util.List;

/**
 * What the system under test answered to one abstract input: the {@linkplain PeerEvent#symbol()
 * symbols} of what arrived, retransmissions left out, in order, or {@code TIMEOUT} when nothing did.
 * Equal answers give equal outputs, which is what a model learner needs.
 *
 * @param symbols e.g. {@code [SERVER_HELLO, SERVER_HELLO_DONE]} or {@code [ALERT(fatal,unexpected_message)]}
 */
public record AbstractOutput(List<String> symbols) {
    /** The output when nothing came back. */
    public static final AbstractOutput TIMEOUT = new AbstractOutput(List.of("TIMEOUT"));

    public AbstractOutput {
        symbols = List.copyOf(symbols);
    }

    /** The output for what a peer read back. */
    public static AbstractOutput of(List<PeerEvent> events) {
        List<String> s = events.stream()
                .filter(e -> !(e instanceof PeerEvent.Handshake h && h.duplicate()))
                .map(PeerEvent::symbol).distinct().toList();
        return s.isEmpty() ? TIMEOUT : new AbstractOutput(s);
    }

    /** True when one of the symbols is {@code symbol}. */
    public boolean has(String symbol) {
        return symbols.contains(symbol);
    }

    /** True when a fatal alert came back. */
    public boolean hasFatalAlert() {
        return symbols.stream().anyMatch(s -> s.startsWith("ALERT(fatal"));
    }

    @Override
    public String toString() {
        return String.join("+", symbols);
    }
}
