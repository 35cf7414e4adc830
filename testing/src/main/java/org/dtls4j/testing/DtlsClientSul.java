package org.dtls4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dtls4j.wire.AlertDescription;
import org.dtls4j.wire.AlertLevel;

/**
 * A DTLS server under test as a {@link Sul} over {@link AbstractInput} and {@link AbstractOutput}:
 * each query runs a fresh {@link ScriptedPeer} client on a fresh transport (a new source port, so the
 * server sees a new connection), maps each abstract input to the concrete message the peer's state
 * gives, and abstracts what came back. The cookie exchange is done inside {@code CLIENT_HELLO}: when
 * the answer is a HelloVerifyRequest the hello is sent again with the cookie, and the output is the
 * answer to that second hello.
 */
public final class DtlsClientSul implements Sul<AbstractInput, AbstractOutput> {
    /** Opens a fresh transport to the server under test, once per query. */
    @FunctionalInterface
    public interface TransportFactory {
        /**
         * Opens a transport to the server under test, from a new source port.
         *
         * @return the new transport, owned by the query that asked for it
         * @throws IOException when the socket cannot be opened
         */
        Transport open() throws IOException;
    }

    private static final byte[] PING = "state-fuzz ping".getBytes(StandardCharsets.US_ASCII);

    private final TransportFactory transports;
    private final PeerSettings settings;
    private ScriptedPeer peer;
    private final List<AbstractInput> inputs = new ArrayList<>();

    /**
     * A system under learning that reaches the server through {@code transports} and plays a client
     * with {@code settings}.
     *
     * @param transports opens one transport per query, not null
     * @param settings the suite, keys and receive waits of the client peer, not null
     */
    public DtlsClientSul(TransportFactory transports, PeerSettings settings) {
        this.transports = Objects.requireNonNull(transports);
        this.settings = Objects.requireNonNull(settings);
    }

    @Override
    public void pre() {
        post();
        try {
            peer = ScriptedPeer.client(transports.open(), settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void post() {
        if (peer != null) {
            peer.close();
            peer = null;
        }
        inputs.clear();
    }

    @Override
    public AbstractOutput step(AbstractInput input) {
        if (peer == null) {
            throw new IllegalStateException("step before pre()");
        }
        inputs.add(input);
        switch (input) {
            case CLIENT_HELLO -> {
                peer.send(peer.clientHello());
                List<PeerEvent> got = peer.receive();
                if (AbstractOutput.of(got).has("HELLO_VERIFY_REQUEST")) {
                    peer.send(peer.clientHello());
                    return AbstractOutput.of(peer.receive());
                }
                return AbstractOutput.of(got);
            }
            case CLIENT_KEY_EXCHANGE -> peer.send(peer.clientKeyExchange());
            case EMPTY_CERTIFICATE -> peer.send(peer.emptyCertificate());
            case CHANGE_CIPHER_SPEC -> peer.changeCipherSpec();
            case FINISHED -> peer.send(peer.finished());
            case APPLICATION_DATA -> peer.sendApplicationData(PING);
            case CLOSE_NOTIFY -> peer.sendAlert(AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY);
            case FATAL_ALERT -> peer.sendAlert(AlertLevel.FATAL, AlertDescription.UNEXPECTED_MESSAGE);
        }
        return AbstractOutput.of(peer.receive());
    }

    /** {@return the peer of the current query, for a test that wants to look closer (null outside a query)} */
    public ScriptedPeer peer() {
        return peer;
    }
}
