/** The DTLS record layer: framing, epochs, sequence numbers, replay protection, record protection. */
module org.dtls4j.record {
    requires transitive org.dtls4j.crypto;
    exports org.dtls4j.record;
}
