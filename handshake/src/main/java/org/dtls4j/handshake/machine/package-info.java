/**
 * The DTLS 1.2 client and server state machines ({@link org.dtls4j.handshake.machine.ClientHandshaker},
 * {@link org.dtls4j.handshake.machine.ServerHandshaker}) and the settings, results and sessions they use.
 */
package org.dtls4j.handshake.machine;
