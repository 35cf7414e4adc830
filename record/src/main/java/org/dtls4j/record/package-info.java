/** The DTLS record layer (RFC 6347 §4.1). */
package org.dtls4j.record;
