/** The DTLS 1.2 handshake: message codecs, fragmentation, reassembly, flights and state machines. */
module org.dtls4j.handshake {
    requires transitive org.dtls4j.record;
    requires transitive org.dtls4j.cookie;
    exports org.dtls4j.handshake;
    exports org.dtls4j.handshake.auth;
    exports org.dtls4j.handshake.config;
    exports org.dtls4j.handshake.message;
    exports org.dtls4j.handshake.machine;
    exports org.dtls4j.handshake.session;
}
