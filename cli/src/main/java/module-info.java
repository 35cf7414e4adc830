/** The {@code dtls} command: client, server and demo. */
module org.dtls4j.cli {
    requires org.dtls4j;
}
