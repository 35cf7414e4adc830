/**
 * The DTLS record layer (RFC 6347 §4.1, RFC 9146): {@link org.dtls4j.record.RecordLayer} protects and
 * opens records per epoch, {@link org.dtls4j.record.ReplayWindow} rejects replays,
 * {@link org.dtls4j.record.RecordHeader} is the header codec, and drops are counted by
 * {@link org.dtls4j.record.DropReason}.
 */
package org.dtls4j.record;
