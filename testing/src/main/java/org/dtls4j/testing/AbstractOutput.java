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

    /**
     * Copies the symbols, so the output stays equal to itself whatever the caller does with its list.
     *
     * @param symbols the symbols in arrival order, not null and with no null element
     */
    public AbstractOutput {
        symbols = List.copyOf(symbols);
    }

    /**
     * The output for what a peer read back: one symbol per distinct event, retransmitted handshake
     * messages left out, so a flight that arrives twice gives the same output as one that arrives once.
     *
     * @param events what {@link ScriptedPeer} read, in arrival order
     * @return the symbols, or {@link #TIMEOUT} when nothing but retransmissions (or nothing) arrived
     */
    public static AbstractOutput of(List<PeerEvent> events) {
        List<String> s = events.stream()
                .filter(e -> !(e instanceof PeerEvent.Handshake h && h.duplicate()))
                .map(PeerEvent::symbol).distinct().toList();
        return s.isEmpty() ? TIMEOUT : new AbstractOutput(s);
    }

    /**
     * Tells whether a symbol came back.
     *
     * @param symbol e.g. {@code SERVER_HELLO}
     * @return true when one of the symbols is {@code symbol}
     */
    public boolean has(String symbol) {
        return symbols.contains(symbol);
    }

    /** {@return true when a fatal alert came back} */
    public boolean hasFatalAlert() {
        return symbols.stream().anyMatch(s -> s.startsWith("ALERT(fatal"));
    }

    /** {@return the symbols joined with {@code +}, e.g. {@code SERVER_HELLO+SERVER_HELLO_DONE}} */
    @Override
    public String toString() {
        return String.join("+", symbols);
    }
}
