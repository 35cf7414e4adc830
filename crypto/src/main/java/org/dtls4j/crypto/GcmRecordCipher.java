package org.dtls4j.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.wire.DtlsException;

/**
 * AES-GCM record protection (RFC 5288 §3): nonce = 4-byte salt from the key block || 8-byte explicit
 * nonce. We send the 64-bit epoch || sequence number as the explicit nonce; on open the explicit nonce is
 * taken from the record itself, as RFC 5288 requires.
 *
 * <p>The JDK's GCM must be initialised with key and nonce before every record anyway, so a {@code Cipher}
 * carries nothing from one record to the next: each thread keeps one (see {@link #CIPHERS}) and every
 * record, of any connection, initialises it with its own key. That saves two {@code Cipher.getInstance}
 * provider look-ups per epoch (a measurable share of a PSK handshake, bench/RESULTS.md) and a connection
 * holds no {@code Cipher} of its own. Re-keying the shared cipher when records of several connections
 * interleave costs one AES key expansion, small next to the init the JDK demands per record anyway.
 *
 * <p>A key in steady use is worth its own keyed cipher: re-keying costs an AES key expansion per record
 * (JDK 17: ~13% of a server's CPU per 100-byte GCM record, bench/RESULTS.md). So an instance's first
 * {@value #SHARED_USES} records go through the thread's shared cipher — a handshake's Finished and a short
 * exchange never take more — and later ones through a keyed cipher from the thread's bounded
 * {@link ThreadCiphers} cache, where a JDK cipher keeps its key schedule between records. Giving every new
 * key a cached set at once was measured to make handshakes dearer (1.2× CPU: each took a CLOCK victim).
 *
 * <p>Allocation: the one object we create per record is the {@code GCMParameterSpec} that
 * {@code Cipher.init} demands (the JCA has no way to re-key a GCM cipher with a new IV without one); the
 * JDK's GCM then allocates about 1 KB per call of its own. AeadBench measures the same bytes per record
 * as raw {@code javax.crypto} doing the same work.
 */
final class GcmRecordCipher extends RecordCipher {
    private static final int TAG_BITS = 128;
    /**
     * One AES/GCM cipher per thread. Safe to share between connections because seal and open initialise
     * it completely and finish with it before they return (nothing calls back into us in between); the
     * JDK's guard against encrypting twice in a row under one key and nonce only compares with the last
     * encryption on the thread, so each instance keeps that guard for itself ({@link #lastSealed}), as a
     * {@code Cipher} of its own did.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(GcmRecordCipher::newCipher);
    /** Records an instance takes through the shared cipher before it asks for a keyed one. */
    static final int SHARED_USES = 4;
    /** Keyed GCM ciphers for busy keys; keying decrypt-inits with a zero nonce, which expands the key. */
    private static final ThreadCiphers KEYED = new ThreadCiphers(
            (c, key) -> c[0].init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, new byte[12])),
            "AES/GCM/NoPadding");

    private final SecretKeySpec key;
    /** The 4-byte salt (client_write_IV or server_write_IV), big-endian. */
    private int salt;
    /** The sequence number of this instance's last seal, valid once {@link #sealed}: sealing it again is our bug. */
    private long lastSealed;
    private boolean sealed;
    /** Records sealed or opened so far, counted up to {@link #SHARED_USES}. */
    private int uses;

    GcmRecordCipher(AeadAlgorithm algorithm, byte[] keyBytes, byte[] salt) {
        super(algorithm);
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.salt = saltOf(salt);
    }

    /** The thread's shared cipher for this instance's first records, then the thread's cipher keyed with ours. */
    private Cipher cipher() {
        if (uses < SHARED_USES) {
            uses++;
            return CIPHERS.get();
        }
        return KEYED.get(key)[0];
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
        }
    }

    @Override
    public int seal(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (sealed && seq == lastSealed) {
            throw new IllegalStateException("GCM nonce reuse: sequence " + seq + " sealed twice");
        }
        byte[] nonce = threadNonce(salt);
        putLong(nonce, 4, seq);
        putLong(out, outOff, seq);
        Cipher sealer = cipher();
        try {
            initSealer(sealer, nonce);
            lastSealed = seq;
            sealed = true;
            sealer.updateAAD(aad, aadOff, aadLen);
            return 8 + sealer.doFinal(in, inOff, len, out, outOff + 8);
        } catch (GeneralSecurityException e) {
            // Only a reused (key, nonce) pair or a short output buffer gets here: both are our bugs.
            throw new IllegalStateException("GCM seal failed", e);
        }
    }

    /**
     * Initialises the thread's cipher to seal under {@code nonce}. The JDK refuses when the thread's last
     * encryption used the same key and nonce, which only another instance made from the same key block can
     * have done (this one's own repeat is refused above): stepping over that refusal once, with a throwaway
     * nonce, keeps the behaviour of the per-instance ciphers this class used to hold.
     */
    private void initSealer(Cipher sealer, byte[] nonce) throws GeneralSecurityException {
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        } catch (InvalidAlgorithmParameterException e) {
            byte[] other = nonce.clone();
            other[0] ^= 1;
            sealer.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, other));
            sealer.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        }
    }

    @Override
    public int open(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) throws DtlsException {
        if (len < 8 + 16) {
            throw badRecordMac();
        }
        byte[] nonce = threadNonce(salt);
        System.arraycopy(in, inOff, nonce, 4, 8);
        Cipher opener = cipher();
        try {
            opener.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            opener.updateAAD(aad, aadOff, aadLen);
            return opener.doFinal(in, inOff + 8, len - 8, out, outOff);
        } catch (AEADBadTagException e) {
            throw badRecordMac();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("GCM open failed", e);
        }
    }

    @Override
    public void destroy() {
        salt = 0;
        if (uses >= SHARED_USES) {
            KEYED.forget(key); // the thread's keyed cipher goes back to its free sets
        }
        // SecretKeySpec cannot be wiped in place on JDK 17; dropping the reference is the best we can do.
        // The thread's shared cipher keeps its own copy of the last key it was given until the next record
        // of any connection re-keys it, as a per-connection Cipher kept it until collected.
    }
}
