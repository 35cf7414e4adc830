package org.dtls4j;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Which worker of a {@link DtlsServer} holds each peer, for the datagrams and sends that do not start on that
 * worker (an application thread's {@link DtlsServer#send}, a datagram the kernel gave another socket). One entry
 * per peer with a connection, so it is as long as the connection table: an IPv4 peer is a {@code long} (address
 * and port) and an {@code int} in two open-addressing arrays, about 24 bytes at the load kept, where a
 * {@code ConcurrentHashMap} of {@code InetSocketAddress} cost ~130 (issue 14: 100,000 connections). IPv6 peers,
 * rarer on a device fleet, sit in a plain map.
 *
 * <p>Thread-safe by one lock: workers write on a handshake's start and a connection's end, and read only when
 * a datagram or send misses their own table, so no lock is taken on the per-record path.
 */
final class PeerDirectory {
    private static final int MIN_CAPACITY = 16;
    /** Marks a used slot, so key 0 (0.0.0.0:0) is not mistaken for an empty one. */
    private static final long USED = 1L << 48;

    private long[] keys = new long[MIN_CAPACITY];
    private int[] owners = new int[MIN_CAPACITY];
    private int size;
    private final Map<InetSocketAddress, Integer> wide = new HashMap<>();

    /** {@return the worker index holding {@code peer}, or -1} */
    synchronized int get(InetSocketAddress peer) {
        if (!(peer.getAddress() instanceof Inet4Address)) {
            Integer w = wide.get(peer);
            return w == null ? -1 : w;
        }
        int i = find(key(peer));
        return keys[i] == 0 ? -1 : owners[i];
    }

    /** Files {@code peer} under worker {@code owner}, replacing any earlier owner. */
    synchronized void put(InetSocketAddress peer, int owner) {
        if (!(peer.getAddress() instanceof Inet4Address)) {
            wide.put(peer, owner);
            return;
        }
        long k = key(peer);
        int i = find(k);
        if (keys[i] == 0) {
            if (2 * (size + 1) > keys.length) {
                resize(keys.length * 2);
                i = find(k);
            }
            keys[i] = k;
            size++;
        }
        owners[i] = owner;
    }

    /** Forgets {@code peer} if worker {@code owner} holds it. */
    synchronized void remove(InetSocketAddress peer, int owner) {
        if (!(peer.getAddress() instanceof Inet4Address)) {
            wide.remove(peer, owner);
            return;
        }
        int hole = find(key(peer));
        if (keys[hole] == 0 || owners[hole] != owner) {
            return;
        }
        keys[hole] = 0;
        size--;
        int mask = keys.length - 1;
        // Backward shift: later members of the probe run move into the hole, so no lookup stops early.
        for (int i = (hole + 1) & mask; keys[i] != 0; i = (i + 1) & mask) {
            int home = slot(keys[i], mask);
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                keys[hole] = keys[i];
                owners[hole] = owners[i];
                keys[i] = 0;
                hole = i;
            }
        }
        if (keys.length > MIN_CAPACITY && 8 * size < keys.length) {
            resize(keys.length / 2);
        }
    }

    /** {@return how many peers are filed} */
    synchronized int size() {
        return size + wide.size();
    }

    /** The slot holding {@code k}, or the empty slot where it would go. */
    private int find(long k) {
        int mask = keys.length - 1;
        int i = slot(k, mask);
        while (keys[i] != 0 && keys[i] != k) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        int[] oldOwners = owners;
        keys = new long[capacity];
        owners = new int[capacity];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = find(oldKeys[j]);
                keys[i] = oldKeys[j];
                owners[i] = oldOwners[j];
            }
        }
    }

    /** Inet4Address.hashCode() is the address itself: no copy of its bytes. */
    private static long key(InetSocketAddress peer) {
        return USED | (peer.getAddress().hashCode() & 0xffffffffL) << 16 | peer.getPort();
    }

    private static int slot(long k, int mask) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
