package org.dtls4j.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.List;

/**
 * The TLS 1.2 key schedule on top of {@link Prf}: master secret (RFC 5246 §8.1), extended master
 * secret (RFC 7627 §4), key block (RFC 5246 §6.3), Finished verify_data (RFC 5246 §7.4.9) and the
 * keying-material exporter (RFC 5705 §4). DTLS 1.2 uses all of these unchanged (RFC 6347 §4.2.6).
 *
 * <p>Inputs here come from our own state (randoms already parsed as fixed 32-byte fields), so a wrong
 * size is a programming error and raises {@link IllegalArgumentException}, not a protocol alert.
 */
public final class KeySchedule {
    /** RFC 5246 §8.1: the master secret is always 48 bytes. */
    public static final int MASTER_SECRET_LENGTH = 48;
    /** RFC 5246 §7.4.9: verify_data_length for every suite here. */
    public static final int VERIFY_DATA_LENGTH = 12;
    /** RFC 5246 §7.4.1.2: ClientHello.random and ServerHello.random. */
    public static final int RANDOM_LENGTH = 32;

    static final String MASTER_SECRET = "master secret";
    static final String EXTENDED_MASTER_SECRET = "extended master secret";
    static final String KEY_EXPANSION = "key expansion";
    static final String CLIENT_FINISHED = "client finished";
    static final String SERVER_FINISHED = "server finished";
    /** The handshake's labels in ASCII, encoded once: the PRF takes them as bytes. */
    private static final byte[] MASTER_SECRET_ASCII = ascii(MASTER_SECRET);
    private static final byte[] EXTENDED_MASTER_SECRET_ASCII = ascii(EXTENDED_MASTER_SECRET);
    private static final byte[] KEY_EXPANSION_ASCII = ascii(KEY_EXPANSION);
    private static final byte[] CLIENT_FINISHED_ASCII = ascii(CLIENT_FINISHED);
    private static final byte[] SERVER_FINISHED_ASCII = ascii(SERVER_FINISHED);

    /**
     * Labels the exporter refuses, with every label that starts with one of them: the handshake's own PRF
     * labels (reserved in the exporter-label registry, RFC 5705 §4 and §6), which would otherwise let an
     * application read out Finished values or keys.
     */
    private static final List<String> RESERVED_LABELS =
            List.of(MASTER_SECRET, EXTENDED_MASTER_SECRET, KEY_EXPANSION, CLIENT_FINISHED, SERVER_FINISHED);

    private KeySchedule() {
    }

    /**
     * {@return RFC 5246 §8.1: PRF(pre_master_secret, "master secret", client_random || server_random)[0..47]}
     *
     * @param hash the suite's PRF hash
     * @param premasterSecret the agreed premaster secret
     * @param clientRandom ClientHello.random
     * @param serverRandom ServerHello.random
     */
    public static byte[] masterSecret(PrfHash hash, byte[] premasterSecret, byte[] clientRandom, byte[] serverRandom) {
        return prf(hash, premasterSecret, MASTER_SECRET_ASCII, randoms(clientRandom, serverRandom), MASTER_SECRET_LENGTH);
    }

    /**
     * RFC 7627 §4: PRF(pre_master_secret, "extended master secret", session_hash)[0..47], where
     * session_hash is the transcript hash up to and including ClientKeyExchange.
      *
     * @param hash the suite's PRF hash
     * @param premasterSecret the agreed premaster secret
     * @param sessionHash the transcript hash through ClientKeyExchange
     * @return the 48-byte master secret
     */
    public static byte[] extendedMasterSecret(PrfHash hash, byte[] premasterSecret, byte[] sessionHash) {
        requireLength(sessionHash, hash.outputLength(), "session hash");
        return prf(hash, premasterSecret, EXTENDED_MASTER_SECRET_ASCII, sessionHash, MASTER_SECRET_LENGTH);
    }

    /**
     * RFC 5246 §6.3: PRF(master_secret, "key expansion", server_random || client_random), cut into the
     * suite's MAC keys, write keys and IVs. Note the randoms are in the opposite order from the master secret.
      *
     * @param suite the negotiated suite
     * @param masterSecret the 48-byte master secret
     * @param clientRandom ClientHello.random
     * @param serverRandom ServerHello.random
     * @return the MAC keys, write keys and IVs of both sides
     */
    public static KeyBlock keyBlock(CipherSuite suite, byte[] masterSecret, byte[] clientRandom, byte[] serverRandom) {
        requireLength(masterSecret, MASTER_SECRET_LENGTH, "master secret");
        byte[] block = prf(suite.prf(), masterSecret, KEY_EXPANSION_ASCII, randoms(serverRandom, clientRandom),
                suite.keyBlockLength());
        try {
            return KeyBlock.split(block, suite.macKeyLength(), suite.keyLength(), suite.fixedIvLength());
        } finally {
            Arrays.fill(block, (byte) 0);
        }
    }

