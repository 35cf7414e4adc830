/** The DTLS record layer: framing, epochs, sequence numbers, replay protection, record protection. */
module org.dtls4j.record {
    requires transitive org.dtls4j.crypto;
    exports org.dtls4j.record;
    // The record layer itself (RecordLayer, RecordCursor, epochs, held records) is driven by the engine only.
    exports org.dtls4j.record.layer to org.dtls4j.handshake, org.dtls4j;
}
