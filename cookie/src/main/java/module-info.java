/** RFC 6347 §4.2.1 stateless cookies: the verifier in front of a DTLS server. */
module org.dtls4j.cookie {
    requires transitive org.dtls4j.record;

    exports org.dtls4j.cookie;
}
