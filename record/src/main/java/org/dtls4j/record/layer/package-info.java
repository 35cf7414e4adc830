/**
 * The record layer the engine drives (RFC 6347 §4.1, RFC 9146): {@link org.dtls4j.record.layer.RecordLayer}
 * protects and opens records per epoch and {@link org.dtls4j.record.layer.RecordCursor} walks a datagram's
 * records. Exported only to the handshake and the engine.
 */
package org.dtls4j.record.layer;
