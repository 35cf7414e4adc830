/**
 * What the DTLS record layer (RFC 6347 §4.1, RFC 9146) shares with users and the other layers: its bounds
 * ({@link org.dtls4j.record.RecordLayerConfig}), content types, the replay window and the
 * {@link org.dtls4j.record.DropReason reasons} drops are counted under. The header's bytes are read and
 * written by {@link org.dtls4j.wire.RecordPeek}; the record layer itself is in {@code org.dtls4j.record.layer}.
 */
package org.dtls4j.record;
