package org.dtls4j.cookie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;

import org.dtls4j.cookie.CookieResult.Drop;
import org.dtls4j.cookie.CookieResult.SendHelloVerifyRequest;
import org.dtls4j.cookie.CookieResult.Verified;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;
import org.dtls4j.wire.Reader;
import org.junit.jupiter.api.Test;

class CookieVerifierTest {
    static final byte[] ADDRESS = {(byte) 192, 0, 2, 1};
    static final int PORT = 5684;
    static final long HOUR = Duration.ofHours(1).toNanos();

    final CookieVerifier verifier = CookieVerifier.builder().rotationPeriod(Duration.ZERO).build();

    static CookieResult verify(CookieVerifier v, byte[] datagram) {
        return v.verify(datagram, 0, datagram.length, ADDRESS, PORT, 0);
    }

    /** The cookie the verifier hands out for {@code hello} from the default peer. */
    static byte[] cookieFor(CookieVerifier v, TestHello hello, long now) {
        byte[] d = hello.datagram();
        CookieResult r = v.verify(d, 0, d.length, ADDRESS, PORT, now);
        byte[] hvr = assertInstanceOf(SendHelloVerifyRequest.class, r).toByteArray();
        return Arrays.copyOfRange(hvr, 28, hvr.length);
    }

    static DropReason dropReason(CookieResult r) {
        return assertInstanceOf(Drop.class, r).reason();
    }

    @Test
    void answersCookielessClientHelloWithHelloVerifyRequestMirroringItsSequenceNumbers() {
        TestHello hello = TestHello.typical().withSequence(0x0102030405L, 7);
        byte[] hvr = assertInstanceOf(SendHelloVerifyRequest.class, verify(verifier, hello.datagram())).toByteArray();

        assertEquals(60, hvr.length);
        assertEquals(verifier.helloVerifyRequestLength(), hvr.length);
        byte[] expectedHeaders = org.dtls4j.wire.Hex.decode(
                "16feff0000000102030405002f" + "030000230007000000000023" + "feff20");
        assertArrayEquals(expectedHeaders, Arrays.copyOf(hvr, 28));
    }

    @Test
    void refusesClientHelloWhoseSequenceNumbersLeaveNoRoomForTheHandshake() {
        TestHello first = TestHello.typical();
        byte[] cookie = cookieFor(verifier, first, 0);
        int maxSeq = CookieVerifier.MAX_MESSAGE_SEQ;
        long maxRecord = CookieVerifier.MAX_RECORD_SEQUENCE;
        // The server mirrors both numbers and continues from them: at the edge it still fits, past it it would not.
        assertInstanceOf(Verified.class, verify(verifier, first.withCookie(cookie).withSequence(maxRecord, maxSeq).datagram()));
        for (int messageSeq : new int[] {maxSeq + 1, 0xFFFE, 0xFFFF}) {
            assertEquals(DropReason.NO_SEQUENCE_ROOM,
                    dropReason(verify(verifier, first.withCookie(cookie).withSequence(1, messageSeq).datagram())));
        }
        for (long seq : new long[] {maxRecord + 1, (1L << 48) - 2, (1L << 48) - 1}) {
            assertEquals(DropReason.NO_SEQUENCE_ROOM,
                    dropReason(verify(verifier, first.withCookie(cookie).withSequence(seq, 1).datagram())));
        }
        assertEquals(DropReason.NO_SEQUENCE_ROOM, dropReason(verify(verifier, first.withSequence(0, 0xFFFF).datagram())));
        assertEquals(7, verifier.dropCount(DropReason.NO_SEQUENCE_ROOM));
    }

