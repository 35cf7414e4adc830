package org.dtls4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A simple conformance tester for a {@link Sul}: seeded random walks over the input alphabet, each
 * judged step by step by {@link Rfc6347Oracle}. A walk stops at its first violation, which is reported
 * with the whole input/output trace so it can be replayed by hand with a {@link ScriptedPeer}.
 * Walks start with a ClientHello half of the time, so they reach deep states more often than
 * uniformly random ones would.
 */
public final class RandomWalkTester {
    /**
     * A trace the oracle refused.
     *
     * @param inputs the inputs of the walk, up to and including the one that broke the rule
     * @param outputs the output for each input, same length as {@code inputs}
     * @param rule what the oracle says was broken
     */
    public record Violation(List<AbstractInput> inputs, List<AbstractOutput> outputs, String rule) {
        /**
         * Copies the trace.
         *
         * @param inputs the inputs of the walk, not null
         * @param outputs the output for each input, not null
         * @param rule what the oracle says was broken
         */
        public Violation {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(rule).append(':');
            for (int i = 0; i < inputs.size(); i++) {
                sb.append(' ').append(inputs.get(i)).append('/').append(outputs.get(i));
            }
            return sb.toString();
        }
    }

    private final Sul<AbstractInput, AbstractOutput> sul;
    private final Random random;
    private final List<AbstractInput> alphabet;

    /**
     * A tester over the whole {@link AbstractInput} alphabet.
     *
     * @param sul the system under test; the tester calls its pre, step and post
     * @param seed the seed of the walks: the same seed gives the same inputs
     */
    public RandomWalkTester(Sul<AbstractInput, AbstractOutput> sul, long seed) {
        this(sul, seed, List.of(AbstractInput.values()));
    }

    /**
     * A tester over part of the alphabet.
     *
     * @param sul the system under test; the tester calls its pre, step and post
     * @param seed the seed of the walks: the same seed gives the same inputs
     * @param alphabet the inputs to draw from, not empty
     * @throws IllegalArgumentException when {@code alphabet} is empty
     */
    public RandomWalkTester(Sul<AbstractInput, AbstractOutput> sul, long seed, List<AbstractInput> alphabet) {
        if (alphabet.isEmpty()) {
            throw new IllegalArgumentException("empty alphabet");
        }
        this.sul = sul;
        this.random = new Random(seed);
        this.alphabet = List.copyOf(alphabet);
    }

    /**
     * Runs {@code walks} walks of up to {@code maxLength} steps.
     *
     * @param walks how many walks, each on a fresh query
     * @param maxLength the most inputs in one walk
     * @return every violation found, one at most per walk, in walk order
     */
    public List<Violation> run(int walks, int maxLength) {
        List<Violation> found = new ArrayList<>();
        for (int w = 0; w < walks; w++) {
            walk(maxLength).ifPresent(found::add);
        }
        return found;
    }

    /**
     * Runs one walk on a fresh query, stopping at the first violation.
     *
     * @param maxLength the most inputs in the walk
     * @return the violation, or empty when the walk kept every rule
     */
    public Optional<Violation> walk(int maxLength) {
        List<AbstractInput> inputs = new ArrayList<>();
        List<AbstractOutput> outputs = new ArrayList<>();
        sul.pre();
        try {
            for (int i = 0; i < maxLength; i++) {
                AbstractInput in = i == 0 && random.nextBoolean() && alphabet.contains(AbstractInput.CLIENT_HELLO)
                        ? AbstractInput.CLIENT_HELLO : alphabet.get(random.nextInt(alphabet.size()));
                inputs.add(in);
                outputs.add(sul.step(in));
                Optional<String> v = Rfc6347Oracle.violation(inputs, outputs);
                if (v.isPresent()) {
                    return Optional.of(new Violation(inputs, outputs, v.get()));
                }
            }
            return Optional.empty();
        } finally {
            sul.post();
        }
    }

    /**
     * Replays {@code inputs} on a fresh query, to confirm a violation.
     *
     * @param inputs the inputs to send in order
     * @return the output for each input
     */
    public List<AbstractOutput> replay(List<AbstractInput> inputs) {
        List<AbstractOutput> outputs = new ArrayList<>();
        sul.pre();
        try {
            for (AbstractInput in : inputs) {
                outputs.add(sul.step(in));
            }
            return outputs;
        } finally {
            sul.post();
        }
    }
}
