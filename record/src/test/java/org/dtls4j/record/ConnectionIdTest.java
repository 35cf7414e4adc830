package org.dtls4j.record;

import static org.dtls4j.record.ContentType.APPLICATION_DATA;
import static org.dtls4j.record.ContentType.HANDSHAKE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.crypto.AeadAlgorithm;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 9146 records, with every byte of the expected record computed here through javax.crypto. */
class ConnectionIdTest {
    static final byte[] PEER_CID = Hex.decode("c1d2e3f405");
    static final AeadAlgorithm GCM = AeadAlgorithm.AES_128_GCM;

    final RecordLayer sender = new RecordLayer(RecordLayerConfig.defaults());
    final RecordLayer receiver = new RecordLayer(RecordLayerConfig.defaults());
    final Records.Sink sink = new Records.Sink();
    final byte[] buf = new byte[4096];

    void negotiate(AeadAlgorithm alg, RecordLayer s, RecordLayer r) {
        s.setWriteConnectionId(PEER_CID);
        r.setReadConnectionId(PEER_CID);
        s.installWriteEpoch(1, Records.cipher(alg, 1));
        r.installReadEpoch(1, Records.cipher(alg, 1), 0);
    }

    /** The whole tls12_cid record as RFC 9146 §4 and §5 define it, built independently of RecordLayer. */
    static byte[] expectedRecord(AeadAlgorithm alg, int epoch, long seq, byte[] cid, byte[] inner) throws Exception {
        byte[] seq64 = new byte[8];
        long v = (long) epoch << 48 | seq;
        for (int i = 0; i < 8; i++) {
            seq64[i] = (byte) (v >>> (56 - 8 * i));
        }
        ByteArrayOutputStream aad = new ByteArrayOutputStream();
        aad.write(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1});   // seq_num_placeholder
        aad.write(25);                                          // tls12_cid
        aad.write(cid.length);                                  // cid_length
        aad.write(25);                                          // tls12_cid
        aad.write(0xfe);
        aad.write(0xfd);                                        // DTLSCiphertext.version
        aad.write(seq64, 0, 8);                                 // epoch + sequence_number
        aad.write(cid);
        aad.write(inner.length >>> 8);
        aad.write(inner.length);                                // length_of_DTLSInnerPlaintext
        byte[] key = Records.key(alg, epoch, 0);
        byte[] iv = Records.iv(alg, epoch, 0);
        Cipher c;
        byte[] explicit;
        if (alg == AeadAlgorithm.CHACHA20_POLY1305) {
            byte[] nonce = iv.clone();
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] ^= seq64[i];
            }
            c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            explicit = new byte[0];
        } else {
            byte[] nonce = new byte[12];
            System.arraycopy(iv, 0, nonce, 0, 4);
            System.arraycopy(seq64, 0, nonce, 4, 8);
            c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            explicit = seq64;
        }
        c.updateAAD(aad.toByteArray());
        byte[] ct = c.doFinal(inner);
        int fragLen = explicit.length + ct.length;
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.write(25);
        rec.write(0xfe);
        rec.write(0xfd);
        rec.write(seq64, 0, 8);
        rec.write(cid);
        rec.write(fragLen >>> 8);
        rec.write(fragLen);
        rec.write(explicit);
        rec.write(ct);
        return rec.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(value = AeadAlgorithm.class, names = {"AES_128_GCM", "AES_256_GCM", "CHACHA20_POLY1305"})
    void writesTheRfc9146RecordAndAdditionalDataByteForByte(AeadAlgorithm alg) throws Exception {
        negotiate(alg, sender, receiver);
        sender.setNextWriteSequence(1, 0x0102030405L);
        byte[] content = Records.payload(37, 4);
        int n = sender.protect(APPLICATION_DATA, content, 0, content.length, buf, 0);
        byte[] inner = Arrays.copyOf(content, 38);
        inner[37] = APPLICATION_DATA;
        assertArrayEquals(expectedRecord(alg, 1, 0x0102030405L, PEER_CID, inner), Arrays.copyOf(buf, n));

        assertEquals(1, Records.unprotect(receiver, buf, 0, n, 0, sink));
        assertEquals(APPLICATION_DATA, sink.got.get(0).type());
        assertArrayEquals(content, sink.got.get(0).payload());
    }

    @Test
    void padsTheInnerPlaintextToTheConfiguredBlockAndStripsItOnReceipt() throws Exception {
        RecordLayer padded = new RecordLayer(RecordLayerConfig.builder().cidPaddingBlock(64).build());
        negotiate(GCM, padded, receiver);
        byte[] content = Records.payload(10, 8);
        int n = padded.protect(HANDSHAKE, content, 0, content.length, buf, 0);
        byte[] inner = new byte[64];
        System.arraycopy(content, 0, inner, 0, 10);
        inner[10] = HANDSHAKE;
        assertArrayEquals(expectedRecord(GCM, 1, 0, PEER_CID, inner), Arrays.copyOf(buf, n));
        assertEquals(n, padded.protectedLength(1, 10));
        assertEquals(1, Records.unprotect(receiver, buf, 0, n, 0, sink));
        assertEquals(HANDSHAKE, sink.got.get(0).type());
        assertArrayEquals(content, sink.got.get(0).payload());
    }

    @Test
    void dropsAnAllZeroInnerPlaintext() throws Exception {
        negotiate(GCM, sender, receiver);
        byte[] forgedByKeyHolder = expectedRecord(GCM, 1, 3, PEER_CID, new byte[16]);
        assertEquals(0, Records.unprotect(receiver, forgedByKeyHolder, 0, forgedByKeyHolder.length, 0, sink));
        assertEquals(1, receiver.drops(DropReason.EMPTY_INNER_PLAINTEXT));
    }

    @Test
    void dropsAnUnknownInnerContentType() throws Exception {
        negotiate(GCM, sender, receiver);
        byte[] rec = expectedRecord(GCM, 1, 3, PEER_CID, new byte[] {1, 2, 3, 99, 0, 0});
        assertEquals(0, Records.unprotect(receiver, rec, 0, rec.length, 0, sink));
        assertEquals(1, receiver.drops(DropReason.UNKNOWN_CONTENT_TYPE));
    }

    @Test
    void dropsRecordsWithAnotherCid() throws Exception {
        negotiate(GCM, sender, receiver);
        byte[] other = PEER_CID.clone();
        other[4] ^= 1;
        byte[] rec = expectedRecord(GCM, 1, 0, other, new byte[] {5, APPLICATION_DATA});
        assertEquals(0, Records.unprotect(receiver, rec, 0, rec.length, 0, sink));
        assertEquals(1, receiver.drops(DropReason.CID_MISMATCH));
    }

    @Test
    void dropsCidRecordsWhenNoCidWasNegotiatedAndPlainRecordsWhenOneWas() throws DtlsException {
        sender.setWriteConnectionId(PEER_CID);
        sender.installWriteEpoch(1, Records.cipher(GCM, 1));
        receiver.installReadEpoch(1, Records.cipher(GCM, 1), 0);
        int n = sender.protect(APPLICATION_DATA, new byte[4], 0, 4, buf, 0);
        assertEquals(0, Records.unprotect(receiver, buf, 0, n, 0, sink));
        assertEquals(1, receiver.drops(DropReason.CID_MISMATCH));

        RecordLayer expectsCid = new RecordLayer(RecordLayerConfig.defaults());
        expectsCid.setReadConnectionId(PEER_CID);
        expectsCid.installReadEpoch(1, Records.cipher(GCM, 1), 0);
        RecordLayer plainSender = new RecordLayer(RecordLayerConfig.defaults());
        plainSender.installWriteEpoch(1, Records.cipher(GCM, 1));
        n = plainSender.protect(APPLICATION_DATA, new byte[4], 0, 4, buf, 0);
        assertEquals(0, Records.unprotect(expectsCid, buf, 0, n, 0, sink));
        assertEquals(1, expectsCid.drops(DropReason.CID_MISMATCH));
        assertTrue(sink.got.isEmpty());
    }

    @Test
    void doesNotHoldNextEpochRecordsWithAnotherCid() throws Exception {
        receiver.setReadConnectionId(PEER_CID);
        byte[] other = PEER_CID.clone();
        other[0] ^= 1;
        byte[] rec = expectedRecord(GCM, 1, 0, other, new byte[] {5, APPLICATION_DATA});
        assertEquals(0, Records.unprotect(receiver, rec, 0, rec.length, 0, sink));
        assertEquals(0, receiver.heldRecordCount());
        assertEquals(1, receiver.drops(DropReason.CID_MISMATCH));
    }

    @Test
    void sendsEpochZeroWithoutCidEvenWhenOneIsNegotiated() throws DtlsException {
        sender.setWriteConnectionId(PEER_CID);
        receiver.setReadConnectionId(PEER_CID);
        int n = sender.protect(HANDSHAKE, new byte[4], 0, 4, buf, 0);
        assertEquals(HANDSHAKE, buf[0]);
        assertEquals(17, n);
        assertEquals(1, Records.unprotect(receiver, buf, 0, n, 0, sink));
    }

    @Test
    void heldCidRecordsOpenOnceTheirEpochIsInstalled() throws DtlsException {
        sender.setWriteConnectionId(PEER_CID);
        receiver.setReadConnectionId(PEER_CID);
        sender.installWriteEpoch(1, Records.cipher(GCM, 1));
        int n = sender.protect(HANDSHAKE, new byte[] {20, 0, 0, 12}, 0, 4, buf, 0);
        assertEquals(0, Records.unprotect(receiver, buf, 0, n, 0, sink));
        receiver.installReadEpoch(1, Records.cipher(GCM, 1), 0);
        assertEquals(1, Records.releaseHeld(receiver, 0, sink));
        assertEquals(HANDSHAKE, sink.got.get(0).type());
    }
}
