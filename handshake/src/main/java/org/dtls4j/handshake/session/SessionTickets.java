package org.dtls4j.handshake.session;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.dtls4j.crypto.SecretPurpose;
import org.dtls4j.crypto.SharedSecrets;

/**
 * A server's RFC 5077 session tickets: it seals a session's state into the ticket it hands the client and
 * opens it again when the client offers it, so resumption needs no per-session state on the server and
 * works on any node given the same {@link SharedSecrets}.
 *
 * <p>Each ticket is sealed with AES-256-GCM under the current {@link SecretPurpose#SESSION_TICKET} key and a
 * fresh random IV (RFC 5077 §4's recommended layout, with GCM in place of AES-CBC + HMAC).
 *
 * <p>A ticket is refused (the server falls back to a full handshake) when its key is neither current nor
 * previous, its tag does not verify, its lifetime has passed, or it was issued for another server_name.
 * Times are wall-clock seconds from the given {@link Clock}: a ticket is checked on other nodes, whose
 * monotonic clocks mean nothing here. Thread-safe.
 */
public final class SessionTickets {
    /** Default ticket lifetime: also the lifetime hint sent to clients. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(2);

    private final SharedSecrets secrets;
    private final Duration lifetime;
    private final Clock clock;

    private SessionTickets(SharedSecrets secrets, Duration lifetime, Clock clock) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (lifetime.toSeconds() < 1 || lifetime.toSeconds() > 0xffffffffL) {
            throw new IllegalArgumentException("ticket lifetime out of range: " + lifetime);
        }
    }

    /**
     * Tickets sealed under {@code secrets}' {@link SecretPurpose#SESSION_TICKET} keys, valid for
     * {@code lifetime} (keep it at most the rotation period, so a ticket never outlives the keys that open
     * it), timed by {@code clock}.
     *
     * @param secrets the shared secret source, not null
     * @param lifetime how long a ticket is accepted, 1 s to 2^32-1 s; also the lifetime hint sent
     * @param clock the wall clock tickets are stamped and checked with, not null
     * @return the ticket keeper
     * @throws IllegalArgumentException when the lifetime is out of range
     */
    public static SessionTickets create(SharedSecrets secrets, Duration lifetime, Clock clock) {
        return new SessionTickets(secrets, lifetime, clock);
    }

    /**
     * Tickets under {@code secrets} with the default lifetime (capped by the rotation period) and the
     * system clock.
     *
     * @param secrets the shared secret source, not null
     * @return the ticket keeper
     */
    public static SessionTickets create(SharedSecrets secrets) {
        Duration period = secrets.rotationPeriod();
        return create(secrets, period.compareTo(DEFAULT_LIFETIME) < 0 ? period : DEFAULT_LIFETIME, Clock.systemUTC());
    }

    /**
     * A single node's tickets: random keys rotated every {@code rotation}.
     *
     * @param rotation how long each key stays current; tickets live the shorter of this and two hours
     * @return the ticket keeper
     */
    public static SessionTickets random(Duration rotation) {
        return create(SharedSecrets.random(rotation));
    }

    /** {@return the lifetime of new tickets in seconds, also sent as the ticket_lifetime_hint} */
    public long lifetimeSeconds() {
        return lifetime.toSeconds();
    }

    /** {@return the secrets the tickets are sealed under} */
    public SharedSecrets secrets() {
        return secrets;
    }

    /** {@return the wall clock tickets are stamped and checked with} */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "SessionTickets[lifetime " + lifetime + ", " + secrets + "]";
    }
}
