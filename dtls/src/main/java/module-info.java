/** The dtls4j public API: configuration, the sans-IO engine and the socket adapters. */
module org.dtls4j {
    requires transitive org.dtls4j.handshake;
    // Flight Recorder events (JfrEvents); part of every JDK, so no runtime dependency.
    requires jdk.jfr;
    exports org.dtls4j;
}
