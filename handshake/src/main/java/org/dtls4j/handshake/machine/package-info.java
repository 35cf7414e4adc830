/**
 * The DTLS 1.2 client and server state machines ({@link org.dtls4j.handshake.machine.ClientHandshaker},
 * {@link org.dtls4j.handshake.machine.ServerHandshaker}) and the settings they run under. Engine internals:
 * exported only to the modules that drive them.
 */
package org.dtls4j.handshake.machine;
