/** The DTLS 1.2 handshake layer. */
package org.dtls4j.handshake;
