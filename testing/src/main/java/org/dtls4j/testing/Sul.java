package org.dtls4j.testing;

/**
 * A system under learning, shaped the way model learners such as LearnLib expect one (their
 * {@code SUL<I, O>}): {@link #pre()} before each query resets the system, {@link #step} sends one
 * abstract input and returns the abstract output, {@link #post()} after the query releases what the
 * query used. A LearnLib adapter is three one-line methods over this interface.
 *
 * @param <I> abstract inputs
 * @param <O> abstract outputs
 */
public interface Sul<I, O> {

    /** Resets the system under test to its initial state: a fresh connection. */
    void pre();

    /** Ends the current query; releases sockets and keys. */
    void post();

    /**
     * Sends one abstract input and returns what the system answered, abstracted.
     *
     * @param input the abstract input to send
     * @return the abstract output for what came back within the timeout
     */
    O step(I input);
}
