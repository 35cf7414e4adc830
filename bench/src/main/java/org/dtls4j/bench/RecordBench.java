package org.dtls4j.bench;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.crypto.AeadAlgorithm;
import org.dtls4j.crypto.RecordCipher;
import org.dtls4j.record.ContentType;
import org.dtls4j.record.layer.RecordCursor;
import org.dtls4j.record.layer.RecordLayer;
import org.dtls4j.record.RecordLayerConfig;
import org.dtls4j.wire.DtlsException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Protect + unprotect of one application-data record through {@link RecordLayer} (header, AAD, AEAD,
 * replay window, handler call), side by side with the bare javax.crypto seal + open of the same bytes
 * with the same nonce and 13-byte AAD construction. Target: the layer at 80% or more of raw, and no
 * more bytes allocated per operation (-prof gc, gc.alloc.rate.norm).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecordBench {
    @Param({"AES_128_GCM", "CHACHA20_POLY1305"})
    public AeadAlgorithm algorithm;

    @Param({"100", "1024"})
    public int size;

    private RecordLayer writer;
    private RecordLayer reader;
    private byte[] payload;
    private byte[] datagram;

    private Cipher rawSealer;
    private Cipher rawOpener;
    private SecretKeySpec rawKey;
    private byte[] rawIv;
    private final byte[] rawNonce = new byte[12];
    private final byte[] rawAad = new byte[13];
    private byte[] rawSealed;
    private byte[] rawPlain;
    private long rawSeq;

    @Setup
    public void setup() throws GeneralSecurityException {
        byte[] key = new byte[algorithm.keyLength()];
        byte[] iv = new byte[algorithm.fixedIvLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        for (int i = 0; i < iv.length; i++) {
            iv[i] = (byte) (i * 3 + 9);
        }
        writer = new RecordLayer(RecordLayerConfig.defaults());
        reader = new RecordLayer(RecordLayerConfig.defaults());
        writer.installWriteEpoch(1, RecordCipher.create(algorithm, key, iv));
        reader.installReadEpoch(1, RecordCipher.create(algorithm, key, iv), 0);
        payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) i;
        }
        datagram = new byte[size + 64];

        boolean chacha = algorithm == AeadAlgorithm.CHACHA20_POLY1305;
        rawKey = new SecretKeySpec(key, chacha ? "ChaCha20" : "AES");
        rawIv = iv.clone();
        rawSealer = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
        rawOpener = Cipher.getInstance(chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding");
        rawSealed = new byte[size + 64];
        rawPlain = new byte[size + 64];
    }

    @Benchmark
    public int recordLayer() throws DtlsException {
        int n = writer.protect(ContentType.APPLICATION_DATA, payload, 0, size, datagram, 0);
        RecordCursor c = reader.open(datagram, 0, n, 0L);
        // Hands the opened length back so the JIT cannot drop the work.
        return c.next() ? c.length() + c.buffer()[c.offset()] : -1;
    }

    /** The same AEAD work with nothing around it: nonce, 13-byte AAD, seal, open. */
    @Benchmark
    public int rawJavaxCrypto() throws GeneralSecurityException {
        long seq64 = 1L << 48 | rawSeq++;
        rawAad[0] = (byte) (seq64 >>> 56);
        for (int i = 1; i < 8; i++) {
            rawAad[i] = (byte) (seq64 >>> (56 - 8 * i));
        }
        rawAad[8] = ContentType.APPLICATION_DATA;
        rawAad[9] = (byte) 0xfe;
        rawAad[10] = (byte) 0xfd;
        rawAad[11] = (byte) (size >>> 8);
        rawAad[12] = (byte) size;
        if (algorithm == AeadAlgorithm.CHACHA20_POLY1305) {
            System.arraycopy(rawIv, 0, rawNonce, 0, 12);
            for (int i = 4; i < 12; i++) {
                rawNonce[i] ^= rawAad[i - 4];
            }
            rawSealer.init(Cipher.ENCRYPT_MODE, rawKey, new IvParameterSpec(rawNonce));
            rawSealer.updateAAD(rawAad);
            int n = rawSealer.doFinal(payload, 0, size, rawSealed, 0);
            rawOpener.init(Cipher.DECRYPT_MODE, rawKey, new IvParameterSpec(rawNonce));
            rawOpener.updateAAD(rawAad);
            return rawOpener.doFinal(rawSealed, 0, n, rawPlain, 0) + rawPlain[0];
        }
        System.arraycopy(rawIv, 0, rawNonce, 0, 4);
        System.arraycopy(rawAad, 0, rawNonce, 4, 8);
        rawSealer.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        rawSealer.updateAAD(rawAad);
        int n = rawSealer.doFinal(payload, 0, size, rawSealed, 8);
        rawOpener.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawNonce));
        rawOpener.updateAAD(rawAad);
        return rawOpener.doFinal(rawSealed, 8, n, rawPlain, 0) + rawPlain[0];
    }
}
