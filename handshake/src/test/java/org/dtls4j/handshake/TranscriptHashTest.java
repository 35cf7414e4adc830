package org.dtls4j.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.dtls4j.handshake.config.ReassemblyLimits;
import org.dtls4j.handshake.message.HandshakeType;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;

class TranscriptHashTest {

    static RawMessage msg(int type, int seq, int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return new RawMessage(type, seq, b);
    }

    static byte[] sha(String alg, RawMessage... ms) throws Exception {
        MessageDigest d = MessageDigest.getInstance(alg);
        for (RawMessage m : ms) {
            d.update(m.asFragment().encode());
        }
        return d.digest();
    }

    @Test
    void hashesEachMessageWithASingleFragmentHeader() throws Exception {
        TranscriptHash t = new TranscriptHash();
        RawMessage hello = new RawMessage(HandshakeType.CLIENT_HELLO, 0, new byte[] {1, 2, 3});
        t.addSent(hello);
        t.selectHash("SHA-256");
        byte[] expected = MessageDigest.getInstance("SHA-256")
                .digest(Hex.decode("01" + "000003" + "0000" + "000000" + "000003" + "010203"));
        assertArrayEquals(expected, t.snapshot());
    }

    @Test
    void leavesOutTheHelloVerifyRequestAndTheClientHelloBeforeIt() throws Exception {
        TranscriptHash t = new TranscriptHash();
        RawMessage ch1 = msg(HandshakeType.CLIENT_HELLO, 0, 60, 1);
        RawMessage hvr = msg(HandshakeType.HELLO_VERIFY_REQUEST, 0, 23, 2);
        RawMessage ch2 = msg(HandshakeType.CLIENT_HELLO, 1, 80, 3);
        RawMessage sh = msg(HandshakeType.SERVER_HELLO, 1, 70, 4);
        t.addSent(ch1);
        assertFalse(t.addReceived(hvr));
        t.restartAfterHelloVerifyRequest();
        assertTrue(t.addSent(ch2));
        assertTrue(t.addReceived(sh));
        t.selectHash("SHA-384");
        assertArrayEquals(sha("SHA-384", ch2, sh), t.snapshot());
    }

    @Test
    void countsARetransmittedMessageOnce() throws Exception {
        TranscriptHash t = new TranscriptHash();
        RawMessage ch = msg(HandshakeType.CLIENT_HELLO, 0, 60, 5);
        RawMessage sh = msg(HandshakeType.SERVER_HELLO, 0, 70, 6);
        t.selectHash("SHA-256");
        assertTrue(t.addSent(ch));
        assertTrue(t.addReceived(sh));
        assertFalse(t.addReceived(sh));
        assertFalse(t.addSent(ch));
        assertArrayEquals(sha("SHA-256", ch, sh), t.snapshot());
    }

    /** A snapshot ends nothing; repeated ones (served without re-hashing) are each the caller's own copy. */
    @Test
    void snapshotLeavesTheTranscriptOpenAndHandsOutCopies() throws Exception {
        TranscriptHash t = new TranscriptHash();
        RawMessage a = msg(HandshakeType.CLIENT_HELLO, 0, 10, 7);
        RawMessage b = msg(HandshakeType.SERVER_HELLO, 0, 10, 8);
        t.addSent(a);
        t.selectHash("SHA-256");
        byte[] first = t.snapshot();
        assertArrayEquals(sha("SHA-256", a), first);
        first[0] ^= 1;
        assertArrayEquals(sha("SHA-256", a), t.snapshot());
        assertFalse(t.addSent(a));
        assertArrayEquals(sha("SHA-256", a), t.snapshot());
        t.addReceived(b);
        assertArrayEquals(sha("SHA-256", a, b), t.snapshot());
        t.restartAfterHelloVerifyRequest();
        t.addSent(b);
        t.selectHash("SHA-384");
        assertArrayEquals(sha("SHA-384", b), t.snapshot());
    }

