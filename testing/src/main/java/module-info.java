/**
 * dtls4j as a test instrument: generators, mutators, a seeded lossy link, a scriptable DTLS 1.2 peer
 * and a state-fuzzing front end. Meant for the test scope of its users.
 */
module org.dtls4j.testing {
    requires transitive org.dtls4j.handshake;
    requires transitive net.jqwik.api;
    exports org.dtls4j.testing;
}
