package org.dtls4j;

/**
 * What a {@link DtlsAcceptor}'s listener implements when it keeps running totals of its connections' counters
 * ({@link DtlsServer}'s metrics): a connection going to rest ({@link DtlsAcceptor#restAfter}) keeps no counters in
 * its compact form, and counts from zero again when it wakes, so its figures so far are folded in first.
 */
interface RestObserver {
    /**
     * {@code connection} is about to be put to rest; its counters are final for this live object.
     *
     * @param connection the connection, still live for the length of the call
     */
    void beforeRest(DtlsConnection connection);
}
