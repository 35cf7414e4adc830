/**
 * The DTLS record layer (RFC 6347 §4.1, RFC 9146): {@link org.dtls4j.record.RecordLayer} protects and
 * opens records per epoch, {@link org.dtls4j.record.ReplayWindow} rejects replays, and drops are
 * counted by {@link org.dtls4j.record.DropReason}. The header's bytes are read and written by
 * {@link org.dtls4j.wire.RecordPeek}.
 */
package org.dtls4j.record;
