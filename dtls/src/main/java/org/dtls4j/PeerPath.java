package org.dtls4j;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a server connection's datagrams go, and the rules for moving it (RFC 9146 §6): the acceptor
 * gives every connection one as its sink.
 *
 * <p>Moving: a datagram routed by its CID from an address other than the current one is a
 * <em>candidate</em> while the connection processes it. The path moves only if a record of that
 * datagram authenticated and is newer (epoch, sequence number) than every record the connection
 * authenticated before ({@link #onNewestRecord}, called by the connection before it hands the record
 * on); a replayed record fails the replay window and a reordered old one is not the newest, so neither
 * moves it, and the address can never go back to where an older record came from.
 *
 * <p>Anti-amplification: an address we moved to has not shown it receives what we send (DTLS 1.2 has no
 * path challenge; RFC 9146 §6 leaves this to the application). Until it has, we send it at most the bytes
 * we received from it plus a configured budget; the rest is dropped and counted, and the retransmission
 * timers or the application recover. It counts as validated once an authenticated, newer record arrives
 * from it after we sent it something: a peer that keeps the exchange going from the address is there.
 */
final class PeerPath implements DatagramSink {
    private final PeerDatagramSink sink;
    private final long budget;
    private InetSocketAddress address;
    private InetSocketAddress candidate;
    private int candidateLength;
    private boolean validated = true;
    private long receivedSinceMove;
    private long sentSinceMove;
    private boolean sentSinceMoveAtAll;
    private long heldBack;
    private long moves;

    /**
     * A path at the address the connection's handshake came from (which the cookie exchange proved).
     *
     * @param sink the acceptor's sink
     * @param address the peer's address
     * @param budget bytes an unvalidated address may be sent beyond what it sent us
     */
    PeerPath(PeerDatagramSink sink, InetSocketAddress address, long budget) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.address = Objects.requireNonNull(address, "address");
        this.budget = budget;
    }

    /** {@return the address datagrams go to now} */
    InetSocketAddress address() {
        return address;
    }

    /**
     * Marks the start of one datagram's processing.
     *
     * @param from where the datagram came from
     * @param len its length, counted towards what an unvalidated address may be sent
     */
    void beginDatagram(InetSocketAddress from, int len) {
        candidate = from.equals(address) ? null : from;
        candidateLength = len;
        if (candidate == null && !validated) {
            receivedSinceMove += len;
        }
    }

    /** Marks the end of the datagram's processing: a candidate that did not move the path is forgotten. */
    void endDatagram() {
        candidate = null;
    }

    /**
     * The connection authenticated a record newer than every earlier one, from the datagram being processed.
     * The path tells nobody: the connection reports the move as an event, and the acceptor re-files its
     * address table when that event reaches it, after the datagram's records are done with.
     *
     * @return the address the path left, or null when it did not move
     */
    InetSocketAddress onNewestRecord() {
        if (candidate == null) {
            if (!validated && sentSinceMoveAtAll) {
                validated = true;
            }
            return null;
        }
        InetSocketAddress previous = address;
        address = candidate;
        candidate = null;
        validated = false;
        receivedSinceMove = candidateLength;
        sentSinceMove = 0;
        sentSinceMoveAtAll = false;
        moves++;
        return previous;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (!validated) {
            if (sentSinceMove + len > receivedSinceMove + budget) {
                heldBack++;
                return;
            }
            sentSinceMove += len;
            sentSinceMoveAtAll = true;
        }
        sink.send(buf, off, len, address);
    }

    /** {@return whether the current address has shown it receives (always true before any move)} */
    boolean isValidated() {
        return validated;
    }

    /** {@return datagrams not sent because the address was not validated yet (anti-amplification)} */
    long heldBack() {
        return heldBack;
    }

    /** {@return how often the path moved} */
    long moves() {
        return moves;
    }
}
