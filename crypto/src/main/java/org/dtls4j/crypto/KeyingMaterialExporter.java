package org.dtls4j.crypto;

/**
 * Anything that can run the RFC 5705 §4 keying-material exporter of one completed handshake: an
 * {@link ExporterSecret}, or {@code org.dtls4j.DtlsConnection::exportKeyingMaterial}. {@link SrtpKeys}
 * takes one, so it needs no connection type.
 */
@FunctionalInterface
public interface KeyingMaterialExporter {
    /**
     * {@code length} bytes of PRF(master_secret, label, client_random || server_random [|| context_length ||
     * context]). A null context is "no context", which gives other bytes than an empty one (RFC 5705 §4).
     *
     * @param label the exporter label, registered with IANA for interop (e.g. {@code EXTRACTOR-dtls_srtp}); not reserved
     * @param context the context, at most 65535 bytes, or null for none
     * @param length how many bytes to export, at least 0
     * @return a fresh array of {@code length} bytes; the caller should wipe it when done
     * @throws IllegalArgumentException for a reserved label, a context over 65535 bytes or a negative length
     * @throws IllegalStateException when no completed handshake (or its secret) is there to export from
     */
    byte[] exportKeyingMaterial(String label, byte[] context, int length);
}