    @Test
    void verifiesClientHelloCarryingItsCookieAndExposesItsFields() throws DtlsException {
        TestHello first = TestHello.typical();
        byte[] cookie = cookieFor(verifier, first, 0);
        TestHello second = first.withCookie(cookie).withSequence(1, 1);

        Verified v = assertInstanceOf(Verified.class, verify(verifier, second.datagram()));

        assertEquals(1, v.recordSequenceNumber());
        assertEquals(1, v.messageSeq());
        assertEquals(ProtocolVersion.DTLS_1_2, v.recordVersion());
        assertEquals(ProtocolVersion.DTLS_1_2, v.clientVersion());
        assertArrayEquals(first.random(), v.random());
        assertArrayEquals(new byte[0], v.sessionId());
        assertArrayEquals(cookie, v.cookie());
        assertArrayEquals(first.suites(), v.cipherSuites());
        assertArrayEquals(new byte[] {0}, v.compressionMethods());
        assertTrue(v.hasExtensions());
        assertArrayEquals(first.extensions(), v.extensions());
        assertArrayEquals(second.message(), v.message());
        Reader body = v.bodyReader();
        assertEquals(0xfefd, body.u16());
        assertEquals(second.body().length - 2, body.remaining());
    }

    @Test
    void verifiedClientHelloWithoutExtensionsBlockSaysSo() {
        TestHello first = TestHello.typical().withExtensions(null);
        TestHello second = first.withCookie(cookieFor(verifier, first, 0));

        Verified v = assertInstanceOf(Verified.class, verify(verifier, second.datagram()));

        assertFalse(v.hasExtensions());
        assertArrayEquals(new byte[0], v.extensions());
    }

    @Test
    void acceptsDtls10RecordVersionOnClientHello() {
        TestHello first = TestHello.typical().withRecord(0xfeff, 0);
        TestHello second = first.withCookie(cookieFor(verifier, first, 0));

        Verified v = assertInstanceOf(Verified.class, verify(verifier, second.datagram()));
        assertEquals(ProtocolVersion.DTLS_1_0, v.recordVersion());
    }

    @Test
    void cookieReplayedFromAnotherAddressOrPortGetsAFreshHelloVerifyRequest() throws Exception {
        TestHello first = TestHello.typical();
        byte[] second = first.withCookie(cookieFor(verifier, first, 0)).datagram();

        CookieResult otherPort = verifier.verify(second, 0, second.length, ADDRESS, PORT + 1, 0);
        CookieResult otherAddress = verifier.verify(second, 0, second.length, new byte[] {(byte) 192, 0, 2, 2}, PORT, 0);
        CookieResult ipv6 = verifier.verify(second, 0, second.length,
                InetAddress.getByName("2001:db8::1").getAddress(), PORT, 0);

        assertInstanceOf(SendHelloVerifyRequest.class, otherPort);
        assertInstanceOf(SendHelloVerifyRequest.class, otherAddress);
        assertInstanceOf(SendHelloVerifyRequest.class, ipv6);
    }

    @Test
    void inetSocketAddressFormMakesTheSameCookieAsAddressBytes() throws Exception {
        TestHello first = TestHello.typical();
        byte[] second = first.withCookie(cookieFor(verifier, first, 0)).datagram();
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByAddress(ADDRESS), PORT);