    /**
     * {@return RFC 5246 §7.4.9: the client's Finished verify_data over Hash(handshake_messages)}
     *
     * @param hash the suite's PRF hash
     * @param masterSecret the 48-byte master secret
     * @param handshakeHash the transcript hash up to this Finished
     */
    public static byte[] clientVerifyData(PrfHash hash, byte[] masterSecret, byte[] handshakeHash) {
        return verifyData(hash, masterSecret, CLIENT_FINISHED_ASCII, handshakeHash);
    }

    /**
     * {@return RFC 5246 §7.4.9: the server's Finished verify_data over Hash(handshake_messages)}
     *
     * @param hash the suite's PRF hash
     * @param masterSecret the 48-byte master secret
     * @param handshakeHash the transcript hash up to this Finished
     */
    public static byte[] serverVerifyData(PrfHash hash, byte[] masterSecret, byte[] handshakeHash) {
        return verifyData(hash, masterSecret, SERVER_FINISHED_ASCII, handshakeHash);
    }

    private static byte[] verifyData(PrfHash hash, byte[] masterSecret, byte[] label, byte[] handshakeHash) {
        requireLength(masterSecret, MASTER_SECRET_LENGTH, "master secret");
        requireLength(handshakeHash, hash.outputLength(), "handshake hash");
        return prf(hash, masterSecret, label, handshakeHash, VERIFY_DATA_LENGTH);
    }

    private static byte[] prf(PrfHash hash, byte[] secret, byte[] label, byte[] seed, int length) {
        byte[] out = new byte[length];
        Prf.compute(hash, secret, label, seed, out, 0, length);
        return out;
    }

    private static byte[] ascii(String label) {
        return label.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * RFC 5705 §4 keying-material exporter: PRF(master_secret, label, client_random || server_random
     * [|| u16 context length || context]). A null context and an empty context give different outputs,
     * as the RFC requires.
     *
     * @param hash the suite's PRF hash
     * @param masterSecret the 48-byte master secret
     * @param label the exporter label, not one the handshake uses
     * @param context the context, or null for none
     * @param clientRandom ClientHello.random
     * @param serverRandom ServerHello.random
     * @param length bytes of keying material wanted
     * @return the keying material
     * @throws IllegalArgumentException for a label the handshake itself uses, or a context over 65535 bytes
     * @throws IllegalArgumentException for a label the handshake itself uses ({@link #isReservedLabel}), a
     *     negative length, or a context over 65535 bytes
     */
    public static byte[] export(PrfHash hash, byte[] masterSecret, String label, byte[] context,
                                byte[] clientRandom, byte[] serverRandom, int length) {
        Objects.requireNonNull(label, "label");
        if (isReservedLabel(label)) {
            throw new IllegalArgumentException("exporter label reserved by TLS: " + label);
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative exporter length " + length);
        }
        requireLength(masterSecret, MASTER_SECRET_LENGTH, "master secret");
        byte[] randoms = randoms(clientRandom, serverRandom);
        byte[] seed = randoms;
        if (context != null) {
            if (context.length > 0xffff) {
                throw new IllegalArgumentException("exporter context longer than 65535 bytes");
            }
            seed = Arrays.copyOf(randoms, randoms.length + 2 + context.length);
            seed[randoms.length] = (byte) (context.length >>> 8);
            seed[randoms.length + 1] = (byte) context.length;
            System.arraycopy(context, 0, seed, randoms.length + 2, context.length);
        }
        return Prf.compute(hash, masterSecret, label, seed, length);
    }

    /**
     * Tells whether the exporter refuses a label: "client finished", "server finished", "master secret",
     * "extended master secret", "key expansion", or any label starting with one of them (RFC 5705 §4),
     * since exporting under them would hand out bytes the handshake itself uses.
     *
     * @param label the exporter label, not null
     * @return true for a reserved label
     */
    public static boolean isReservedLabel(String label) {
        for (String reserved : RESERVED_LABELS) {
            if (label.startsWith(reserved)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] randoms(byte[] first, byte[] second) {
        requireLength(first, RANDOM_LENGTH, "random");
        requireLength(second, RANDOM_LENGTH, "random");
        byte[] seed = Arrays.copyOf(first, 2 * RANDOM_LENGTH);
        System.arraycopy(second, 0, seed, RANDOM_LENGTH, RANDOM_LENGTH);
        return seed;
    }

    private static void requireLength(byte[] value, int length, String what) {
        if (value.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + value.length);
        }
    }
}
