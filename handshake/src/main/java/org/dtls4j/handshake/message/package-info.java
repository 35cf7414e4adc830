/**
 * Codecs for the bodies of the DTLS 1.2 handshake messages and their hello extensions.
 *
 * <p>Every message is an immutable record with {@code static X decode(Reader r)} (or a variant taking
 * the context the wire format depends on) next to {@code void encode(Writer w)}. Decoding consumes the
 * whole body and never consults configuration, secrets or state: it checks structure only.
 *
 * <p>Alert rule: a body that does not parse (wrong length, truncated, trailing bytes, a vector whose
 * length breaks the RFC's {@code <min..max>} bounds, an odd length for a list of 16-bit codes, a
 * duplicate extension) fails with decode_error. Where an RFC says that receiving a well-formed but
 * out-of-range value is itself fatal and names the alert (record_size_limit below 64, RFC 8449 §4;
 * a max_fragment_length code outside 1..4, RFC 6066 §4), decode raises that alert (illegal_parameter).
 * Everything else, such as which suites or groups are acceptable, is the state machines' policy.
 *
 * <p>Wire codes the crypto layer owns (cipher suites, named groups, signature schemes, SRTP
 * profiles) are plain {@code int}s here, so unknown values round-trip and this package does not depend
 * on the registry types. Byte strings are {@link org.dtls4j.handshake.message.Bytes}.
 *
 * <p>Bound: decoding allocates at most a small constant factor of the body length; the body itself is
 * bounded by the reassembler's largest-message limit.
 */
package org.dtls4j.handshake.message;
