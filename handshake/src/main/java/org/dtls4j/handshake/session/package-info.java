/**
 * What a handshake leaves behind for the user: its {@link org.dtls4j.handshake.session.HandshakeResult}, the
 * resumable {@link org.dtls4j.handshake.session.Session}, a server's session cache and RFC 5077 session tickets.
 */
package org.dtls4j.handshake.session;
