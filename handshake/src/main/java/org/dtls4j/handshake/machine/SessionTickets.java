package org.dtls4j.handshake.machine;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.crypto.SecretPurpose;
import org.dtls4j.crypto.SharedSecret;
import org.dtls4j.crypto.SharedSecrets;
import org.dtls4j.wire.DtlsException;

/**
 * A server's RFC 5077 session tickets: it seals a session's state into the ticket it hands the client and
 * opens it again when the client offers it, so resumption needs no per-session state on the server and
 * works on any node given the same {@link SharedSecrets}.
 *
 * <p>Ticket layout (RFC 5077 §4's recommendation, with AES-256-GCM in place of AES-CBC + HMAC):
 * {@code key_name[16] || iv[12] || AES-GCM(key, iv, aad = key_name, TicketState) || tag[16]}. Each ticket gets
 * a fresh random 96-bit IV: nodes sharing a key cannot coordinate a counter, and 2^32 random IVs per key
 * stay far inside GCM's collision bound (NIST SP 800-38D §8.3) for any rotation period a server uses.
 *
 * <p>A ticket is refused (the server falls back to a full handshake) when its key is neither current nor
 * previous, its tag does not verify, its lifetime has passed, or it was issued for another server_name.
 * Times are wall-clock seconds from the given {@link Clock}: a ticket is checked on other nodes, whose
 * monotonic clocks mean nothing here. Thread-safe.
 */
public final class SessionTickets {
    /** Default ticket lifetime: also the lifetime hint sent to clients. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(2);
    /** Tolerated clock difference between nodes for a ticket that seems to come from the future. */
    private static final long CLOCK_SKEW_SECONDS = 60;
    private static final int IV_LENGTH = 12;
    private static final int TAG_LENGTH = 16;
    private static final int OVERHEAD = SharedSecret.NAME_LENGTH + IV_LENGTH + TAG_LENGTH;
    /** RFC 5077 §3.3: opaque ticket&lt;0..2^16-1&gt;. */
    private static final int MAX_TICKET = 0xffff;

    private final SharedSecrets secrets;
    private final Duration lifetime;
    private final Clock clock;
    private final SecureRandom random;

    private SessionTickets(SharedSecrets secrets, Duration lifetime, Clock clock, SecureRandom random) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        if (lifetime.toSeconds() < 1 || lifetime.toSeconds() > 0xffffffffL) {
            throw new IllegalArgumentException("ticket lifetime out of range: " + lifetime);
        }
    }

    /**
     * Tickets sealed under {@code secrets}' {@link SecretPurpose#SESSION_TICKET} keys, valid for
     * {@code lifetime} (at most the rotation period, so a ticket never outlives the keys that open it),
     * timed by {@code clock}.
     */
    public static SessionTickets create(SharedSecrets secrets, Duration lifetime, Clock clock) {
        return new SessionTickets(secrets, lifetime, clock, new SecureRandom());
    }

    /** Tickets under {@code secrets} with the default lifetime (capped by the rotation period) and the system clock. */
    public static SessionTickets create(SharedSecrets secrets) {
        Duration period = secrets.rotationPeriod();
        return create(secrets, period.compareTo(DEFAULT_LIFETIME) < 0 ? period : DEFAULT_LIFETIME, Clock.systemUTC());
    }

    /** A single node's tickets: random keys rotated every {@code rotation}. */
    public static SessionTickets random(Duration rotation) {
        return create(SharedSecrets.random(rotation));
    }

    /** The lifetime of new tickets, in seconds: the ticket_lifetime_hint too. */
    public long lifetimeSeconds() {
        return lifetime.toSeconds();
    }

    /** The secrets the tickets are sealed under. */
    public SharedSecrets secrets() {
        return secrets;
    }

    /** The ticket for {@code session}'s state, created now. */
    byte[] seal(Session session) {
        return seal(TicketState.of(session, nowSeconds(), lifetime.toSeconds()));
    }

    /** Seals {@code state} under the current key. */
    byte[] seal(TicketState state) {
        SharedSecret key = secrets.secrets(SecretPurpose.SESSION_TICKET, clock.millis()).get(0);
        byte[] plain = state.encode();
        byte[] out = new byte[OVERHEAD + plain.length];
        if (out.length > MAX_TICKET) {
            Arrays.fill(plain, (byte) 0);
            throw new IllegalStateException("session state too large for a ticket: " + plain.length + " bytes");
        }
        byte[] name = key.name();
        System.arraycopy(name, 0, out, 0, name.length);
        byte[] iv = new byte[IV_LENGTH];
        random.nextBytes(iv);
        System.arraycopy(iv, 0, out, name.length, IV_LENGTH);
        byte[] k = key.key();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, iv));
            c.updateAAD(name);
            c.doFinal(plain, 0, plain.length, out, name.length + IV_LENGTH);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        } finally {
            Arrays.fill(k, (byte) 0);
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** What {@link #open} found. */
    record Opened(TicketState state, boolean underCurrentKey) {
    }

    /**
     * The state sealed in {@code ticket}, or null when the ticket is refused (unknown or retired key, bad
     * tag, expired, or for another server_name). Peer input: never throws.
     */
    Opened open(byte[] ticket, String serverName) {
        if (ticket.length < OVERHEAD + 1) {
            return null;
        }
        long nowMillis = clock.millis();
        byte[] name = Arrays.copyOf(ticket, SharedSecret.NAME_LENGTH);
        List<SharedSecret> keys = secrets.secrets(SecretPurpose.SESSION_TICKET, nowMillis);
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).hasName(name)) {
                TicketState s = decrypt(keys.get(i), name, ticket);
                if (s == null) {
                    return null;
                }
                if (!acceptable(s, serverName, Math.floorDiv(nowMillis, 1000))) {
                    s.destroy();
                    return null;
                }
                return new Opened(s, i == 0);
            }
        }
        return null;
    }

    private static TicketState decrypt(SharedSecret key, byte[] name, byte[] ticket) {
        byte[] k = key.key();
        byte[] plain = null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"),
                    new GCMParameterSpec(TAG_LENGTH * 8, ticket, name.length, IV_LENGTH));
            c.updateAAD(name);
            int off = name.length + IV_LENGTH;
            plain = c.doFinal(ticket, off, ticket.length - off);
            return TicketState.decode(plain);
        } catch (GeneralSecurityException | DtlsException | RuntimeException e) {
            // A forged, corrupted or foreign ticket: the answer is a full handshake, not an error.
            return null;
        } finally {
            Arrays.fill(k, (byte) 0);
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static boolean acceptable(TicketState s, String serverName, long nowSeconds) {
        if (!s.version().equals(org.dtls4j.wire.ProtocolVersion.DTLS_1_2) || !s.suite().isNegotiable()) {
            return false;
        }
        if (s.createdSeconds() > nowSeconds + CLOCK_SKEW_SECONDS || nowSeconds - s.createdSeconds() >= s.lifetimeSeconds()) {
            return false;
        }
        // RFC 6066 §3: a session resumes only under the server_name it was established for (host names
        // compare ignoring ASCII case, as Session.matchesServerName does).
        String name = s.serverName();
        return name == null || serverName == null ? name == serverName
                : name.length() == serverName.length() && name.regionMatches(true, 0, serverName, 0, name.length());
    }

    long nowSeconds() {
        return Math.floorDiv(clock.millis(), 1000);
    }

    @Override
    public String toString() {
        return "SessionTickets[lifetime " + lifetime + ", " + secrets + "]";
    }
}
