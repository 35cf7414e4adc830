package org.dtls4j.testing;

/**
 * A datagram with one field broken, and what was broken, for a test's failure message.
 *
 * @param bytes the mutated datagram (a fresh array)
 * @param description e.g. {@code "record 0: epoch 0 -> 1"}
 */
public record Mutation(byte[] bytes, String description) {
    /**
     * Copies the datagram, so the caller may reuse its array.
     *
     * @param bytes the mutated datagram, not null
     * @param description what was broken, for a failure message
     */
    public Mutation {
        bytes = bytes.clone();
    }

    /** {@return a fresh copy of the mutated datagram} */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** {@return the description and the datagram length, not the bytes} */
    @Override
    public String toString() {
        return "Mutation[" + description + ", " + bytes.length + " bytes]";
    }
}
