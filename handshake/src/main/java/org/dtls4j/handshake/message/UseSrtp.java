package org.dtls4j.handshake.message;

import java.util.List;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Reader;
import org.dtls4j.wire.Writer;

/**
 * The use_srtp extension (14), RFC 5764 §4.1.1, each two-byte profile as one raw 16-bit code:
 * <pre>
 * uint8 SRTPProtectionProfile[2];
 * SRTPProtectionProfile SRTPProtectionProfiles&lt;2..2^16-1&gt;;
 * struct {
 *     SRTPProtectionProfiles SRTPProtectionProfiles;
 *     opaque srtp_mki&lt;0..255&gt;;
 * } UseSRTPData;
 * </pre>
 */
public record UseSrtp(List<Integer> profiles, Bytes mki) implements ExtensionData {
    /**
     * Checks every field against its wire bounds, so an instance always encodes.
     *
     * @param profiles the SRTPProtectionProfile codes, most preferred first, at least one
     * @param mki the srtp_mki, 0 to 255 bytes
     */
    public UseSrtp {
        profiles = Codec.codes(profiles, 16, 1, 0x7fff, "SRTPProtectionProfiles");
        Codec.bytes(mki, 0, 0xff, "srtp_mki");
    }

    /**
     * Reads a {@code UseSrtp} from {@code r}.
     *
     * @param r the reader, at the body's first byte
     * @return the decoded value
     * @throws DtlsException decode_error when the bytes do not parse
     */
    public static UseSrtp decode(Reader r) throws DtlsException {
        List<Integer> profiles = Codec.u16List(r, 2, 2, 0xffff, "SRTPProtectionProfiles");
        Bytes mki = Codec.opaque(r, 1, 0, 0xff, "srtp_mki");
        r.expectEnd();
        return new UseSrtp(profiles, mki);
    }

    @Override
    public ExtensionType type() {
        return ExtensionType.USE_SRTP;
    }

    @Override
    public void encodeData(Writer w) {
        Codec.u16List(w, 2, profiles);
        Codec.opaque(w, 1, mki);
    }
}
