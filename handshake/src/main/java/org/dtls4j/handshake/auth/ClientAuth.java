package org.dtls4j.handshake.auth;

/** Whether a server asks its clients for a certificate, and whether it insists on one. */
public enum ClientAuth {
    /** No CertificateRequest is sent. */
    NONE,
    /** A CertificateRequest is sent; a client may answer with an empty Certificate. */
    OPTIONAL,
    /** A CertificateRequest is sent; an empty Certificate or a missing CertificateVerify fails the handshake. */
    REQUIRED
}
