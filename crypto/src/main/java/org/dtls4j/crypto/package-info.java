/** Cipher suites, the TLS 1.2 PRF and key schedule, AEAD record protection, key exchange, signatures. */
package org.dtls4j.crypto;
