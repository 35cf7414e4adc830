/**
 * The DTLS 1.2 handshake: message codecs, fragmentation, reassembly, flights and state machines. Users touch
 * {@code auth}, {@code session}, {@code config} and {@code message}; the flight machinery and the state
 * machines are engine internals, exported only to the engine and the test instrument.
 */
module org.dtls4j.handshake {
    requires transitive org.dtls4j.record;
    requires transitive org.dtls4j.cookie;
    exports org.dtls4j.handshake.auth;
    exports org.dtls4j.handshake.config;
    exports org.dtls4j.handshake.message;
    exports org.dtls4j.handshake.session;
    exports org.dtls4j.handshake to org.dtls4j, org.dtls4j.testing;
    exports org.dtls4j.handshake.machine to org.dtls4j, org.dtls4j.testing;
}
