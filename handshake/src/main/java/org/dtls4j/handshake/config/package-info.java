/** Handshake tuning a user may set: retransmission timers and reassembly bounds. */
package org.dtls4j.handshake.config;
