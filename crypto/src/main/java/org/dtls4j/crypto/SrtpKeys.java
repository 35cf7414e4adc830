package org.dtls4j.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master keys and salts of both directions, cut from the DTLS exporter as RFC 5764 §4.2 says:
 * <pre>
 *   keying material = exporter("EXTRACTOR-dtls_srtp", no context, 2 * (key_len + salt_len))
 *   client_write_SRTP_master_key[key_len]
 *   server_write_SRTP_master_key[key_len]
 *   client_write_SRTP_master_salt[salt_len]
 *   server_write_SRTP_master_salt[salt_len]
 * </pre>
 * The client protects what it sends with the client key and salt; the server with the server's. The
 * accessors return copies; {@link #destroy()} wipes this object's own.
 */
public final class SrtpKeys {
    /** The exporter label of RFC 5764 §4.2 (registered in RFC 5705 §6). */
    public static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";

    private final SrtpProtectionProfile profile;
    private final byte[] clientKey;
    private final byte[] serverKey;
    private final byte[] clientSalt;
    private final byte[] serverSalt;

    private SrtpKeys(SrtpProtectionProfile profile, byte[] material) {
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        this.profile = profile;
        this.clientKey = Arrays.copyOfRange(material, 0, k);
        this.serverKey = Arrays.copyOfRange(material, k, 2 * k);
        this.clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        this.serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
    }

    /**
     * Runs the exporter (label {@value #EXPORTER_LABEL}, no context) for {@code profile} and splits its output.
     * With a connection: {@code SrtpKeys.derive(connection::exportKeyingMaterial, result.srtpProfile())}.
     *
     * @param exporter the exporter of the completed handshake
     * @param profile the profile use_srtp negotiated; it sets the key and salt lengths
     * @return the keys and salts of both directions; the exporter output is wiped
     * @throws NullPointerException when {@code profile} is null (the handshake negotiated no SRTP)
     * @throws IllegalStateException when the exporter has no completed handshake to export from
     */
    public static SrtpKeys derive(KeyingMaterialExporter exporter, SrtpProtectionProfile profile) {
        Objects.requireNonNull(profile, "profile (null: the handshake negotiated no SRTP)");
        byte[] material = exporter.exportKeyingMaterial(EXPORTER_LABEL, null, profile.keyingMaterialLength());
        try {
            return split(material, profile);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /**
     * Splits exporter output obtained elsewhere; the caller keeps and may wipe its array.
     *
     * @param material exactly {@link SrtpProtectionProfile#keyingMaterialLength()} bytes of exporter output
     * @param profile the negotiated profile
     * @return the keys and salts of both directions, copied out of {@code material}
     * @throws IllegalArgumentException when {@code material} has the wrong length
     */
    public static SrtpKeys split(byte[] material, SrtpProtectionProfile profile) {
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException(profile + " needs " + profile.keyingMaterialLength()
                    + " bytes of keying material, got " + material.length);
        }
        return new SrtpKeys(profile, material);
    }

    /** {@return the profile the keys are cut for} */
    public SrtpProtectionProfile profile() {
        return profile;
    }

    /** {@return a copy of client_write_SRTP_master_key} */
    public byte[] clientMasterKey() {
        return clientKey.clone();
    }

    /** {@return a copy of server_write_SRTP_master_key} */
    public byte[] serverMasterKey() {
        return serverKey.clone();
    }

    /** {@return a copy of client_write_SRTP_master_salt} */
    public byte[] clientMasterSalt() {
        return clientSalt.clone();
    }

    /** {@return a copy of server_write_SRTP_master_salt} */
    public byte[] serverMasterSalt() {
        return serverSalt.clone();
    }

    /**
     * The key this side sends with: the client's on a client, the server's on a server.
     *
     * @param isClient whether this side was the DTLS client
     * @return a copy of the key
     */
    public byte[] localMasterKey(boolean isClient) {
        return isClient ? clientMasterKey() : serverMasterKey();
    }

    /**
     * The salt this side sends with: the client's on a client, the server's on a server.
     *
     * @param isClient whether this side was the DTLS client
     * @return a copy of the salt
     */
    public byte[] localMasterSalt(boolean isClient) {
        return isClient ? clientMasterSalt() : serverMasterSalt();
    }

    /** Overwrites the keys and salts held here with zeros. */
    public void destroy() {
        Arrays.fill(clientKey, (byte) 0);
        Arrays.fill(serverKey, (byte) 0);
        Arrays.fill(clientSalt, (byte) 0);
        Arrays.fill(serverSalt, (byte) 0);
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + "]";
    }
}
