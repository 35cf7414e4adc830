package org.dtls4j.handshake.machine;

import java.security.MessageDigest;
import java.util.List;
import org.dtls4j.crypto.SrtpProtectionProfile;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.handshake.message.Extensions;
import org.dtls4j.handshake.message.UseSrtp;
import org.dtls4j.handshake.session.HandshakeResult;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.DtlsException;

/**
 * The use_srtp negotiation of RFC 5764 §4.1, both sides: what a client offers, what a server selects
 * and echoes, and what a client accepts. Kept apart from the state machines, which only call it.
 */
final class SrtpNegotiation {
    /**
     * What use_srtp agreed.
     *
     * @param mki the MKI both sides will use (RFC 5764 §4.1.1), empty for none
     */
    record Choice(SrtpProtectionProfile profile, byte[] mki) {
    }

    private SrtpNegotiation() {
    }

    /** {@code r} with what use_srtp agreed ({@code srtp} null for none). */
    static HandshakeResult withSrtp(HandshakeResult r, Choice srtp) {
        return srtp == null ? r : new HandshakeResult(r.suite(), r.peerCertificates(), r.pskIdentity(),
                r.applicationProtocol(), r.serverName(), r.session(), r.resumed(), r.extendedMasterSecret(),
                r.peerRecordSizeLimit(), r.peerRawPublicKey(), srtp.profile(), srtp.mki(), r.connectionId());
    }

    /** The client's use_srtp, or null when it offers no SRTP profile. */
    static UseSrtp offer(HandshakeSettings settings) {
        List<SrtpProtectionProfile> ours = settings.srtpProfiles();
        if (ours.isEmpty()) {
            return null;
        }
        return new UseSrtp(ours.stream().map(SrtpProtectionProfile::code).toList(), Bytes.of(settings.srtpMki()));
    }

    /**
     * RFC 5764 §4.1.1-4.1.3 on the server: our first profile the client offered, with the client's MKI when
     * we use MKIs and an empty one otherwise; null (no use_srtp echoed, plain DTLS goes on) when the client
     * sent none or nothing is common, unless this side requires SRTP.
     *
     * @throws DtlsException handshake_failure when SRTP is required and cannot be agreed
     */
    static Choice select(HandshakeSettings settings, Extensions clientExtensions) throws DtlsException {
        UseSrtp offered = clientExtensions.useSrtp().orElse(null);
        if (offered != null) {
            for (SrtpProtectionProfile p : settings.srtpProfiles()) {
                if (offered.profiles().contains(p.code())) {
                    byte[] mki = settings.srtpAcceptMki() ? offered.mki().toByteArray() : new byte[0];
                    return new Choice(p, mki);
                }
            }
        }
        if (settings.requireSrtp()) {
            throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE,
                    offered == null ? "client offers no use_srtp" : "no SRTP protection profile in common");
        }
        return null;
    }

    /** The server's use_srtp for a choice. */
    static UseSrtp echo(Choice choice) {
        return new UseSrtp(List.of(choice.profile().code()), Bytes.of(choice.mki()));
    }

    /**
     * RFC 5764 §4.1.1 on the client: the server's use_srtp names exactly one profile we offered, and an MKI
     * that is empty or ours (else illegal_parameter). Null when the server echoed none.
     *
     * @throws DtlsException handshake_failure when SRTP is required and the server echoed no use_srtp
     */
    static Choice accept(HandshakeSettings settings, Extensions serverExtensions) throws DtlsException {
        UseSrtp echoed = serverExtensions.useSrtp().orElse(null);
        if (echoed == null) {
            if (settings.requireSrtp()) {
                throw new DtlsException(AlertDescription.HANDSHAKE_FAILURE, "server did not agree to use_srtp");
            }
            return null;
        }
        if (echoed.profiles().size() != 1) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER,
                    "server use_srtp names " + echoed.profiles().size() + " profiles, not one");
        }
        int code = echoed.profiles().get(0);
        SrtpProtectionProfile profile = SrtpProtectionProfile.of(code)
                .filter(settings.srtpProfiles()::contains).orElse(null);
        if (profile == null) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "server chose SRTP profile " + code + ", not offered");
        }
        byte[] mki = echoed.mki().toByteArray();
        if (mki.length > 0 && !MessageDigest.isEqual(mki, settings.srtpMki())) {
            throw new DtlsException(AlertDescription.ILLEGAL_PARAMETER, "server srtp_mki differs from the one offered");
        }
        return new Choice(profile, mki);
    }
}