    @Test
    void keepsTheRawTranscriptForCertificateVerifyUntilReleased() throws Exception {
        TranscriptHash t = new TranscriptHash();
        RawMessage a = msg(HandshakeType.CLIENT_HELLO, 0, 10, 9);
        RawMessage b = msg(HandshakeType.SERVER_HELLO, 0, 12, 10);
        t.addSent(a);
        t.selectHash("SHA-256");
        t.addReceived(b);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(a.asFragment().encode());
        expected.write(b.asFragment().encode());
        assertArrayEquals(expected.toByteArray(), t.messages());
        t.releaseMessages();
        assertThrows(IllegalStateException.class, t::messages);
        assertArrayEquals(sha("SHA-256", a, b), t.snapshot());
    }

    @Test
    void refusesSnapshotBeforeTheHashIsChosenAndASecondChoice() {
        TranscriptHash t = new TranscriptHash();
        assertThrows(IllegalStateException.class, t::snapshot);
        t.selectHash("SHA-256");
        assertThrows(IllegalStateException.class, () -> t.selectHash("SHA-384"));
    }

    @Property(tries = 100)
    void hashIsTheSameWhateverTheFragmentationAndRetransmissions(@ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        List<RawMessage> flight = new ArrayList<>();
        for (int seq = 0; seq < 4; seq++) {
            // Any type that belongs in the transcript (not HelloRequest or HelloVerifyRequest).
            int[] types = {HandshakeType.SERVER_HELLO, HandshakeType.CERTIFICATE, HandshakeType.SERVER_KEY_EXCHANGE,
                HandshakeType.SERVER_HELLO_DONE};
            flight.add(msg(types[seq], seq, rnd.nextInt(500), rnd.nextInt()));
        }
        List<HandshakeFragment> wire = new ArrayList<>(ReassemblerPropertiesTest.cover(flight, rnd));
        wire.addAll(ReassemblerPropertiesTest.cover(flight, rnd));
        java.util.Collections.shuffle(wire, rnd);
        Reassembler r = new Reassembler(ReassemblyLimits.defaults());
        TranscriptHash t = new TranscriptHash();
        t.selectHash("SHA-256");
        for (HandshakeFragment f : wire) {
            r.offer(f);
            for (RawMessage m = r.poll(); m != null; m = r.poll()) {
                t.addReceived(m);
            }
        }
        assertArrayEquals(sha("SHA-256", flight.toArray(new RawMessage[0])), t.snapshot());
    }

    @Test
    void theFinalSnapshotEqualsAnOpenOneAndLaterMessagesCannotBeHashed() throws Exception {
        TranscriptHash t = new TranscriptHash();
        RawMessage ch = msg(HandshakeType.CLIENT_HELLO, 0, 60, 7);
        RawMessage fin = msg(HandshakeType.FINISHED, 1, 12, 8);
        RawMessage ours = msg(HandshakeType.FINISHED, 1, 12, 9);
        t.selectHash("SHA-256");
        t.addSent(ch);
        t.addReceived(fin);
        byte[] open = t.snapshot();
        assertArrayEquals(sha("SHA-256", ch, fin), open);
        assertArrayEquals(open, t.finalSnapshot());
        // Asked again with nothing added, both give the same hash, not a digest of nothing.
        assertArrayEquals(open, t.finalSnapshot());
        assertArrayEquals(open, t.snapshot());
        assertTrue(t.addSent(ours));
        assertThrows(IllegalStateException.class, t::snapshot);
        assertThrows(IllegalStateException.class, t::finalSnapshot);
    }

    @Test
    void aFinalSnapshotWithoutAnOpenOneBeforeIt() throws Exception {
        TranscriptHash t = new TranscriptHash();
        RawMessage ch = msg(HandshakeType.CLIENT_HELLO, 0, 60, 10);
        assertThrows(IllegalStateException.class, t::finalSnapshot);
        t.addSent(ch);
        t.selectHash("SHA-384");
        byte[] last = t.finalSnapshot();
        assertArrayEquals(sha("SHA-384", ch), last);
        // The returned array is the caller's: changing it does not change the next answer.
        last[0] ^= 1;
        assertArrayEquals(sha("SHA-384", ch), t.finalSnapshot());
    }
}
