package org.dtls4j.testing;

/**
 * A datagram with one field broken, and what was broken, for a test's failure message.
 *
 * @param bytes the mutated datagram (a fresh array)
 * @param description e.g. {@code "record 0: epoch 0 -> 1"}
 */
public record Mutation(byte[] bytes, String description) {
    public Mutation {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "Mutation[" + description + ", " + bytes.length + " bytes]";
    }
}
