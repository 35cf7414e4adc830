package org.dtls4j.crypto;

import java.util.Arrays;

/**
 * The slices of the RFC 5246 §6.3 key block that an AEAD suite uses: a write key and an implicit IV
 * for each direction (the MAC keys are empty for AEAD suites, so they are not kept).
 *
 * <p>The accessors return the block's own arrays so no extra copies of key material exist; treat them
 * as read-only. {@link RecordCipher#create} copies what it keeps, so call {@link #destroy()} once both
 * directions' ciphers exist.
 */
public final class KeyBlock {
    private final byte[] clientWriteKey;
    private final byte[] serverWriteKey;
    private final byte[] clientWriteIv;
    private final byte[] serverWriteIv;
    private boolean destroyed;

    KeyBlock(byte[] clientWriteKey, byte[] serverWriteKey, byte[] clientWriteIv, byte[] serverWriteIv) {
        this.clientWriteKey = clientWriteKey;
        this.serverWriteKey = serverWriteKey;
        this.clientWriteIv = clientWriteIv;
        this.serverWriteIv = serverWriteIv;
    }

    /** Splits a key block in RFC 5246 §6.3 order: client key, server key, client IV, server IV. */
    static KeyBlock split(byte[] block, int keyLength, int ivLength) {
        int p = 0;
        byte[] ck = Arrays.copyOfRange(block, p, p += keyLength);
        byte[] sk = Arrays.copyOfRange(block, p, p += keyLength);
        byte[] ci = Arrays.copyOfRange(block, p, p += ivLength);
        byte[] si = Arrays.copyOfRange(block, p, p + ivLength);
        return new KeyBlock(ck, sk, ci, si);
    }

    /** {@return the client's write key} */
    public byte[] clientWriteKey() {
        return live(clientWriteKey);
    }

    /** {@return the server's write key} */
    public byte[] serverWriteKey() {
        return live(serverWriteKey);
    }

    /** {@return the client's implicit IV (GCM/CCM salt, or the ChaCha20-Poly1305 IV)} */
    public byte[] clientWriteIv() {
        return live(clientWriteIv);
    }

    /** {@return the server's implicit IV (GCM/CCM salt, or the ChaCha20-Poly1305 IV)} */
    public byte[] serverWriteIv() {
        return live(serverWriteIv);
    }

    /** {@return the MAC keys of RFC 5246 §6.3, which AEAD suites do not have} */
    public byte[] clientWriteMacKey() {
        return new byte[0];
    }

    /** {@return the server's MAC key: empty, as for every AEAD suite} */
    public byte[] serverWriteMacKey() {
        return new byte[0];
    }

    /** Overwrites every key and IV with zeros; the accessors refuse afterwards. */
    public void destroy() {
        Arrays.fill(clientWriteKey, (byte) 0);
        Arrays.fill(serverWriteKey, (byte) 0);
        Arrays.fill(clientWriteIv, (byte) 0);
        Arrays.fill(serverWriteIv, (byte) 0);
        destroyed = true;
    }

    /** {@return true once {@link #destroy()} ran} */
    public boolean isDestroyed() {
        return destroyed;
    }

    private byte[] live(byte[] part) {
        if (destroyed) {
            throw new IllegalStateException("key block destroyed");
        }
        return part;
    }

    @Override
    public String toString() {
        return "KeyBlock[key=" + clientWriteKey.length + " bytes, iv=" + clientWriteIv.length + " bytes"
                + (destroyed ? ", destroyed]" : "]");
    }
}
