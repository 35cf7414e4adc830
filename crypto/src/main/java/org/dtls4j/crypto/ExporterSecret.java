package org.dtls4j.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the RFC 5705 exporter needs once a handshake is over, and nothing more: the suite's PRF hash, a
 * copy of the master secret and the two hello randoms. A connection keeps one while it is established and
 * {@link #destroy()}s it when it ends, so the master secret does not outlive the connection's keys there.
 */
public final class ExporterSecret implements KeyingMaterialExporter {
    private final PrfHash hash;
    private final byte[] masterSecret;
    private final byte[] clientRandom;
    private final byte[] serverRandom;
    private boolean destroyed;

    /**
     * Copies the master secret and randoms, so the caller may wipe its own.
     *
     * @param hash the PRF hash of the negotiated suite (RFC 5246 §5), not null
     * @param masterSecret the 48-byte master secret of the completed handshake
     * @param clientRandom the 32-byte ClientHello random
     * @param serverRandom the 32-byte ServerHello random
     * @throws IllegalArgumentException when the master secret is not 48 bytes
     */
    public ExporterSecret(PrfHash hash, byte[] masterSecret, byte[] clientRandom, byte[] serverRandom) {
        this.hash = Objects.requireNonNull(hash, "hash");
        if (masterSecret.length != KeySchedule.MASTER_SECRET_LENGTH) {
            throw new IllegalArgumentException("master secret must be " + KeySchedule.MASTER_SECRET_LENGTH + " bytes");
        }
        this.masterSecret = masterSecret.clone();
        this.clientRandom = clientRandom.clone();
        this.serverRandom = serverRandom.clone();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException after {@link #destroy()}
     */
    @Override
    public synchronized byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        if (destroyed) {
            throw new IllegalStateException("exporter secret destroyed");
        }
        return KeySchedule.export(hash, masterSecret, label, context, clientRandom, serverRandom, length);
    }

    /**
     * {@return a copy of the master secret, for a connection snapshot that re-derives the record keys}
     *
     * @throws IllegalStateException after {@link #destroy()}
     */
    public synchronized byte[] masterSecret() {
        if (destroyed) {
            throw new IllegalStateException("exporter secret destroyed");
        }
        return masterSecret.clone();
    }

    /** {@return a copy of the ClientHello random} */
    public byte[] clientRandom() {
        return clientRandom.clone();
    }

    /** {@return a copy of the ServerHello random} */
    public byte[] serverRandom() {
        return serverRandom.clone();
    }

    /** Overwrites the master secret with zeros; every later export throws. Idempotent. */
    public synchronized void destroy() {
        Arrays.fill(masterSecret, (byte) 0);
        destroyed = true;
    }

    /** {@return true once {@link #destroy()} ran; exports then throw} */
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "ExporterSecret[" + hash + (isDestroyed() ? ", destroyed]" : "]");
    }
}
