/**
 * Wire codecs, alerts and the project exception shared by every layer, and the allocation-free peeks at
 * raw datagrams ({@link org.dtls4j.wire.RecordPeek}, {@link org.dtls4j.wire.ClientHelloPeek}).
 */
package org.dtls4j.wire;
