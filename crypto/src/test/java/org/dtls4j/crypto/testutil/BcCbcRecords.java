package org.dtls4j.crypto.testutil;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.MACAlgorithm;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;
import org.bouncycastle.tls.crypto.TlsNonceGenerator;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.dtls4j.crypto.BlockCipherAlgorithm;
import org.dtls4j.crypto.CipherSuite;
import org.dtls4j.crypto.MacAlgorithm;

/**
 * Bouncy Castle's own CBC record protection ({@code TlsBlockCipher} from {@link BcTlsCrypto}) for one
 * side of a DTLS 1.2 connection, keyed from a master secret and the two randoms exactly as BC's
 * handshake would key it: BC derives its key block itself, so agreeing with it also checks our key
 * block layout (MAC keys first, RFC 5246 §6.3). With {@code randomPadding}, BC adds a random number of
 * extra padding blocks to every record (its "extended padding", which it applies to TLS only, so this
 * helper tells its cipher the version is TLS 1.2 while its MAC header still says DTLS 1.2).
 */
public final class BcCbcRecords {
    private static final ProtocolVersion DTLS12 = ProtocolVersion.DTLSv12;
    private final TlsCipher cipher;

    public BcCbcRecords(CipherSuite suite, byte[] masterSecret, byte[] clientRandom, byte[] serverRandom,
                        boolean server, boolean encryptThenMac, boolean randomPadding, SecureRandom random)
            throws IOException {
        BcTlsCrypto crypto = new BcTlsCrypto(random);
        TlsSecret master = crypto.createSecret(masterSecret);
        int prf = suite.prf().outputLength() == 48 ? PRFAlgorithm.tls_prf_sha384 : PRFAlgorithm.tls_prf_sha256;
        SecurityParameters sp = new SecurityParameters() {
            @Override public TlsSecret getMasterSecret() { return master; }
            @Override public int getPRFAlgorithm() { return prf; }
            @Override public byte[] getClientRandom() { return clientRandom; }
            @Override public byte[] getServerRandom() { return serverRandom; }
            // BC pads randomly only for TLS versions; the MAC header takes the server version (DTLS 1.2) anyway.
            @Override public ProtocolVersion getNegotiatedVersion() { return randomPadding ? ProtocolVersion.TLSv12 : DTLS12; }
            @Override public boolean isEncryptThenMAC() { return encryptThenMac; }
            @Override public boolean isExtendedPadding() { return randomPadding; }
        };
        TlsNonceGenerator nonces = size -> {
            byte[] b = new byte[size];
            random.nextBytes(b);
            return b;
        };
        TlsCryptoParameters params = new TlsCryptoParameters(null) {
            @Override public SecurityParameters getSecurityParametersHandshake() { return sp; }
            @Override public SecurityParameters getSecurityParametersConnection() { return sp; }
            @Override public ProtocolVersion getServerVersion() { return DTLS12; }
            @Override public ProtocolVersion getClientVersion() { return DTLS12; }
            @Override public boolean isServer() { return server; }
            @Override public TlsNonceGenerator getNonceGenerator() { return nonces; }
        };
        int enc = suite.blockCipher() == BlockCipherAlgorithm.AES_128_CBC
                ? EncryptionAlgorithm.AES_128_CBC : EncryptionAlgorithm.AES_256_CBC;
        this.cipher = crypto.createCipher(params, enc, macAlgorithm(suite.mac()));
    }

    private static int macAlgorithm(MacAlgorithm mac) {
        return switch (mac) {
            case HMAC_SHA1 -> MACAlgorithm.hmac_sha1;
            case HMAC_SHA256 -> MACAlgorithm.hmac_sha256;
            case HMAC_SHA384 -> MACAlgorithm.hmac_sha384;
        };
    }

    /** BC's protected fragment for a DTLS 1.2 record of {@code type} under {@code seq64} (epoch || sequence). */
    public byte[] seal(long seq64, short type, byte[] plaintext) throws IOException {
        TlsEncodeResult r = cipher.encodePlaintext(seq64, type, DTLS12, 0, plaintext, 0, plaintext.length);
        return Arrays.copyOfRange(r.buf, r.off, r.off + r.len);
    }

    /** BC's plaintext of a protected fragment; BC throws its bad_record_mac alert for anything forged. */
    public byte[] open(long seq64, short type, byte[] fragment) throws IOException {
        TlsDecodeResult r = cipher.decodeCiphertext(seq64, type, DTLS12, fragment, 0, fragment.length);
        return Arrays.copyOfRange(r.buf, r.off, r.off + r.len);
    }
}
