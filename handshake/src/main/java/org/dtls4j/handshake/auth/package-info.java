/**
 * How peers authenticate, as a user configures it: pre-shared keys ({@link org.dtls4j.handshake.auth.PskStore}),
 * certificate identities, client authentication and RFC 7250 raw public keys.
 */
package org.dtls4j.handshake.auth;
