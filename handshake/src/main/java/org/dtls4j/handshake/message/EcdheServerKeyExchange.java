package org.dtls4j.handshake.message;

import java.util.Objects;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The signed ECDHE ServerKeyExchange of ECDHE_ECDSA and ECDHE_RSA (RFC 8422 §5.4 with the TLS 1.2
 * digitally-signed struct of RFC 5246 §4.7), the scheme as a raw 16-bit code:
 * <pre>
 * struct {
 *     ServerECDHParams params;
 *     digitally-signed struct {
 *         opaque client_random[32];
 *         opaque server_random[32];
 *         ServerECDHParams params;
 *     } signed_params;       // on the wire: SignatureAndHashAlgorithm, opaque signature&lt;0..2^16-1&gt;
 * } ServerKeyExchange;
 * </pre>
 */
public record EcdheServerKeyExchange(ServerEcdhParams params, int signatureScheme, Bytes signature)
        implements ServerKeyExchange {

    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param params the named group and the server's ECDHE public key, not null
     * @param signatureScheme the SignatureAndHashAlgorithm code of the signature, 16 bits
     * @param signature the signature over both randoms and the params, 0 to 65535 bytes
     */
    public EcdheServerKeyExchange {
        Objects.requireNonNull(params, "params");
        Codec.u16(signatureScheme, "signature scheme");
        Codec.bytes(signature, 0, 0xffff, "signature");
    }

    /**
     * Reads a {@code EcdheServerKeyExchange} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static EcdheServerKeyExchange decode(Reader r) throws DtlsException {
        ServerEcdhParams params = ServerEcdhParams.decode(r);
        int scheme = r.u16();
        Bytes signature = Codec.opaque(r, 2, 0, 0xffff, "signature");
        r.expectEnd();
        return new EcdheServerKeyExchange(params, scheme, signature);
    }

    /**
     * {@return what the signature covers: client_random, server_random, then the encoded params}
     *
     * @param clientRandom ClientHello.random
     * @param serverRandom ServerHello.random
     * @param params the server's ECDH parameters
     */
    public static byte[] signedContent(Bytes clientRandom, Bytes serverRandom, ServerEcdhParams params) {
        Codec.bytes(clientRandom, ClientHello.RANDOM_LENGTH, ClientHello.RANDOM_LENGTH, "client_random");
        Codec.bytes(serverRandom, ClientHello.RANDOM_LENGTH, ClientHello.RANDOM_LENGTH, "server_random");
        Writer w = new Writer(2 * ClientHello.RANDOM_LENGTH + 4 + params.publicPoint().length());
        clientRandom.writeTo(w);
        serverRandom.writeTo(w);
        params.encode(w);
        return w.toByteArray();
    }

    @Override
    public void encode(Writer w) {
        params.encode(w);
        w.u16(signatureScheme);
        Codec.opaque(w, 2, signature);
    }
}
