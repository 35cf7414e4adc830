package org.dtls4j.handshake.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The default {@link RawPublicKeyVerifier}: a fixed set of SubjectPublicKeyInfo SHA-256 digests. Every
 * pin is compared with {@link MessageDigest#isEqual} and the loop never stops early, so how long a check
 * takes says nothing about which pin (or how much of one) a candidate matched.
 */
final class PinnedRawPublicKeys implements RawPublicKeyVerifier {
    private final List<byte[]> digests;

    private PinnedRawPublicKeys(List<byte[]> digests) {
        this.digests = digests;
    }

    static PinnedRawPublicKeys of(Collection<? extends PublicKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no pinned keys");
        }
        List<byte[]> out = new ArrayList<>(keys.size());
        for (PublicKey k : keys) {
            byte[] spki = k.getEncoded();
            if (spki == null) {
                throw new IllegalArgumentException("pinned key has no SubjectPublicKeyInfo encoding");
            }
            out.add(sha256(spki));
        }
        return new PinnedRawPublicKeys(List.copyOf(out));
    }

    @Override
    public boolean isTrusted(PublicKey peerKey) {
        byte[] candidate = sha256(peerKey.getEncoded());
        boolean found = false;
        for (byte[] pin : digests) {
            found |= MessageDigest.isEqual(pin, candidate);
        }
        return found;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    @Override
    public String toString() {
        return "PinnedRawPublicKeys[" + digests.size() + " key(s)]";
    }
}
