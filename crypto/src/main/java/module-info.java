/** The bottom layer: wire codecs and alerts shared by every layer, and the cryptography DTLS 1.2 needs. */
module org.dtls4j.crypto {
    exports org.dtls4j.wire;
    exports org.dtls4j.crypto;
}
