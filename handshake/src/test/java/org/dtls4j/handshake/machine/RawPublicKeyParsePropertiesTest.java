package org.dtls4j.handshake.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.security.PublicKey;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.dtls4j.handshake.auth.ClientAuth;
import org.dtls4j.handshake.message.Bytes;
import org.dtls4j.testkit.TestPki;
import org.dtls4j.wire.DtlsException;

/**
 * A peer's SubjectPublicKeyInfo is hostile input: whatever the bytes, the checks give a key or a
 * DtlsException, never another exception, and a key it gives re-encodes to exactly the bytes sent.
 */
class RawPublicKeyParsePropertiesTest {
    private static final List<byte[]> VALID = List.of(
            TestPki.keyPair(TestPki.KeyType.EC_P256).getPublic().getEncoded(),
            TestPki.keyPair(TestPki.KeyType.EC_P384).getPublic().getEncoded(),
            TestPki.keyPair(TestPki.KeyType.ED25519).getPublic().getEncoded(),
            TestPki.keyPair(TestPki.KeyType.RSA_2048).getPublic().getEncoded());

    /** Trusts every key, so the whole check runs: parse, strength, type, EC point. */
    private static final HandshakeSettings TRUST_ALL = RawPublicKeyHandshakeTest.withRawKeys(
            new TestSettings(List.of(), null, null, null, null, false, ClientAuth.NONE, null, null), null, key -> true);

    @Provide
    Arbitrary<byte[]> validSpki() {
        return Arbitraries.of(VALID).map(byte[]::clone);
    }

    @Property(tries = 500)
    void randomBytesGiveAKeyOrADtlsException(@ForAll byte[] bytes) {
        parsesCleanly(bytes);
    }

    @Property(tries = 800)
    void aChangedByteGivesAKeyOrADtlsException(@ForAll("validSpki") byte[] spki, @ForAll @IntRange(max = 600) int at,
                                               @ForAll byte value) {
        spki[at % spki.length] = value;
        parsesCleanly(spki);
    }

    @Property(tries = 200)
    void aTruncationOrExtensionGivesAKeyOrADtlsException(@ForAll("validSpki") byte[] spki,
                                                         @ForAll @IntRange(min = -700, max = 8) int delta) {
        byte[] changed = java.util.Arrays.copyOf(spki, Math.max(0, spki.length + delta));
        parsesCleanly(changed);
    }

    private static void parsesCleanly(byte[] spki) {
        try {
            PublicKey key = RawPublicKeys.accept(TRUST_ALL, Bytes.of(spki), null);
            assertArrayEquals(spki, key.getEncoded(), "an accepted key has exactly one encoding");
        } catch (DtlsException expected) {
            // refused with an alert: the only acceptable failure
        }
    }
}
