package org.dtls4j.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.dtls4j.crypto.BlockCipherAlgorithm;
import org.dtls4j.crypto.MacAlgorithm;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.record.layer.RecordLayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CBC record protection through the record layer, with and without encrypt_then_mac and a Connection
 * ID: every length's record is as long as {@code protectedLength} says and never longer than
 * {@code maxRecordOverhead} allows (flights are sized with it), records open on the other side, and a
 * record whose padding or MAC was tampered with is one counted AUTH_FAILED drop.
 */
class CbcRecordLayerTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    static RecordCipher cipher(MacAlgorithm mac, boolean etm) {
        byte[] key = Records.payload(16, 1);
        byte[] macKey = Records.payload(mac.length(), 2);
        return RecordCipher.createCbc(BlockCipherAlgorithm.AES_128_CBC, mac, key, macKey, etm, RANDOM);
    }

    @ParameterizedTest
    @CsvSource({"HMAC_SHA1,true,0", "HMAC_SHA1,false,0", "HMAC_SHA256,true,4", "HMAC_SHA384,false,4",
            "HMAC_SHA256,false,8"})
    void everyLengthFitsItsPredictedSizeAndOpensOnTheOtherSide(MacAlgorithm mac, boolean etm, int cidLength)
            throws Exception {
        RecordLayerConfig config = RecordLayerConfig.builder().build();
        RecordLayer sender = new RecordLayer(config);
        RecordLayer receiver = new RecordLayer(config);
        if (cidLength > 0) {
            byte[] cid = Records.payload(cidLength, 9);
            sender.setWriteConnectionId(cid);
            receiver.setReadConnectionId(cid);
        }
        sender.installWriteEpoch(1, cipher(mac, etm));
        receiver.installReadEpoch(1, cipher(mac, etm), 0);
        Records.Sink sink = new Records.Sink();
        byte[] datagram = new byte[2048];
        int overhead = sender.maxRecordOverhead(1);
        for (int len = 0; len <= 600; len++) {
            byte[] payload = Records.payload(len, len);
            int n = sender.protect(ContentType.APPLICATION_DATA, payload, 0, len, datagram, 0);
            assertEquals(sender.protectedLength(1, len), n);
            assertTrue(n <= len + overhead, "record of " + len + " bytes exceeds the planned overhead");
            assertEquals(1, Records.unprotect(receiver, datagram, 0, n, 0, sink));
            assertArrayEquals(payload, sink.got.get(sink.got.size() - 1).payload());
        }
        byte[] payload = Records.payload(100, 3);
        int n = sender.protect(ContentType.APPLICATION_DATA, payload, 0, 100, datagram, 0);
        datagram[n - 1] ^= 1; // last byte: the MAC (EtM) or the padding (MtE)
        assertEquals(0, Records.unprotect(receiver, datagram, 0, n, 0, sink));
        assertEquals(1, receiver.drops(DropReason.AUTH_FAILED));
        assertEquals(1, receiver.totalDrops());
    }
}
