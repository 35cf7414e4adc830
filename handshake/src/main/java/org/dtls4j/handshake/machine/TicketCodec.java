package org.dtls4j.handshake.machine;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtls4j.crypto.SecretPurpose;
import org.dtls4j.crypto.SharedSecret;
import org.dtls4j.handshake.session.Session;
import org.dtls4j.handshake.session.SessionTickets;
import org.dtls4j.wire.DtlsException;
import org.dtls4j.wire.ProtocolVersion;

/**
 * Seals a session's {@link TicketState} into an RFC 5077 ticket under a {@link SessionTickets}' current key
 * and opens it again; the user-facing configuration stays in {@link SessionTickets}.
 *
 * <p>Ticket layout (RFC 5077 §4's recommendation, with AES-256-GCM in place of AES-CBC + HMAC):
 * {@code key_name[16] || iv[12] || AES-GCM(key, iv, aad = key_name, TicketState) || tag[16]}. Each ticket gets
 * a fresh random 96-bit IV: nodes sharing a key cannot coordinate a counter, and 2^32 random IVs per key
 * stay far inside GCM's collision bound (NIST SP 800-38D §8.3) for any rotation period a server uses.
 */
final class TicketCodec {
    /** Tolerated clock difference between nodes for a ticket that seems to come from the future. */
    private static final long CLOCK_SKEW_SECONDS = 60;
    private static final int IV_LENGTH = 12;
    private static final int TAG_LENGTH = 16;
    private static final int OVERHEAD = SharedSecret.NAME_LENGTH + IV_LENGTH + TAG_LENGTH;
    /** RFC 5077 §3.3: opaque ticket&lt;0..2^16-1&gt;. */
    private static final int MAX_TICKET = 0xffff;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TicketCodec() {
    }

    /** The ticket for {@code session}'s state, created now. */
    static byte[] seal(SessionTickets tickets, Session session) {
        return seal(tickets, TicketState.of(session, nowSeconds(tickets), tickets.lifetimeSeconds()));
    }

    /**
     * Seals {@code state} under the current key; empty when the state does not fit a ticket
     * ({@link TicketState#fitsTicket}, or larger than a ticket holds), which RFC 5077 §3.3 lets a server send
     * when it has no ticket to give: that peer resumes by full handshake, never by a ticket that would not decode.
     */
    static byte[] seal(SessionTickets tickets, TicketState state) {
        if (!state.fitsTicket()) {
            return new byte[0];
        }
        return sealPlaintext(tickets, state.encode());
    }

    /** Seals an encoded {@link TicketState} under the current key (empty when too large), and wipes {@code plain}. */
    static byte[] sealPlaintext(SessionTickets tickets, byte[] plain) {
        if (OVERHEAD + plain.length > MAX_TICKET) {
            Arrays.fill(plain, (byte) 0);
            return new byte[0];
        }
        SharedSecret key = keys(tickets, tickets.clock().millis()).get(0);
        byte[] out = new byte[OVERHEAD + plain.length];
        byte[] name = key.name();
        System.arraycopy(name, 0, out, 0, name.length);
        byte[] iv = new byte[IV_LENGTH];
        RANDOM.nextBytes(iv);
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
    static Opened open(SessionTickets tickets, byte[] ticket, String serverName) {
        if (ticket.length < OVERHEAD + 1) {
            return null;
        }
        long nowMillis = tickets.clock().millis();
        byte[] name = Arrays.copyOf(ticket, SharedSecret.NAME_LENGTH);
        List<SharedSecret> keys = keys(tickets, nowMillis);
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

    /** The ticket keys at {@code nowMillis}: the current one first, then the previous ones still accepted. */
    private static List<SharedSecret> keys(SessionTickets tickets, long nowMillis) {
        return tickets.secrets().secrets(SecretPurpose.SESSION_TICKET, nowMillis);
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
        if (!s.version().equals(ProtocolVersion.DTLS_1_2) || !s.suite().isNegotiable()) {
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

    /** {@return the wall-clock time of {@code tickets} in seconds} */
    static long nowSeconds(SessionTickets tickets) {
        return Math.floorDiv(tickets.clock().millis(), 1000);
    }
}
