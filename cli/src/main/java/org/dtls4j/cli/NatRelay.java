package org.dtls4j.cli;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A toy NAT for {@code dtls demo --cid}: the client talks to the relay's inside socket, the server sees the
 * relay's outside socket, and {@link #rebind()} swaps the outside socket for one on a new port, as a home
 * router does when its mapping times out. Loopback only; two daemon threads; {@link #close()} ends them.
 */
final class NatRelay implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65_535;

    private final InetSocketAddress server;
    private final DatagramSocket inside;
    private volatile DatagramSocket outside;
    private volatile SocketAddress client;

    /**
     * Opens both sockets on loopback ports of the system's choosing and starts relaying.
     *
     * @param server where outside traffic goes
     * @throws SocketException when a socket cannot be opened
     */
    NatRelay(InetSocketAddress server) throws SocketException {
        this.server = server;
        this.inside = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.outside = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        start("nat-inside", this::relayOut);
        startOutside(outside);
    }

    /** {@return where the client should send: the relay's inside address} */
    InetSocketAddress insideAddress() {
        return (InetSocketAddress) inside.getLocalSocketAddress();
    }

    /** {@return the address the server sees the client at now} */
    InetSocketAddress outsideAddress() {
        return (InetSocketAddress) outside.getLocalSocketAddress();
    }

    /**
     * Moves the client's mapping to a new outside port; the old one is closed, so replies to it are lost.
     *
     * @throws SocketException when the new socket cannot be opened
     */
    void rebind() throws SocketException {
        DatagramSocket old = outside;
        DatagramSocket fresh = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        outside = fresh;
        startOutside(fresh);
        old.close();
    }

    private void startOutside(DatagramSocket socket) {
        start("nat-outside-" + socket.getLocalPort(), () -> relayIn(socket));
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** Client to server, through whichever outside socket is current. */
    private void relayOut() {
        byte[] buf = new byte[MAX_DATAGRAM];
        while (!inside.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                inside.receive(p);
                client = p.getSocketAddress();
                outside.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), server));
            } catch (IOException e) {
                if (inside.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Server to client, while {@code socket} is open. */
    private void relayIn(DatagramSocket socket) {
        byte[] buf = new byte[MAX_DATAGRAM];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                SocketAddress to = client;
                if (to != null) {
                    inside.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), to));
                }
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        inside.close();
        outside.close();
    }
}
