package org.dtls4j.crypto;

import org.dtls4j.wire.DtlsException;

/**
 * AES-CCM and AES-CCM_8 record protection (RFC 6655, RFC 7251), built on the JDK's AES because the JDK
 * has no CCM. PLACEHOLDER: the crypto helper replaces this class with the real implementation.
 */
final class CcmRecordCipher extends RecordCipher {
    CcmRecordCipher(AeadAlgorithm algorithm, byte[] key, byte[] salt) {
        super(algorithm);
        throw new IllegalStateException("AES-CCM is being written (issue 2)");
    }

    @Override
    public int seal(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) {
        throw new IllegalStateException();
    }

    @Override
    public int open(long seq, byte[] aad, int aadOff, int aadLen,
                    byte[] in, int inOff, int len, byte[] out, int outOff) throws DtlsException {
        throw new IllegalStateException();
    }

    @Override
    public void destroy() {
    }
}