        assertInstanceOf(Verified.class, verifier.verify(second, 0, second.length, peer, 0));
    }

    @Test
    void cookieDoesNotVerifyAfterAnyCoveredClientHelloFieldChanges() {
        TestHello first = TestHello.typical();
        byte[] cookie = cookieFor(verifier, first, 0);
        byte[] otherRandom = first.random().clone();
        otherRandom[31] ^= 1;

        assertInstanceOf(SendHelloVerifyRequest.class, verify(verifier, first.withCookie(cookie).withRandom(otherRandom).datagram()));
        assertInstanceOf(SendHelloVerifyRequest.class, verify(verifier, first.withCookie(cookie).withSuites(0xc02b).datagram()));
        assertInstanceOf(SendHelloVerifyRequest.class, verify(verifier, first.withCookie(cookie).withExtensions(null).datagram()));
        assertInstanceOf(SendHelloVerifyRequest.class, verify(verifier, first.withCookie(cookie).withExtensions(new byte[0]).datagram()));
    }

    @Test
    void cookieOfWrongLengthIsTreatedAsNoCookie() {
        TestHello first = TestHello.typical();
        byte[] cookie = cookieFor(verifier, first, 0);

        CookieResult shorter = verify(verifier, first.withCookie(Arrays.copyOf(cookie, 31)).datagram());
        CookieResult longer = verify(verifier, first.withCookie(Arrays.copyOf(cookie, 33)).datagram());

        assertArrayEquals(cookie, Arrays.copyOfRange(assertInstanceOf(SendHelloVerifyRequest.class, shorter).toByteArray(), 28, 60));
        assertArrayEquals(cookie, Arrays.copyOfRange(assertInstanceOf(SendHelloVerifyRequest.class, longer).toByteArray(), 28, 60));
    }

    @Test
    void writesHelloVerifyRequestIntoCallerBufferAndReusesTheResult() {
        byte[] d = TestHello.typical().datagram();
        byte[] out = new byte[100];
        byte[] fresh = assertInstanceOf(SendHelloVerifyRequest.class, verify(verifier, d)).toByteArray();

        CookieResult a = verifier.verify(d, 0, d.length, ADDRESS, PORT, 0, out, 5);
        CookieResult b = verifier.verify(d, 0, d.length, ADDRESS, PORT, 0, out, 5);

        SendHelloVerifyRequest s = assertInstanceOf(SendHelloVerifyRequest.class, a);
        assertSame(a, b);
        assertSame(out, s.buffer());
        assertEquals(5, s.offset());
        assertArrayEquals(fresh, s.toByteArray());
        assertThrows(IndexOutOfBoundsException.class, () -> verifier.verify(d, 0, d.length, ADDRESS, PORT, 0, out, 41));
    }

    @Test
    void cookieOfPreviousSecretVerifiesAfterOneRotationButNotTwo() {
        TestHello first = TestHello.typical();
        byte[] second = first.withCookie(cookieFor(verifier, first, 0)).datagram();

        verifier.rotate();
        assertInstanceOf(Verified.class, verify(verifier, second));
        verifier.rotate();
        assertInstanceOf(SendHelloVerifyRequest.class, verify(verifier, second));
    }

    @Test
    void rotatesAutomaticallyOnThePeriodOfCallerTime() {
        CookieVerifier v = CookieVerifier.builder().rotationPeriod(Duration.ofHours(1)).build();
        long t0 = -5; // any origin, including negative nanoTime values
        TestHello first = TestHello.typical();
        byte[] cookie = cookieFor(v, first, t0);
        byte[] second = first.withCookie(cookie).datagram();

        assertInstanceOf(Verified.class, v.verify(second, 0, second.length, ADDRESS, PORT, t0 + HOUR - 1));
        assertArrayEquals(cookie, cookieFor(v, first, t0 + HOUR - 1), "no rotation before the period ends");
        assertInstanceOf(Verified.class, v.verify(second, 0, second.length, ADDRESS, PORT, t0 + HOUR));
        assertFalse(Arrays.equals(cookie, cookieFor(v, first, t0 + HOUR)), "rotated at the period");
        assertInstanceOf(SendHelloVerifyRequest.class, v.verify(second, 0, second.length, ADDRESS, PORT, t0 + 2 * HOUR));
    }

    @Test
    void longSilenceRetiresBothSecrets() {
        CookieVerifier v = CookieVerifier.builder().rotationPeriod(Duration.ofHours(1)).build();
        TestHello first = TestHello.typical();
        byte[] second = first.withCookie(cookieFor(v, first, 0)).datagram();

        assertInstanceOf(SendHelloVerifyRequest.class, v.verify(second, 0, second.length, ADDRESS, PORT, 2 * HOUR));
    }

    @Test
    void serversSharingSuppliedSecretsVerifyEachOthersCookies() {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 0x5a);
        CookieVerifier.Builder shared = CookieVerifier.builder().secrets(secret, null);
        CookieVerifier a = shared.build();
        CookieVerifier b = shared.build();
        CookieVerifier stranger = CookieVerifier.builder().build();
        TestHello first = TestHello.typical();
        byte[] second = first.withCookie(cookieFor(a, first, 0)).datagram();

        assertInstanceOf(Verified.class, verify(b, second));
        assertInstanceOf(SendHelloVerifyRequest.class, verify(stranger, second));

        byte[] next = new byte[32];
        Arrays.fill(next, (byte) 0x33);
        a.rotate(next);
        b.rotate(next);
        assertInstanceOf(Verified.class, verify(b, second), "previous shared secret still valid");
        byte[] third = first.withCookie(cookieFor(a, first, 0)).datagram();
        assertInstanceOf(Verified.class, verify(b, third));
    }

    @Test
    void suppliedPreviousSecretStillVerifies() {
        byte[] old = new byte[16];
        byte[] now = new byte[16];
        Arrays.fill(now, (byte) 1);
        CookieVerifier before = CookieVerifier.builder().secrets(old, null).build();
        CookieVerifier after = CookieVerifier.builder().secrets(now, old).build();
        TestHello first = TestHello.typical();

        assertInstanceOf(Verified.class, verify(after, first.withCookie(cookieFor(before, first, 0)).datagram()));
    }

    @Test
    void otherMacAlgorithmsAndLengthsWork() {
        CookieVerifier v = CookieVerifier.builder().algorithm("HmacSHA512").cookieLength(64).build();
        TestHello first = TestHello.typical();
        byte[] cookie = cookieFor(v, first, 0);

        assertEquals(64, cookie.length);
        assertEquals(92, v.helloVerifyRequestLength());
        assertInstanceOf(Verified.class, verify(v, first.withCookie(cookie).datagram()));
    }

    @Test
    void builderRejectsUnsafeOrImpossibleConfigurations() {
        assertThrows(IllegalArgumentException.class, () -> CookieVerifier.builder().cookieLength(15));
        assertThrows(IllegalArgumentException.class, () -> CookieVerifier.builder().cookieLength(256));
        assertThrows(IllegalArgumentException.class, () -> CookieVerifier.builder().cookieLength(33).build());
        assertThrows(IllegalArgumentException.class, () -> CookieVerifier.builder().algorithm("HmacNope").build());
        assertThrows(IllegalArgumentException.class, () -> CookieVerifier.builder().secrets(new byte[15], null));
        assertThrows(IllegalStateException.class,
                () -> CookieVerifier.builder().secrets(new byte[16], null).rotationPeriod(Duration.ofMinutes(1)).build());
        assertThrows(IllegalArgumentException.class, () -> verifier.rotate(new byte[8]));
    }

    @Test
    void toStringShowsNoSecret() {
        byte[] secret = new byte[16];
        Arrays.fill(secret, (byte) 0x41);
        String s = CookieVerifier.builder().secrets(secret, null).build().toString();
        assertFalse(s.contains("41") || s.contains("AAAA"), s);
    }

    @Test
    void dropsRecordsThatCannotBeAnInitialClientHello() {
        TestHello hello = TestHello.typical();
        byte[] typeAlert = hello.datagram();
        typeAlert[0] = 21;
        byte[] notHello = hello.datagram();
        notHello[13] = 2;
        byte[] tooLong = hello.datagram();
        tooLong[11] = 0x40;
        tooLong[12] = 0x01;

        assertEquals(DropReason.WRONG_CONTENT_TYPE, dropReason(verify(verifier, typeAlert)));
        assertEquals(DropReason.BAD_RECORD_VERSION, dropReason(verify(verifier, hello.withRecord(0x0303, 0).datagram())));
        assertEquals(DropReason.BAD_RECORD_VERSION, dropReason(verify(verifier, hello.withRecord(0xfefc, 0).datagram())));
        assertEquals(DropReason.NONZERO_EPOCH, dropReason(verify(verifier, hello.withRecord(0xfefd, 1).datagram())));
        assertEquals(DropReason.NOT_CLIENT_HELLO, dropReason(verify(verifier, notHello)));
        assertEquals(DropReason.RECORD_TOO_LONG, dropReason(verify(verifier, tooLong)));
        assertEquals(DropReason.TRUNCATED, dropReason(verify(verifier, Arrays.copyOf(hello.datagram(), 12))));
        assertEquals(1, verifier.dropCount(DropReason.NONZERO_EPOCH));
        assertEquals(2, verifier.dropCount(DropReason.BAD_RECORD_VERSION));
    }

    @Test
    void dropsTrailingBytesInsideTheMessageOrTheRecord() {
        TestHello hello = TestHello.typical();
        byte[] body = hello.body();
        byte[] longerBody = Arrays.copyOf(body, body.length + 1);
        byte[] insideMessage = hello.record(new org.dtls4j.wire.Writer().u8(1).u24(longerBody.length).u16(0).u24(0)
                .u24(longerBody.length).bytes(longerBody).toByteArray());
        byte[] message = hello.message();
        byte[] insideRecord = hello.record(Arrays.copyOf(message, message.length + 3));
        byte[] noExtensions = hello.withExtensions(null).body();
        byte[] strayByte = Arrays.copyOf(noExtensions, noExtensions.length + 1);
        byte[] afterCompression = hello.record(new org.dtls4j.wire.Writer().u8(1).u24(strayByte.length).u16(0).u24(0)
                .u24(strayByte.length).bytes(strayByte).toByteArray());

        assertEquals(DropReason.TRAILING_BYTES, dropReason(verify(verifier, insideMessage)));
        assertEquals(DropReason.TRAILING_BYTES, dropReason(verify(verifier, insideRecord)));
        assertEquals(DropReason.MALFORMED, dropReason(verify(verifier, afterCompression)));
    }

    @Test
    void readsOnlyTheFirstRecordOfADatagram() {
        byte[] hello = TestHello.typical().datagram();
        byte[] junk = {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 2, 1, 2};
        byte[] helloThenJunk = Arrays.copyOf(hello, hello.length + junk.length);
        System.arraycopy(junk, 0, helloThenJunk, hello.length, junk.length);
        byte[] junkThenHello = Arrays.copyOf(junk, junk.length + hello.length);
        System.arraycopy(hello, 0, junkThenHello, junk.length, hello.length);

        assertInstanceOf(SendHelloVerifyRequest.class, verify(verifier, helloThenJunk));
        assertEquals(DropReason.WRONG_CONTENT_TYPE, dropReason(verify(verifier, junkThenHello)));
    }

    @Test
    void dropsInsteadOfAmplifyingWhenTheCookieIsLongerThanTheClientHelloAllows() {
        CookieVerifier v = CookieVerifier.builder().algorithm("HmacSHA512").cookieLength(64).build();
        TestHello tiny = TestHello.typical().withSuites(0x00a8).withExtensions(null);
        assertEquals(67, tiny.datagram().length);

        assertEquals(DropReason.WOULD_AMPLIFY, dropReason(verify(v, tiny.datagram())));
        assertInstanceOf(SendHelloVerifyRequest.class, verify(verifier, tiny.datagram()));
    }

    @Test
    void readsAtTheGivenOffsetOnly() {
        TestHello first = TestHello.typical();
        byte[] second = first.withCookie(cookieFor(verifier, first, 0)).datagram();
        byte[] padded = new byte[second.length + 20];
        System.arraycopy(second, 0, padded, 7, second.length);

        assertInstanceOf(Verified.class, verifier.verify(padded, 7, second.length, ADDRESS, PORT, 0));
        assertEquals(DropReason.TRUNCATED, dropReason(verifier.verify(padded, 7, second.length - 1, ADDRESS, PORT, 0)));
    }
}
