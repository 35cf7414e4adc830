/** Netty channel handlers over the dtls4j sans-IO engine. */
module org.dtls4j.netty {
    requires transitive org.dtls4j;
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    exports org.dtls4j.netty;
}
