package org.dtls4j.crypto;

import java.util.Arrays;

/**
 * The slices of the RFC 5246 §6.3 key block: a MAC key (CBC suites; empty for AEAD), a write key and an
 * implicit IV (AEAD suites; empty for CBC, whose IVs are explicit) for each direction.
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
    private final byte[] clientWriteMacKey;
    private final byte[] serverWriteMacKey;
    private boolean destroyed;

    KeyBlock(byte[] clientWriteMacKey, byte[] serverWriteMacKey, byte[] clientWriteKey, byte[] serverWriteKey,
             byte[] clientWriteIv, byte[] serverWriteIv) {
        this.clientWriteMacKey = clientWriteMacKey;
        this.serverWriteMacKey = serverWriteMacKey;
        this.clientWriteKey = clientWriteKey;
        this.serverWriteKey = serverWriteKey;
        this.clientWriteIv = clientWriteIv;
        this.serverWriteIv = serverWriteIv;
    }

    /** Splits a key block in RFC 5246 §6.3 order: client MAC key, server MAC key, client key, server key, client IV, server IV. */
    static KeyBlock split(byte[] block, int macKeyLength, int keyLength, int ivLength) {
        int p = 0;
        byte[] cm = Arrays.copyOfRange(block, p, p += macKeyLength);
        byte[] sm = Arrays.copyOfRange(block, p, p += macKeyLength);
        byte[] ck = Arrays.copyOfRange(block, p, p += keyLength);
        byte[] sk = Arrays.copyOfRange(block, p, p += keyLength);
        byte[] ci = Arrays.copyOfRange(block, p, p += ivLength);
        byte[] si = Arrays.copyOfRange(block, p, p + ivLength);
        return new KeyBlock(cm, sm, ck, sk, ci, si);
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

    /** {@return the client's MAC key (RFC 5246 §6.3); empty for AEAD suites} */
    public byte[] clientWriteMacKey() {
        return live(clientWriteMacKey);
    }

    /** {@return the server's MAC key (RFC 5246 §6.3); empty for AEAD suites} */
    public byte[] serverWriteMacKey() {
        return live(serverWriteMacKey);
    }

    /** Overwrites every key and IV with zeros; the accessors refuse afterwards. */
    public void destroy() {
        Arrays.fill(clientWriteKey, (byte) 0);
        Arrays.fill(serverWriteKey, (byte) 0);
        Arrays.fill(clientWriteIv, (byte) 0);
        Arrays.fill(serverWriteIv, (byte) 0);
        Arrays.fill(clientWriteMacKey, (byte) 0);
        Arrays.fill(serverWriteMacKey, (byte) 0);
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
        return "KeyBlock[mac key=" + clientWriteMacKey.length + " bytes, key=" + clientWriteKey.length + " bytes, iv=" + clientWriteIv.length + " bytes"
                + (destroyed ? ", destroyed]" : "]");
    }
}
